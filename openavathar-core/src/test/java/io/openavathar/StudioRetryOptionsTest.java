package io.openavathar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The studio's retryOptions reach the ComfyUI calls of its jobs. */
class StudioRetryOptionsTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  ComfyUiSimulator sim = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();

  @AfterEach
  void tearDown() {
    sim.close();
  }

  GeneratedVideo generate(RetryOptions options) {
    try (AvatarStudio studio =
        AvatarStudio.builder()
            .dataDirectory(dir.resolve("data"))
            .comfyUrls(sim.baseUrl())
            .retryOptions(options)
            .retryBudget(0)
            .build()) { // no move to another attempt: only the call retries
      return studio
          .generate(
              GenerationRequest.builder()
                  .image(Inputs.png(dir, "portrait.png", 512, 768))
                  .audio(Inputs.wav(dir, "speech.wav", 2.0))
                  .build())
          .await(WAIT);
    }
  }

  @Test
  void oneAttempt_aBusyUploadFailsTheJob() {
    sim.failNextRequests("POST", "/upload/image", 503, 1);

    assertThatThrownBy(() -> generate(RetryOptions.builder().maxAttempts(1).build()))
        .isInstanceOf(RemoteUnavailableException.class);
  }

  @Test
  void twoAttempts_aBusyUploadIsRetried() {
    sim.failNextRequests("POST", "/upload/image", 503, 1);

    assertThat(
            generate(
                    RetryOptions.builder()
                        .maxAttempts(2)
                        .initialBackoff(Duration.ofMillis(1))
                        .build())
                .file())
        .exists();
  }
}
