package io.openavathar.store;

import io.openavathar.InvalidInputException;
import io.openavathar.Setting;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A studio store's JDBC URL, parsed: which database, and the URL with its password taken out. The
 * password is kept apart and {@link #toString()} (used in every message and log line) never shows
 * it.
 *
 * <p>Accepted: {@code jdbc:postgresql://host:5432/database?user=name} (the password in a {@code
 * password} parameter, else {@code OPENAVATHAR_STORE_PASSWORD}, else libpq's {@code PGPASSWORD}),
 * {@code jdbc:sqlite:/path/to/studio.db} (its directory must exist) and {@code
 * jdbc:sqlite::memory:}.
 */
final class StoreUrl {
  /** The environment variable a PostgreSQL store's password is read from first. */
  static final String PASSWORD_ENV = "OPENAVATHAR_STORE_PASSWORD";

  /** libpq's password variable, read when {@link #PASSWORD_ENV} is not set. */
  static final String PGPASSWORD_ENV = "PGPASSWORD";

  static final String POSTGRES_PREFIX = "jdbc:postgresql:";
  static final String SQLITE_PREFIX = "jdbc:sqlite:";

  private static final String EXAMPLES =
      " to jdbc:postgresql://host:5432/database?user=name (the password in "
          + PASSWORD_ENV
          + ") or jdbc:sqlite:/path/to/studio.db";

  /** A {@code password} parameter's value. */
  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&;]*");

  /** The password of {@code //user:password@host}. */
  private static final Pattern USER_INFO = Pattern.compile("(//[^/@:?]*:)[^@/?]*(?=@)");

  /** What the URL names. */
  enum Kind {
    POSTGRESQL,
    SQLITE_FILE,
    SQLITE_MEMORY
  }

  private final Kind kind;
  private final String withoutPassword;
  private final String password; // null when the URL has none

  private StoreUrl(Kind kind, String withoutPassword, String password) {
    this.kind = kind;
    this.withoutPassword = withoutPassword;
    this.password = password;
  }

  /** Parses {@code url}; fails with a message that shows it masked and says what to write. */
  static StoreUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new InvalidInputException("The store URL is empty. Set ", Setting.STORE_URL, EXAMPLES);
    }
    String u = url.strip();
    if (u.regionMatches(true, 0, POSTGRES_PREFIX, 0, POSTGRES_PREFIX.length())) {
      return postgres(u);
    }
    if (u.regionMatches(true, 0, SQLITE_PREFIX, 0, SQLITE_PREFIX.length())) {
      String rest = u.substring(SQLITE_PREFIX.length());
      if (rest.equals(":memory:")) {
        return new StoreUrl(Kind.SQLITE_MEMORY, u, null);
      }
      if (rest.isEmpty() || rest.startsWith(":") || rest.contains("?")) {
        throw new InvalidInputException(
            "The store URL " + mask(u) + " names no SQLite file. Set ",
            Setting.STORE_URL,
            " to jdbc:sqlite:/path/to/studio.db, or leave it out to use the data directory");
      }
      return new StoreUrl(Kind.SQLITE_FILE, u, null);
    }
    throw new InvalidInputException(
        "The store URL " + mask(u) + " is not a database the studio can use. Set ",
        Setting.STORE_URL,
        EXAMPLES);
  }

  private static StoreUrl postgres(String url) {
    int query = url.indexOf('?');
    if (url.contains("@")
        && url.indexOf('@') < (query < 0 ? url.length() : query)) { // user:password@host
      throw new InvalidInputException(
          "The store URL "
              + mask(url)
              + " has credentials before the host, which the PostgreSQL driver does not read. Set ",
          Setting.STORE_URL,
          " to jdbc:postgresql://host:5432/database?user=name and the password in " + PASSWORD_ENV);
    }
    io.openavathar.internal.JdbcPassword split = io.openavathar.internal.JdbcPassword.split(url);
    return new StoreUrl(Kind.POSTGRESQL, split.withoutPassword(), split.password());
  }

  /**
   * {@code url} with any password replaced by {@code ***}: for messages about a URL that may not
   * even parse.
   */
  static String mask(String url) {
    if (url == null) {
      return "(none)";
    }
    String masked = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
    return USER_INFO.matcher(masked).replaceAll("$1***");
  }

  Kind kind() {
    return kind;
  }

  /** The URL without its password. */
  String withoutPassword() {
    return withoutPassword;
  }

  /**
   * The password to connect with: {@code explicit} if given, else the URL's, else {@value
   * #PASSWORD_ENV} or {@value #PGPASSWORD_ENV} from {@code env}; null if none.
   */
  String password(String explicit, Map<String, String> env) {
    if (explicit != null) {
      return explicit;
    }
    if (password != null) {
      return password;
    }
    String fromEnv = env.get(PASSWORD_ENV);
    if (fromEnv == null || fromEnv.isEmpty()) {
      fromEnv = env.get(PGPASSWORD_ENV);
    }
    return fromEnv == null || fromEnv.isEmpty() ? null : fromEnv;
  }

  /** The SQLite file a {@link Kind#SQLITE_FILE} URL names. */
  Path sqliteFile() {
    String rest = withoutPassword.substring(SQLITE_PREFIX.length());
    if (rest.startsWith("file:")) {
      rest = rest.substring("file:".length());
    }
    try {
      return Path.of(rest);
    } catch (InvalidPathException e) {
      throw new InvalidInputException(
          "The store URL "
              + withoutPassword
              + " names no valid file ("
              + e.getMessage()
              + "). Set ",
          Setting.STORE_URL,
          " to jdbc:sqlite:/path/to/studio.db");
    }
  }

  /** The URL without its password. */
  @Override
  public String toString() {
    return withoutPassword;
  }
}
