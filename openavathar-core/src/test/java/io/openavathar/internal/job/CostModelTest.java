package io.openavathar.internal.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.openavathar.CostEstimate.Basis;
import io.openavathar.CostEstimate.Range;
import io.openavathar.internal.job.CostModel.Run;
import io.openavathar.internal.job.CostModel.Speed;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostModelTest {

  @Test
  void aShortClipStillSamplesAWholeWindow() {
    assertThat(CostModel.sampledFrames(25, 81, 9)).isEqualTo(81);
    assertThat(CostModel.sampledFrames(81, 81, 9)).isEqualTo(81);
    assertThat(CostModel.sampledFrames(82, 81, 9)).isEqualTo(153);
    assertThat(CostModel.sampledFrames(1000, 81, 9)).isEqualTo(1017);
    // A recorded video of whole windows maps to itself, so history and requests share one basis.
    assertThat(CostModel.sampledFrames(153, 81, 9)).isEqualTo(153);
  }

  @Test
  void withoutHistoryThePublishedFigureForTheGpuTypeIsUsedWithAWideSpan() {
    Speed speed = CostModel.speed("NVIDIA GeForce RTX 4090", List.of());

    assertThat(speed.basis()).isEqualTo(Basis.PUBLISHED_FIGURES);
    assertThat(speed.secondsPerFrame()).isEqualTo(1.6);
    Range r = speed.gpuSeconds(153);
    assertThat(r.expected()).isCloseTo(45 + 1.6 * 153, within(1e-9));
    assertThat(r.low()).isLessThan(r.expected() * 0.7);
    assertThat(r.high()).isGreaterThan(r.expected() * 1.5);
    assertThat(CostModel.publishedSecondsPerFrame("NVIDIA H100 80GB HBM3")).isEqualTo(0.7);
    assertThat(CostModel.publishedSecondsPerFrame("NVIDIA L40S")).isEqualTo(1.3);
    assertThat(CostModel.publishedSecondsPerFrame("cpu"))
        .isEqualTo(CostModel.UNKNOWN_SECONDS_PER_FRAME);
  }

  @Test
  void measuredRunsOfSeveralLengthsAreFittedToALineAndNarrowTheSpan() {
    // This account's 4090s are slower than published: 20 s per job + 2.0 s per frame.
    List<Run> runs =
        List.of(
            new Run(81, 20 + 2.0 * 81),
            new Run(585, 20 + 2.0 * 585),
            new Run(1017, 20 + 2.0 * 1017));

    Speed speed = CostModel.speed("NVIDIA GeForce RTX 4090", runs);

    assertThat(speed.basis()).isEqualTo(Basis.MEASURED);
    assertThat(speed.runs()).isEqualTo(3);
    assertThat(speed.overheadSeconds()).isCloseTo(20, within(1e-6));
    assertThat(speed.secondsPerFrame()).isCloseTo(2.0, within(1e-9));
    Range r = speed.gpuSeconds(297);
    assertThat(r.expected()).isCloseTo(20 + 2.0 * 297, within(1e-6));
    assertThat(r.high() / r.expected()).isLessThan(1.2);
  }

  @Test
  void runsOfOneLengthScaleThePublishedShapeAndNoisyRunsWidenTheSpan() {
    Speed one = CostModel.speed("NVIDIA RTX A6000", List.of(new Run(153, 500), new Run(153, 500)));
    assertThat(one.gpuSeconds(153).expected()).isCloseTo(500, within(1e-6));
    assertThat(one.overheadSeconds()).isPositive();

    Speed noisy =
        CostModel.speed("NVIDIA RTX A6000", List.of(new Run(153, 400), new Run(153, 600)));
    assertThat(noisy.spreadUp()).isGreaterThan(one.spreadUp());
  }

  @Test
  void bootTimeIsTheSpanOfMeasuredBootsAroundTheirMedian() {
    assertThat(CostModel.boot(List.of())).isEqualTo(CostModel.DEFAULT_BOOT_SECONDS);
    Range r =
        CostModel.boot(
            List.of(Duration.ofSeconds(100), Duration.ofSeconds(80), Duration.ofSeconds(120)));
    assertThat(r.expected()).isEqualTo(100);
    assertThat(r.low()).isEqualTo(80 * 0.85, within(1e-9));
    assertThat(r.high()).isEqualTo(120 * 1.15, within(1e-9));
  }
}
