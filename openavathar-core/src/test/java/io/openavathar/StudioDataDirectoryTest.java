package io.openavathar;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The studio writes its state to disk only when given a data directory; with one, jobs outlive the
 * studio.
 */
class StudioDataDirectoryTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  @TempDir Path home;
  ComfyUiSimulator sim;
  String realHome;

  @BeforeEach
  void setUp() {
    sim = ComfyUiSimulator.builder().stepDelay(Duration.ZERO).start();
    realHome = System.getProperty("user.home");
    System.setProperty("user.home", home.toString());
  }

  @AfterEach
  void tearDown() {
    System.setProperty("user.home", realHome);
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
  void withoutDataDirectory_jobsLiveInMemory_andNothingIsWrittenUnderTheHomeDirectory()
      throws Exception {
    String id;
    try (AvatarStudio studio = builder().build()) {
      id = generateOne(studio);
      assertThat(studio.jobs().get(id)).isPresent();
    }
    try (AvatarStudio next = builder().build()) {
      assertThat(next.jobs().get(id)).as("a job of a closed in-memory studio").isEmpty();
    }
    try (Stream<Path> written = Files.list(home)) {
      assertThat(written).isEmpty();
    }
    assertThat(dir.resolve("out")).isNotEmptyDirectory();
  }

  @Test
  void withDataDirectory_aNewStudioOnTheSameDirectoryKnowsTheJob() {
    String id;
    try (AvatarStudio studio = builder().dataDirectory(dir.resolve("data")).build()) {
      id = generateOne(studio);
    }
    try (AvatarStudio next = builder().dataDirectory(dir.resolve("data")).build()) {
      assertThat(next.jobs().get(id))
          .hasValueSatisfying(job -> assertThat(job.state()).isEqualTo(JobState.COMPLETED));
    }
  }
}
