package io.openavathar.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.openavathar.OpenAvatharException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.Setting;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL database for {@link JdbcStudioStore}: a HikariCP pool, transactions in read
 * committed that run again when PostgreSQL answers a deadlock or serialization failure, {@code FOR
 * UPDATE SKIP LOCKED} for claims and transaction-scoped advisory locks for keys, the schema
 * migrated by Flyway (scripts in {@code io/openavathar/store/postgresql/}, the same versions as
 * SQLite's, history in {@code studio_schema_history} so that a license server may share the
 * database), and failures translated into messages that say what to do.
 *
 * <p>The URL's password is handed to the pool apart from the URL; messages and logs show the URL
 * without it, and the driver is told to leave server error details (which quote rows) out of its
 * messages.
 */
final class PostgresStoreDatabase implements StoreDatabase {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresStoreDatabase.class);

  static final String MIGRATIONS = "classpath:io/openavathar/store/postgresql";
  static final String HISTORY_TABLE = "studio_schema_history";

  /** Connections per store (per process); several studios on one database each have their own. */
  static final int POOL_SIZE = 8;

  /**
   * How many times a transaction runs when PostgreSQL aborts it for a deadlock or serialization.
   */
  private static final int ATTEMPTS = 5;

  private final StoreUrl url;
  private final HikariDataSource pool;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PostgresStoreDatabase(StoreUrl url, HikariDataSource pool) {
    this.url = url;
    this.pool = pool;
  }

  /** Opens the pool (connecting once, to fail now if the database cannot be used). */
  static PostgresStoreDatabase open(StoreUrl url, String password) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("openavathar-studio-store");
    config.setJdbcUrl(url.withoutPassword());
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    config.addDataSourceProperty("logServerErrorDetail", "false");
    config.addDataSourceProperty("ApplicationName", "openavathar-studio");
    config.addDataSourceProperty("connectTimeout", "10");
    try {
      return new PostgresStoreDatabase(url, new HikariDataSource(config));
    } catch (RuntimeException e) {
      SQLException sql = sqlCause(e);
      if (sql != null) {
        throw translate(url.toString(), "connect", sql);
      }
      throw new StoreException(
          "Could not connect to the studio store " + url + ": " + rootMessage(e) + ". Check ",
          Setting.STORE_URL,
          " and that PostgreSQL is running and reachable",
          e,
          false);
    }
  }

  /**
   * Migrates the schema to {@link SchemaMigrations#LATEST} (several processes at once take turns on
   * Flyway's lock) and returns the version the database is at; fails if it is newer than this SDK.
   */
  int migrate() {
    try {
      Flyway flyway =
          Flyway.configure(PostgresStoreDatabase.class.getClassLoader())
              .dataSource(pool)
              .locations(MIGRATIONS)
              .table(HISTORY_TABLE)
              .load();
      // A database migrated by a newer SDK has versions this one does not know: Flyway leaves
      // them alone (it ignores "future" migrations), and the check below refuses the database.
      flyway.migrate();
      int after = call("read the schema version", PostgresStoreDatabase::version);
      SchemaMigrations.checkNotNewer(description(), after, "use another database");
      LOG.debug("Opened {} at schema {}", description(), after);
      return after;
    } catch (OpenAvatharException e) {
      throw e;
    } catch (RuntimeException e) {
      SQLException sql = sqlCause(e);
      if (sql != null) {
        throw translate(description(), "prepare its tables", sql);
      }
      throw new OpenAvatharException(
          "Could not prepare the studio tables in "
              + description()
              + ": "
              + rootMessage(e)
              + ". The database user needs the right to create tables in it",
          e);
    }
  }

  /** The highest version Flyway applied (cheaper than a Flyway info, which scans the scripts). */
  private static int version(Connection c) throws SQLException {
    int version = 0;
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT version FROM " + HISTORY_TABLE + " WHERE success AND version IS NOT NULL");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        version = Math.max(version, Integer.parseInt(rs.getString(1)));
      }
    }
    return version;
  }

  @Override
  public String description() {
    return url.toString();
  }

  @Override
  public <T> T call(String what, Work<T> work) {
    try (Connection c = connection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw translate(description(), what, e);
    }
  }

  /**
   * {@inheritDoc} In read committed; a deadlock or serialization failure rolls back and runs the
   * work again (it is all or nothing), up to {@value #ATTEMPTS} times.
   */
  @Override
  public <T> T transaction(String what, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = connection()) {
        c.setAutoCommit(false);
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(c); // the pool turns auto-commit back on as it takes the connection back
          throw e;
        }
      } catch (SQLException e) {
        if (attempt < ATTEMPTS && isConflict(e)) {
          LOG.debug("{}: {} ran again after {}", description(), what, e.getSQLState());
          continue;
        }
        throw translate(description(), what, e);
      }
    }
  }

  @Override
  public String claimLocking() {
    return " FOR UPDATE SKIP LOCKED";
  }

  @Override
  public void lockKey(Connection c, String key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
      ps.setString(1, key);
      ps.execute();
    }
  }

  private Connection connection() throws SQLException {
    if (closed.get()) {
      throw new IllegalStateException(
          "the studio store " + description() + " is closed; open a new one");
    }
    return pool.getConnection();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      pool.close();
      LOG.debug("Closed {}", description());
    }
  }

  private void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      LOG.debug("Rollback on {} failed after an earlier error: {}", description(), e.toString());
    }
  }

  private static boolean isConflict(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state) || "40P01".equals(state);
  }

  private static SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException s) {
        return s;
      }
    }
    return null;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  /**
   * Turns a failure into a message that names the database (without password), the operation and
   * what to do; by SQL state, since PostgreSQL's codes are standard. A server that cannot be
   * reached (or has no connection left) is a {@link RemoteUnavailableException}, as an unreachable
   * ComfyUI is.
   */
  static OpenAvatharException translate(String description, String what, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String cause = rootMessage(e);
    String prefix = "The studio store " + description + " failed to " + what + ": " + cause;
    if (state.equals("28P01") || state.equals("28000")) {
      return new StoreException(
          "The studio store "
              + description
              + " refused the login ("
              + cause
              + "). Set the right user in the URL and its password in "
              + StoreUrl.PASSWORD_ENV
              + " (or PGPASSWORD)",
          e,
          false);
    }
    if (state.equals("3D000")) {
      return new StoreException(
          prefix + ". Create the database (createdb), or fix ", Setting.STORE_URL, "", e, false);
    }
    if (state.startsWith("08") || state.equals("57P01") || state.equals("57P03")) {
      return new RemoteUnavailableException(
          prefix + ". Check that PostgreSQL is running and reachable at the host and port of ",
          Setting.STORE_URL,
          "",
          e);
    }
    if (state.equals("53300")) {
      return new RemoteUnavailableException(
          prefix
              + ". PostgreSQL has no connection left: raise its max_connections, or run fewer"
              + " studios on it",
          e);
    }
    if (state.equals("42501")) {
      return new StoreException(
          prefix + ". Grant the database user the rights on the studio's tables", e, false);
    }
    if (state.startsWith("40")) {
      return new StoreException(prefix + ". Try again", e, true);
    }
    return new StoreException(
        prefix + ". Check the database, and report a bug if it persists", e, false);
  }
}
