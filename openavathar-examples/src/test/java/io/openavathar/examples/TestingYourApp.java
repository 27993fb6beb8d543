package io.openavathar.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.junit5.ComfyUiSimulatorExtension;
import io.openavathar.testkit.media.SampleMedia;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample for testing your own application: a JUnit 5 test of {@link WelcomeVideos} (a small
 * class that embeds the SDK) against the testkit's ComfyUI simulator, with the testkit's sample
 * media as inputs. No GPU, no network, a few seconds. Needs {@code openavathar-testkit} and {@code
 * junit-jupiter} in the test scope.
 */
class TestingYourApp {

  /** A fresh simulated ComfyUI before each test, closed after it. */
  @RegisterExtension
  final ComfyUiSimulatorExtension comfy =
      new ComfyUiSimulatorExtension(
          builder ->
              builder.stepDelay(
                  Duration.ZERO)); // no wait per sampler step: the test takes as long as the HTTP

  // traffic

  @TempDir Path dir;

  @Test
  void makesTheWelcomeVideo() {
    try (WelcomeVideos app = new WelcomeVideos(comfy.simulator().baseUrl(), dir)) {
      Path video = app.welcome("ada", SampleMedia.portrait(), SampleMedia.speech());

      assertThat(video).hasFileName("welcome-ada.mp4").isNotEmptyFile();
      assertThat(comfy.simulator().uploadCount()).isEqualTo(2); // the photo and the greeting
      assertThat(comfy.simulator().promptIdsSeen()).hasSize(1);
    }
  }

  @Test
  void survivesAFailedUploadAndADroppedSocket() {
    ComfyUiSimulator simulator = comfy.simulator();
    // Script the awkward parts before the app runs: the first image upload gets a 503, and the
    // progress socket dies
    // after 10 events. The SDK retries the upload and reconnects; the app sees none of it.
    simulator.failNextRequests("POST", "/upload/image", 503, 1);
    simulator.dropWebSocketsAfter(10);

    try (WelcomeVideos app = new WelcomeVideos(simulator.baseUrl(), dir)) {
      Path video =
          app.welcome("grace", SampleMedia.PORTRAIT_JPEG.path(), SampleMedia.SPEECH_MP3.path());

      assertThat(video).isNotEmptyFile();
      assertThat(simulator.requests())
          .filteredOn(request -> request.route().equals("/upload/image"))
          .hasSize(3); // the 503, its retry, the greeting
      assertThat(simulator.promptIdsSeen()).hasSize(1); // submitted once, not twice
    }
  }
}
