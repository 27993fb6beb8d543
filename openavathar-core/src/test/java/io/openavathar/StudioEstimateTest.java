package io.openavathar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AvatarStudio#estimate} against your own ComfyUI: GPU time known, price not, nothing
 * started or uploaded.
 */
class StudioEstimateTest {
  @TempDir Path dir;
  ComfyUiSimulator sim;
  AvatarStudio studio;
  Path portrait;

  @BeforeEach
  void setUp() {
    sim = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
    studio =
        AvatarStudio.builder().dataDirectory(dir.resolve("data")).comfyUrls(sim.baseUrl()).build();
    portrait = Inputs.png(dir, "face.png", 512, 512);
  }

  @AfterEach
  void tearDown() {
    studio.close();
    sim.close();
  }

  private GenerationRequest request(double seconds) {
    return GenerationRequest.builder()
        .image(portrait)
        .audio(Inputs.wav(dir, "speech-" + seconds + ".wav", seconds))
        .build();
  }

  @Test
  void anEstimateOnAReadyServerHasNoBootAndNoPriceAndUploadsNothing() throws Exception {
    CostEstimate e = studio.estimate(request(4)).get(10, TimeUnit.SECONDS);

    assertThat(e.frames()).isEqualTo(100);
    assertThat(e.sampledFrames()).isEqualTo(153);
    assertThat(e.podMustStart()).isFalse();
    assertThat(e.bootSeconds()).isEqualTo(CostEstimate.Range.exactly(0));
    assertThat(e.costUsd()).isEmpty();
    assertThat(e.pricePerHour()).isEmpty();
    assertThat(e.basis()).isEqualTo(CostEstimate.Basis.PUBLISHED_FIGURES);
    assertThat(e.gpuSeconds().low()).isLessThan(e.gpuSeconds().expected());
    assertThat(e.gpuSeconds().high()).isGreaterThan(e.gpuSeconds().expected());
    assertThat(sim.uploadCount()).isZero();
    assertThat(studio.jobs().list(io.openavathar.store.JobQuery.newest(10))).isEmpty();
  }

  @Test
  void badInputFailsTheEstimateOnTheCallingThread() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.wav"));
    assertThatThrownBy(
            () -> studio.estimate(GenerationRequest.builder().image(portrait).audio(empty).build()))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void aFinishedVideoBecomesTheHistoryTheNextEstimateRestsOn() throws Exception {
    studio.generate(request(2)).await(Duration.ofSeconds(20));

    CostEstimate e = studio.estimate(request(3)).get(10, TimeUnit.SECONDS);

    assertThat(e.basis()).isEqualTo(CostEstimate.Basis.MEASURED);
    assertThat(e.measuredRuns()).isEqualTo(1);
  }
}
