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

  /**
   * The database's name.
   *
   * @return the name, unique on the cluster
   */
  public String name() {
    return name;
  }

  /**
   * Its JDBC URL without credentials, for example {@code
   * jdbc:postgresql://127.0.0.1:5432/t1_mytest}.
   *
   * @return the URL without user or password
   */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /**
   * Its JDBC URL with the user in it ({@code ?user=postgres}), still without the password.
   *
   * @return the URL with the user but without the password
   */
  public String jdbcUrlWithUser() {
    return jdbcUrl + "?user=" + user;
  }

  /**
   * The user to connect as (the cluster's superuser).
   *
   * @return the user name
   */
  public String user() {
    return user;
  }

  /**
   * The user's password.
   *
   * @return the password; keep it out of logs
   */
  public String password() {
    return password;
  }

  /**
   * A new connection to this database; the caller closes it.
   *
   * @return an open connection
   * @throws SQLException if the connection cannot be made
   */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, user, password);
  }

  @Override
  public String toString() {
    return "PostgresDatabase[" + jdbcUrl + " as " + user + "]";
  }
}
