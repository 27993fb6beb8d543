package io.openavathar.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresServerTest {

  @Test
  void aRealPostgresAnswersOnLoopbackWithItsPassword(PostgresDatabase db) throws SQLException {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_database(), version()")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo(db.name());
      assertThat(rs.getString(2)).startsWith("PostgreSQL");
    }
    assertThat(db.jdbcUrl())
        .startsWith("jdbc:postgresql://127.0.0.1:" + PostgresServer.shared().port() + "/");
    assertThat(db.toString()).doesNotContain(db.password());
    assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), db.user(), "wrong").close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("password authentication failed");
  }

  @Test
  void oneTestClassGetsOneDatabaseAndCreatedOnesAreSeparate(PostgresDatabase db)
      throws SQLException {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS marker (id INT)");
    }
    PostgresDatabase other = PostgresServer.shared().createDatabase("other");
    assertThat(other.name()).isNotEqualTo(db.name());
    try (Connection c = other.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT to_regclass('marker') IS NULL")) {
      rs.next();
      assertThat(rs.getBoolean(1)).isTrue();
    }
  }

  @Test
  void theSameClassSharesItsDatabase(PostgresDatabase first, PostgresDatabase second) {
    assertThat(second).isSameAs(first);
  }
}
