package io.openavathar.testkit.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;

/**
 * One database on a {@link PostgresServer}, with what a client needs to connect. {@link
 * #toString()} leaves the password out.
 */
public final class PostgresDatabase {
  private final String name;
  private final String jdbcUrl;
  private final String user;
  private final String password;

  PostgresDatabase(String name, String jdbcUrl, String user, String password) {
    this.name = Objects.requireNonNull(name, "name");
    this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    this.user = Objects.requireNonNull(user, "user");
    this.password = Objects.requireNonNull(password, "password");
  }

  /** The database's name. */
  public String name() {
    return name;
  }

  /**
   * Its JDBC URL without credentials, for example {@code
   * jdbc:postgresql://127.0.0.1:5432/t1_mytest}.
   */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** Its JDBC URL with the user in it ({@code ?user=postgres}), still without the password. */
  public String jdbcUrlWithUser() {
    return jdbcUrl + "?user=" + user;
  }

  /** The user to connect as (the cluster's superuser). */
  public String user() {
    return user;
  }

  /** The user's password. */
  public String password() {
    return password;
  }

  /** A new connection to this database; the caller closes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, user, password);
  }

  @Override
  public String toString() {
    return "PostgresDatabase[" + jdbcUrl + " as " + user + "]";
  }
}
