package io.openavathar.store;

import static io.openavathar.store.StoreFixtures.T0;
import static io.openavathar.store.StoreFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.InvalidInputException;
import io.openavathar.OpenAvatharException;
import io.openavathar.testkit.postgres.PostgresDatabase;
import io.openavathar.testkit.postgres.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store contract on a real PostgreSQL (one database for the class, emptied before each test),
 * plus what only PostgreSQL does: passwords, migrations by Flyway, its failures.
 */
@ExtendWith(PostgresExtension.class)
class PostgresStudioStoreTest extends StudioStoreContract {
  static PostgresDatabase db;

  @BeforeAll
  static void database(PostgresDatabase database) {
    db = database;
  }

  /** A store on the class's database, with the password given as an application would. */
  static StudioStore connect(PostgresDatabase database) {
    return StudioStore.connect(database.jdbcUrlWithUser(), database.password());
  }

  /** Empties every studio table of {@code database} (the schema stays). */
  static void truncate(PostgresDatabase database) {
    try (Connection c = database.connect();
        Statement st = c.createStatement()) {
      st.execute(
          "TRUNCATE jobs, job_log, videos, started_pods, pending_tracks, settings, pod_intents,"
              + " pod_boots");
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  StudioStore newStore() {
    StudioStore s = connect(db);
    truncate(db);
    return s;
  }

  @Test
  void theSchemaIsVersionedByFlyway_inItsOwnHistoryTable_asSqlitesVersions() throws Exception {
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT max(version::int) FROM "
                    + PostgresStoreDatabase.HISTORY_TABLE
                    + " WHERE success")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(SchemaMigrations.LATEST);
    }
  }

  @Test
  void postgresMigrations_areSqlitesVersions_andScriptsWithoutTypesAreTheSame() throws Exception {
    for (String script : SchemaMigrations.SCRIPTS) {
      assertThat(resource("postgresql/" + script)).as(script).isNotNull();
    }
    // Indexes and untyped-compatible columns: the same SQL on both.
    for (int version : new int[] {2, 3, 6}) {
      String script = SchemaMigrations.SCRIPTS.get(version - 1);
      assertThat(resource("postgresql/" + script))
          .as(script)
          .isEqualTo(resource("migrations/" + script));
    }
  }

  private static String resource(String name) throws java.io.IOException {
    try (java.io.InputStream in = StoreUrl.class.getResourceAsStream(name)) {
      return in == null
          ? null
          : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void thePasswordMayComeFromTheUrlOrTheEnvironment_andIsNeverShown() {
    String withPassword = db.jdbcUrlWithUser() + "&password=" + db.password();
    try (StudioStore s = StudioStore.connect(withPassword)) {
      s.insertJob(job("j1", T0));
      assertThat(s.toString()).contains(db.jdbcUrl()).doesNotContain(db.password());
    }
    StoreUrl url = StoreUrl.parse(db.jdbcUrlWithUser());
    for (String variable : new String[] {"OPENAVATHAR_STORE_PASSWORD", "PGPASSWORD"}) {
      try (StudioStore s = JdbcStudioStore.connect(url, null, Map.of(variable, db.password()))) {
        assertThat(s.job("j1")).isPresent();
      }
    }
  }

  @Test
  void aWrongPassword_saysSo_withoutShowingIt() {
    String url = db.jdbcUrlWithUser() + "&password=not-the-password";
    assertThatThrownBy(() -> StudioStore.connect(url))
        .isInstanceOf(OpenAvatharException.class)
        .hasMessageContaining("refused the login")
        .hasMessageContaining("OPENAVATHAR_STORE_PASSWORD")
        .hasMessageContaining(db.jdbcUrl())
        .hasMessageNotContaining("not-the-password");
  }

  @Test
  void anUnreachableDatabase_saysWhatToCheck() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/studio?user=x&password=secret-1";
    assertThatThrownBy(() -> StudioStore.connect(url))
        .isInstanceOfSatisfying(
            io.openavathar.RemoteUnavailableException.class,
            e -> {
              assertThat(e.isRetryable()).isTrue();
              assertThat(e.getMessage(s -> "--store-url"))
                  .contains("127.0.0.1:" + closedPort)
                  .contains("running and reachable")
                  .contains("--store-url")
                  .doesNotContain("secret-1");
            });
  }

  @Test
  void aMissingDatabase_saysToCreateIt() {
    String url = db.jdbcUrl() + "_missing?user=" + db.user();
    assertThatThrownBy(() -> StudioStore.connect(url, db.password()))
        .isInstanceOf(OpenAvatharException.class)
        .hasMessageContaining("Create the database");
  }

  @Test
  void aDatabaseNewerThanTheSdk_isRefused_withTheSameMessageAsSqlite() throws Exception {
    PostgresDatabase newer =
        io.openavathar.testkit.postgres.PostgresServer.shared().createDatabase("newer");
    connect(newer).close();
    try (Connection c = newer.connect();
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO "
              + PostgresStoreDatabase.HISTORY_TABLE
              + " (installed_rank, version, description, type, script, checksum, installed_by,"
              + " execution_time, success) VALUES (100, '8', 'future', 'SQL', 'V8__future.sql', 0,"
              + " 'test', 0, true)");
    }
    assertThatThrownBy(() -> connect(newer))
        .isInstanceOf(OpenAvatharException.class)
        .hasMessageContaining("is at schema 8 but this SDK knows " + SchemaMigrations.LATEST)
        .hasMessageContaining("upgrade the SDK");
  }

  @Test
  void anUnknownUrl_isRefused_withThePasswordMasked() {
    assertThatThrownBy(() -> StudioStore.connect("jdbc:mysql://h/db?user=a&password=hunter2"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("jdbc:mysql://h/db?user=a&password=***")
        .hasMessageContaining("jdbc:postgresql://")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void timesOrderAsText_whateverTheDatabaseCollation() {
    // "Z" sorts before "a" in byte order but after it in most locales' collations.
    store.insertJob(job("a", T0));
    store.insertJob(job("Z", T0));
    assertThat(store.jobs(JobQuery.newest(10))).extracting(JobRecord::id).containsExactly("a", "Z");
  }
}
