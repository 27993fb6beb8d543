package io.openavathar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.store.StudioStore;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.postgres.PostgresDatabase;
import io.openavathar.testkit.postgres.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A studio keeps its state in the database its store URL names, and closes that store. */
@ExtendWith(PostgresExtension.class)
class StudioStoreUrlTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  ComfyUiSimulator sim;

  @BeforeEach
  void setUp() {
    sim = ComfyUiSimulator.builder().stepDelay(Duration.ZERO).start();
  }

  @AfterEach
  void tearDown() {
    sim.close();
  }

  AvatarStudio.Builder builder() {
    return AvatarStudio.builder().comfyUrls(sim.baseUrl()).outputDirectory(dir.resolve("out"));
  }

  String generateOne(AvatarStudio studio) {
    GenerationJob job =
        studio.generate(
            GenerationRequest.builder()
                .image(Inputs.png(dir, "portrait.png", 512, 768))
                .audio(Inputs.wav(dir, "speech.wav", 1.0))
                .build());
    job.await(WAIT);
    return job.id();
  }

  @Test
  void onPostgres_theJobIsInTheDatabase_andANewStudioOnTheUrlKnowsIt(PostgresDatabase db) {
    String url = db.jdbcUrlWithUser() + "&password=" + db.password();
    String id;
    try (AvatarStudio studio = builder().dataDirectory(dir.resolve("data")).storeUrl(url).build()) {
      id = generateOne(studio);
    }
    assertThat(dir.resolve("data/studio.db")).doesNotExist();
    try (StudioStore store = StudioStore.connect(url)) {
      assertThat(store.job(id))
          .hasValueSatisfying(j -> assertThat(j.state()).isEqualTo(JobState.COMPLETED));
    }
    try (AvatarStudio next = builder().storeUrl(url).build()) {
      assertThat(next.jobs().get(id))
          .hasValueSatisfying(job -> assertThat(job.state()).isEqualTo(JobState.COMPLETED));
    }
  }

  @Test
  void aSqliteUrl_namesTheFile() throws Exception {
    Files.createDirectories(dir.resolve("db"));
    String url = "jdbc:sqlite:" + dir.resolve("db/shared.db");
    try (AvatarStudio studio = builder().storeUrl(url).build()) {
      generateOne(studio);
    }
    assertThat(dir.resolve("db/shared.db")).isRegularFile();
  }

  @Test
  void aSqliteUrlInAMissingDirectory_saysSo() {
    String url = "jdbc:sqlite:" + dir.resolve("missing/studio.db");
    assertThatThrownBy(() -> builder().storeUrl(url).build())
        .isInstanceOf(OpenAvatharException.class)
        .hasMessageContaining("does not exist")
        .hasMessageContaining(dir.resolve("missing").toString());
  }

  @Test
  void aStoreAndAStoreUrl_areRefused() {
    try (StudioStore store = StudioStore.inMemory()) {
      assertThatThrownBy(() -> builder().store(store).storeUrl("jdbc:sqlite::memory:").build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not both");
    }
  }
}
