package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.testkit.postgres.PostgresDatabase;
import io.openavathar.testkit.postgres.PostgresServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The license server's flags: limits, --verbose, --data-dir or --db-url, copy-to-postgres. */
class LicenseServerCommandTest {
  @TempDir Path dir;
  final StringWriter err = new StringWriter();

  int run(String... args) {
    return Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
  }

  @Test
  void limitBelowOne_isAUsageError_namingTheFlag() {
    assertThat(
            run(
                "license-server",
                "--verbose",
                "--data-dir",
                dir.toString(),
                "--check-limit",
                "100",
                "--new-devices-per-hour",
                "0"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("--new-devices-per-hour must be at least 1, was 0")
        .doesNotContain("Unknown option");
  }

  @Test
  void help_listsTheLimitFlagsAndVerbose() {
    StringWriter out = new StringWriter();
    assertThat(
            Main.run(
                new String[] {"license-server", "--help"},
                new PrintWriter(out, true),
                new PrintWriter(err, true)))
        .isZero();
    assertThat(out.toString())
        .contains(
            "--rate-limit",
            "--check-limit",
            "--check-limit-per-device",
            "--track-limit",
            "--track-limit-per-device",
            "--new-devices-per-hour",
            "--max-connections",
            "--verbose");
  }

  @Test
  void dataDirAndDbUrl_exactlyOneIsNeeded() {
    assertThat(run("license-server", "--port", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("Give either --data-dir", "--db-url");
    assertThat(
            run(
                "license-server",
                "issue",
                "--email",
                "a@example.com",
                "--data-dir",
                dir.toString(),
                "--db-url",
                "jdbc:postgresql://127.0.0.1:1/x"))
        .isEqualTo(2);
  }

  @Test
  void copyToPostgres_movesAnSqliteLicenseIntoPostgres() throws Exception {
    StringWriter issued = new StringWriter();
    assertThat(
            Main.run(
                new String[] {
                  "license-server",
                  "issue",
                  "--email",
                  "a@example.com",
                  "--data-dir",
                  dir.toString()
                },
                new PrintWriter(issued, true),
                new PrintWriter(err, true)))
        .isZero();
    String key = issued.toString().strip();
    PostgresDatabase db = PostgresServer.shared().createDatabase("cli_copy");
    String url = db.jdbcUrlWithUser() + "&password=" + db.password();
    StringWriter out = new StringWriter();
    assertThat(
            Main.run(
                new String[] {
                  "license-server",
                  "copy-to-postgres",
                  "--data-dir",
                  dir.toString(),
                  "--db-url",
                  url
                },
                new PrintWriter(out, true),
                new PrintWriter(err, true)))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("licenses: 1 rows copied");
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT license_key FROM licenses")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(key);
    }
  }
}
