package io.openavathar;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finished video records what its MP4 says, and what the request asked for only when the MP4
 * cannot be read.
 */
class GeneratedVideoFactsTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void generate_whenTheMp4CannotBeRead_recordsTheRequestedValues() throws Exception {
    Path notMp4 =
        Files.writeString(dir.resolve("broken.mp4"), "not a video at all, but the server sent it");
    try (ComfyUiSimulator sim =
            ComfyUiSimulator.builder()
                .stepDelay(Duration.ofMillis(1))
                .sampleVideos(notMp4, notMp4)
                .start();
        AvatarStudio studio =
            AvatarStudio.builder()
                .dataDirectory(dir.resolve("data"))
                .outputDirectory(dir.resolve("out"))
                .trackerOptions(AvatarStudioTest.FAST_POLLS)
                .comfyUrls(sim.baseUrl())
                .build()) {
      GenerationRequest request =
          GenerationRequest.builder()
              .image(Inputs.png(dir, "wide.png", 768, 512))
              .audio(Inputs.wav(dir, "speech.wav", 2.0))
              .build();

      GeneratedVideo video = studio.generate(request).await(WAIT);

      assertThat(video.width()).isEqualTo(832);
      assertThat(video.height()).isEqualTo(480);
      assertThat(video.frames()).isEqualTo(50);
      assertThat(video.duration()).isEqualTo(Duration.ofSeconds(2));
      assertThat(studio.videos().get(video.id()).orElseThrow().frames()).isEqualTo(50);
    }
  }
}
