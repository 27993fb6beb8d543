package io.openavathar.store;

import static io.openavathar.store.StoreFixtures.T0;
import static io.openavathar.store.StoreFixtures.fullJob;
import static io.openavathar.store.StoreFixtures.job;
import static io.openavathar.store.StoreFixtures.video;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.OpenAvatharException;
import io.openavathar.testkit.postgres.PostgresDatabase;
import io.openavathar.testkit.postgres.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory's studio.db moves into PostgreSQL (and back) with everything but claims. */
class StoreCopyTest {
  static final String GPU = "NVIDIA GeForce RTX 4090";

  @TempDir Path dir;

  /** A store with a row in every table, claims included. */
  static void fill(StudioStore s) {
    s.insertJob(fullJob("j1"));
    s.insertJob(job("j2", T0.plusSeconds(1)));
    s.claimJob("j1", "old-process", T0, Duration.ofDays(1));
    s.appendJobLog("j1", T0, "uploaded");
    s.appendJobLog("j1", T0.plusSeconds(1), "generating");
    s.insertVideo(video("v1", T0).priced(OptionalDouble.of(0.69)));
    s.insertVideo(video("v2", T0.plusSeconds(2)));
    s.podStarted(new StartedPod("p1", "runpod", T0, T0.plusSeconds(5)));
    s.podIntended(new PodIntent("oa-123", "runpod", T0));
    s.podBooted(new PodBoot("p1", GPU, PodBoot.Kind.DEPLOY, T0, T0.plusSeconds(90)));
    s.podBooted(new PodBoot("p2", GPU, PodBoot.Kind.START, T0, T0.plusSeconds(30)));
    s.addPendingTrack("j1", T0);
    s.claimPendingTrack("j1", "old-process", T0, Duration.ofDays(1));
    s.setSetting("daily-cap", "5.0");
  }

  /** {@code copy} holds what {@link #fill} wrote, without the claims. */
  static void assertSameButClaims(StudioStore original, StudioStore copy) {
    assertThat(copy.jobs(JobQuery.newest(10))).isEqualTo(original.jobs(JobQuery.newest(10)));
    assertThat(copy.claim("j1")).isEmpty();
    assertThat(copy.jobLog("j1")).containsExactly("uploaded", "generating");
    assertThat(copy.videos(0, 10)).isEqualTo(original.videos(0, 10));
    assertThat(copy.startedPods()).isEqualTo(original.startedPods());
    assertThat(copy.podIntents()).isEqualTo(original.podIntents());
    assertThat(copy.recentBoots(GPU, 10)).isEqualTo(original.recentBoots(GPU, 10)).hasSize(2);
    assertThat(copy.pendingTrackEntries()).isEqualTo(original.pendingTrackEntries());
    assertThat(copy.claimPendingTrack("j1", "new-process", T0, Duration.ofMinutes(1))).isTrue();
    assertThat(copy.setting("daily-cap")).contains("5.0");
    // the new store goes on where the old one stopped
    copy.appendJobLog("j1", T0.plusSeconds(2), "downloading");
    assertThat(copy.jobLog("j1")).containsExactly("uploaded", "generating", "downloading");
    copy.podBooted(new PodBoot("p3", GPU, PodBoot.Kind.START, T0, T0.plusSeconds(200)));
    assertThat(copy.recentBoots(GPU, 10)).hasSize(3);
  }

  @Test
  void aDataDirectoryCopiesIntoPostgres_andBack() {
    PostgresDatabase db = PostgresServer.shared().createDatabase("copy");
    try (StudioStore sqlite = StudioStore.open(dir.resolve("data"));
        StudioStore postgres = PostgresStudioStoreTest.connect(db)) {
      fill(sqlite);

      assertThat(StudioStore.copy(sqlite, postgres))
          .containsEntry("jobs", 2)
          .containsEntry("job_log", 2)
          .containsEntry("videos", 2)
          .containsEntry("pod_boots", 2)
          .containsEntry("settings", 1)
          .hasSize(8);
      assertSameButClaims(sqlite, postgres);

      try (StudioStore back = StudioStore.inMemory()) {
        StudioStore.copy(postgres, back);
        assertThat(back.jobs(JobQuery.newest(10))).isEqualTo(sqlite.jobs(JobQuery.newest(10)));
        assertThat(back.videos(0, 10)).isEqualTo(sqlite.videos(0, 10));
      }
    }
  }

  @Test
  void aStoreThatIsNotEmpty_isRefused_andKeepsWhatItHad() {
    PostgresDatabase db = PostgresServer.shared().createDatabase("copy");
    try (StudioStore sqlite = StudioStore.open(dir.resolve("data"));
        StudioStore postgres = PostgresStudioStoreTest.connect(db)) {
      fill(sqlite);
      postgres.setSetting("other", "value");

      assertThatThrownBy(() -> StudioStore.copy(sqlite, postgres))
          .isInstanceOf(OpenAvatharException.class)
          .hasMessageContaining("is not empty")
          .hasMessageContaining("settings");
      assertThat(postgres.jobs(JobQuery.newest(10))).isEmpty();
      assertThat(postgres.setting("other")).contains("value");
    }
  }
}
