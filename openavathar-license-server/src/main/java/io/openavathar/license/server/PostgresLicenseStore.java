package io.openavathar.license.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL {@link LicenseStore}, for several servers on one database: a HikariCP pool, the
 * schema migrated by Flyway (versions 1 and 2 are SQLite's schema versions 1 and 2), and every
 * count made exact by the database itself, not by locks in this JVM. Daily counts are one {@code
 * INSERT ... ON CONFLICT DO UPDATE ... RETURNING}; a request id counts once because its insert into
 * {@code tracked_requests} meets the primary key; a sale's license is stored once because of the
 * unique {@code sale_id}; an activation locks its license row ({@code SELECT ... FOR UPDATE})
 * before counting the key's devices, so racing activations of one key take turns whichever server
 * runs them.
 *
 * <p>The password is taken out of the URL ({@code ?password=}) and handed to the pool separately;
 * the URL shown in logs and messages has no password, and server error details (which could quote a
 * license key) are not put into exception messages.
 */
final class PostgresLicenseStore extends JdbcLicenseStore {
  private static final Logger log = LoggerFactory.getLogger(PostgresLicenseStore.class);
  static final String MIGRATIONS = "classpath:io/openavathar/license/server/postgresql";
  private static final int ATTEMPTS = 3;

  private final HikariDataSource pool;

  /**
   * Opens the pool and migrates the schema.
   *
   * @param jdbcUrl a {@code jdbc:postgresql://} URL, possibly with {@code user} and {@code
   *     password} parameters
   * @param password the password, or null to use the URL's (or none)
   * @param poolSize connections at most
   */
  PostgresLicenseStore(String jdbcUrl, String password, int poolSize) {
    super(true);
    DatabaseUrl url = DatabaseUrl.parse(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setPoolName("license-store");
    config.setJdbcUrl(url.withoutPassword());
    String effective = password != null ? password : url.password();
    if (effective != null) {
      config.setPassword(effective);
    }
    config.setMaximumPoolSize(poolSize);
    config.setConnectionTimeout(10_000);
    // Server error details can quote the row that clashed (a full license key): keep them out of
    // messages.
    config.addDataSourceProperty("logServerErrorDetail", "false");
    config.addDataSourceProperty("ApplicationName", "openavathar-license-server");
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new LicenseStoreException(
          "Could not connect to the license database "
              + url.withoutPassword()
              + ": "
              + rootMessage(e)
              + ". Check the URL, that PostgreSQL is running and reachable, and the password"
              + " (OPENAVATHAR_DB_PASSWORD).",
          e);
    }
    try {
      Flyway.configure().dataSource(pool).locations(MIGRATIONS).load().migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw new LicenseStoreException(
          "Could not prepare the license tables in "
              + url.withoutPassword()
              + ": "
              + rootMessage(e)
              + ". The database user needs the right to create tables in it.",
          e);
    }
    log.debug("Opened license database {}", url.withoutPassword());
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "PostgresLicenseStore[" + pool.getJdbcUrl() + "]";
  }

  @Override
  <T> T read(SqlWork<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw failed("read", e);
    }
  }

  /**
   * Runs the work in one transaction (read committed). A deadlock or serialization failure, which
   * PostgreSQL may answer when transactions on several servers cross, rolls back and runs it again
   * (the work is all-or-nothing).
   */
  @Override
  <T> T write(SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        }
      } catch (SQLException e) {
        if (attempt < ATTEMPTS && isTransient(e)) {
          log.debug("License database transaction retried after {}", e.getSQLState());
          continue;
        }
        throw failed("write", e);
      }
    }
  }

  private static boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state) || "40P01".equals(state);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  /** A JDBC URL split into the URL without its password and the password. */
  record DatabaseUrl(String withoutPassword, String password) {
    static DatabaseUrl parse(String jdbcUrl) {
      if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException(
            "The license database URL must look like"
                + " jdbc:postgresql://host:5432/licenses?user=licenses (the password from OPENAVATHAR_DB_PASSWORD),"
                + " was "
                + (jdbcUrl == null ? "nothing" : redactedPrefix(jdbcUrl)));
      }
      io.openavathar.internal.JdbcPassword split =
          io.openavathar.internal.JdbcPassword.split(jdbcUrl);
      return new DatabaseUrl(split.withoutPassword(), split.password());
    }

    private static String redactedPrefix(String url) {
      int query = url.indexOf('?');
      return "\"" + (query < 0 ? url : url.substring(0, query) + "?...") + "\"";
    }

    @Override
    public String toString() {
      return withoutPassword;
    }
  }
}
