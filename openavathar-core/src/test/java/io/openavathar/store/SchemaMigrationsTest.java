package io.openavathar.store;

import static io.openavathar.store.StoreFixtures.T0;
import static io.openavathar.store.StoreFixtures.fullJob;
import static io.openavathar.store.StoreFixtures.video;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.OpenAvatharException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaMigrationsTest {
  @TempDir Path dir;

  @Test
  void open_onAnEmptyDirectory_appliesEveryMigrationInOrder() throws SQLException {
    try (StudioStore store = StudioStore.open(dir)) {
      assertThat(store.schemaVersion()).isEqualTo(2);
    }

    assertThat(query("SELECT version FROM schema_version ORDER BY version")).containsExactly("1", "2");
    assertThat(query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).containsExactly(
        "job_log", "jobs", "pending_tracks", "schema_version", "settings", "started_pods", "videos");
    assertThat(indexes()).contains("jobs_newest_first", "jobs_by_state", "videos_newest_first");
  }

  @Test
  void open_onAV1Database_migratesToTheLatestKeepingItsData() throws SQLException {
    try (StudioStore v1 = SqliteStudioStore.open(dir, 1)) {
      assertThat(v1.schemaVersion()).isEqualTo(1);
      v1.insertJob(fullJob("j1"));
      v1.claimJob("j1", "process-a", T0, StudioStoreContract.LEASE);
      v1.appendJobLog("j1", T0, "queued");
      v1.insertVideo(video("v1", T0));
      v1.setSetting("theme", "dark");
    }
    assertThat(query("SELECT version FROM schema_version")).containsExactly("1");
    assertThat(indexes()).doesNotContain("jobs_newest_first");

    try (StudioStore store = StudioStore.open(dir)) {
      assertThat(store.schemaVersion()).isEqualTo(2);
      assertThat(store.job("j1")).contains(fullJob("j1"));
      assertThat(store.claimJob("j1", "process-b", T0, StudioStoreContract.LEASE)).isFalse();
      assertThat(store.jobLog("j1")).containsExactly("queued");
      assertThat(store.video("v1")).contains(video("v1", T0));
      assertThat(store.setting("theme")).contains("dark");
    }
    assertThat(indexes()).contains("jobs_newest_first");
  }

  @Test
  void open_atTheLatestSchema_appliesNothingAgain() throws SQLException {
    StudioStore.open(dir).close();
    List<String> applied = query("SELECT version || ' ' || applied_at FROM schema_version ORDER BY version");

    StudioStore.open(dir).close();

    assertThat(query("SELECT version || ' ' || applied_at FROM schema_version ORDER BY version"))
        .isEqualTo(applied);
  }

  @Test
  void open_onADatabaseFromANewerSdk_isRefusedWithAnUpgradeMessage() throws SQLException {
    StudioStore.open(dir).close();
    execute("INSERT INTO schema_version (version, applied_at) VALUES (3, '2030-01-01T00:00:00.000000000Z')");

    assertThatThrownBy(() -> StudioStore.open(dir))
        .isInstanceOf(OpenAvatharException.class)
        .hasMessage("studio.db in " + dir.toAbsolutePath().normalize()
            + " is at schema 3 but this SDK knows 2: upgrade the SDK, or use another data directory");
    assertThat(query("SELECT max(version) FROM schema_version")).containsExactly("3");
  }

  @Test
  void statements_splitsAScriptIntoStatementsWithoutComments() {
    List<String> v1 = SchemaMigrations.statements(SchemaMigrations.SCRIPTS.get(0));

    assertThat(v1).hasSize(6).allSatisfy(s -> assertThat(s).startsWith("CREATE TABLE").endsWith(";")
        .doesNotContain("--"));
    assertThat(SchemaMigrations.statements(SchemaMigrations.SCRIPTS.get(1))).hasSize(3);
  }

  @Test
  void migrate_toAnUnknownVersion_isRejected() {
    assertThatThrownBy(() -> SqliteStudioStore.open(dir, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and 2, was 3");
  }

  private List<String> indexes() throws SQLException {
    return query("SELECT name FROM sqlite_master WHERE type = 'index'");
  }

  private List<String> query(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("studio.db"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
      return rows;
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("studio.db"));
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
