package io.openavathar.store;

import static io.openavathar.store.StoreFixtures.T0;
import static io.openavathar.store.StoreFixtures.fullJob;
import static io.openavathar.store.StoreFixtures.video;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.JobState;
import io.openavathar.OpenAvatharException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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
      assertThat(store.schemaVersion()).isEqualTo(7);
    }

    assertThat(query("SELECT version FROM schema_version ORDER BY version"))
        .containsExactly("1", "2", "3", "4", "5", "6", "7");
    assertThat(
            query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                    + " ORDER BY name"))
        .containsExactly(
            "job_log",
            "jobs",
            "pending_tracks",
            "pod_boots",
            "pod_intents",
            "schema_version",
            "settings",
            "started_pods",
            "videos");
    assertThat(indexes())
        .contains(
            "jobs_newest_first",
            "jobs_by_state",
            "videos_newest_first",
            "videos_gpu_newest",
            "pod_boots_gpu_newest");
  }

  @Test
  void open_onAV1Database_migratesToTheLatestKeepingItsData() throws SQLException {
    try (StudioStore v1 = JdbcStudioStore.open(dir, 1)) {
      assertThat(v1.schemaVersion()).isEqualTo(1);
      insertJobWithoutComfyUrl(fullJob("j1"));
      v1.claimJob("j1", "process-a", T0, StudioStoreContract.LEASE);
      v1.appendJobLog("j1", T0, "queued");
      insertVideoWithoutCost(video("v1", T0));
      v1.setSetting("theme", "dark");
    }
    assertThat(query("SELECT version FROM schema_version")).containsExactly("1");
    assertThat(indexes()).doesNotContain("jobs_newest_first");

    try (StudioStore store = StudioStore.open(dir)) {
      assertThat(store.schemaVersion()).isEqualTo(7);
      assertThat(store.job("j1")).contains(fullJob("j1").toBuilder().comfyUrl(null).build());
      assertThat(store.claimJob("j1", "process-b", T0, StudioStoreContract.LEASE)).isFalse();
      assertThat(store.jobLog("j1")).containsExactly("queued");
      assertThat(store.video("v1")).contains(video("v1", T0));
      assertThat(store.setting("theme")).contains("dark");
    }
    assertThat(indexes()).contains("jobs_newest_first");
  }

  @Test
  void open_onAV2Database_addsTheComfyUrlColumn_keepingJobsClaimsAndVideos() throws SQLException {
    JobRecord submitted =
        fullJob("j1").toBuilder().state(JobState.DOWNLOADING).comfyUrl(null).build();
    try (StudioStore v2 = JdbcStudioStore.open(dir, 2)) {
      assertThat(v2.schemaVersion()).isEqualTo(2);
      insertJobWithoutComfyUrl(submitted);
      v2.claimJob("j1", "process-a", T0, StudioStoreContract.LEASE);
      insertVideoWithoutCost(video("v1", T0));
    }
    assertThat(query("SELECT max(version) FROM schema_version")).containsExactly("2");

    try (StudioStore store = StudioStore.open(dir)) {
      assertThat(store.schemaVersion()).isEqualTo(7);
      assertThat(store.job("j1")).contains(submitted);
      assertThat(store.claim("j1"))
          .contains(new JobClaim("process-a", T0.plus(StudioStoreContract.LEASE)));
      assertThat(store.video("v1")).contains(video("v1", T0));

      JobRecord attached =
          submitted.toBuilder()
              .comfyUrl("http://gpu-box:8188")
              .clientId("openavathar-0f1e") // schema 6
              .build();
      store.updateJob(attached);
      assertThat(store.job("j1")).contains(attached);
    }
  }

  @Test
  void open_onAV4Database_addsPriceAndCost_keepingVideosWithTheirsUnknown() throws SQLException {
    try (StudioStore v4 = JdbcStudioStore.open(dir, 4)) {
      assertThat(v4.schemaVersion()).isEqualTo(4);
      insertVideoWithoutCost(video("v1", T0));
    }

    try (StudioStore store = StudioStore.open(dir)) {
      assertThat(store.schemaVersion()).isEqualTo(7);
      VideoRecord read = store.video("v1").orElseThrow();
      assertThat(read).isEqualTo(video("v1", T0));
      assertThat(read.pricePerHour()).isEmpty();
      assertThat(read.costUsd()).isEmpty();
      assertThat(store.recentRuns(read.gpuType(), 5))
          .extracting(GpuRun::gpuSeconds)
          .containsExactly(87.25);

      VideoRecord priced = video("v2", T0.plusSeconds(1)).priced(java.util.OptionalDouble.of(0.69));
      store.insertVideo(priced);
      assertThat(store.video("v2")).contains(priced);
    }
  }

  @Test
  void open_atTheLatestSchema_appliesNothingAgain() throws SQLException {
    StudioStore.open(dir).close();
    List<String> applied =
        query("SELECT version || ' ' || applied_at FROM schema_version ORDER BY version");

    StudioStore.open(dir).close();

    assertThat(query("SELECT version || ' ' || applied_at FROM schema_version ORDER BY version"))
        .isEqualTo(applied);
  }

  @Test
  void open_onADatabaseFromANewerSdk_isRefusedWithAnUpgradeMessage() throws SQLException {
    StudioStore.open(dir).close();
    execute(
        "INSERT INTO schema_version (version, applied_at) VALUES (8, '2030-01-01T00:00:00.000000000Z')");

    assertThatThrownBy(() -> StudioStore.open(dir))
        .isInstanceOf(OpenAvatharException.class)
        .hasMessage(
            "studio.db in "
                + dir.toAbsolutePath().normalize()
                + " is at schema 8 but this SDK knows 7: upgrade the SDK, or use another data directory");
    assertThat(query("SELECT max(version) FROM schema_version")).containsExactly("8");
  }

  @Test
  void statements_splitsAScriptIntoStatementsWithoutComments() {
    List<String> v1 = SchemaMigrations.statements(SchemaMigrations.SCRIPTS.get(0));

    assertThat(v1)
        .hasSize(6)
        .allSatisfy(
            s -> assertThat(s).startsWith("CREATE TABLE").endsWith(";").doesNotContain("--"));
    assertThat(SchemaMigrations.statements(SchemaMigrations.SCRIPTS.get(1))).hasSize(3);
    assertThat(SchemaMigrations.statements(SchemaMigrations.SCRIPTS.get(2)))
        .containsExactly("ALTER TABLE jobs ADD COLUMN comfy_url TEXT;");
    assertThat(SchemaMigrations.statements(SchemaMigrations.SCRIPTS.get(3)))
        .singleElement()
        .satisfies(s -> assertThat(s).startsWith("CREATE TABLE pod_intents"));
  }

  @Test
  void migrate_toAnUnknownVersion_isRejected() {
    assertThatThrownBy(() -> JdbcStudioStore.open(dir, 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 1 and 7, was 8");
  }

  /** Inserts a job as schemas 1 and 2 knew it (without the comfy_url column of schema 3). */
  private void insertJobWithoutComfyUrl(JobRecord j) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("studio.db"));
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO jobs (id, state, request_json, seed, attempt, pod_id,"
                    + " prompt_id, output_file, error_type, error_message, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      Object[] values = {
        j.id(),
        j.state().name(),
        j.requestJson(),
        j.seed(),
        j.attempt(),
        j.podId().orElse(null),
        j.promptId().orElse(null),
        j.outputFile().orElse(null),
        j.errorType().orElse(null),
        j.errorMessage().orElse(null),
        StoreTime.text(j.createdAt()),
        StoreTime.text(j.updatedAt())
      };
      for (int i = 0; i < values.length; i++) {
        ps.setObject(i + 1, values[i]);
      }
      ps.executeUpdate();
    }
  }

  /** Inserts a video as schemas 1 to 4 knew it (without the price and cost columns of schema 5). */
  private void insertVideoWithoutCost(VideoRecord v) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("studio.db"));
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO videos (id, job_id, pod_id, gpu_type, prompt_id,"
                    + " remote_type, remote_subfolder, remote_filename, local_file, size_bytes, width, height, frames,"
                    + " duration_millis, seed, gpu_seconds, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      Object[] values = {
        v.id(),
        v.jobId(),
        v.podId(),
        v.gpuType(),
        v.promptId(),
        v.remoteType(),
        v.remoteSubfolder(),
        v.remoteFilename(),
        v.localFile(),
        v.sizeBytes(),
        v.width(),
        v.height(),
        v.frames(),
        v.durationMillis(),
        v.seed(),
        v.gpuSeconds(),
        StoreTime.text(v.createdAt())
      };
      for (int i = 0; i < values.length; i++) {
        ps.setObject(i + 1, values[i]);
      }
      ps.executeUpdate();
    }
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
