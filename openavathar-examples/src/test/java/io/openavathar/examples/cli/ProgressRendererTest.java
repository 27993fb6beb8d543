package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.JobProgress;
import io.openavathar.JobState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lines the CLI prints for scripted progress; time comes from a clock the test moves. */
class ProgressRendererTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final MovableClock clock = new MovableClock();

  @Test
  void notATerminal_printsOneLinePerStage_andNothingForMereSteps() {
    ProgressRenderer renderer = new ProgressRenderer(err, false, clock);

    renderer.onProgress(
        null, p(JobState.UPLOADING, 0.01, "Uploading", "Uploading: 0.0 MB of 0.1 MB"));
    renderer.onProgress(
        null, p(JobState.UPLOADING, 0.05, "Uploading", "Uploading: 0.1 MB of 0.1 MB"));
    clock.advance(Duration.ofSeconds(12));
    renderer.onProgress(
        null, p(JobState.GENERATING, 0.05, "Loading models (VAE)", "Loading models (VAE)"));
    clock.advance(Duration.ofSeconds(95));
    renderer.onProgress(
        null,
        p(
            JobState.GENERATING,
            0.10,
            "Generating window 1 of 2",
            "Generating window 1 of 2, " + "step 1 of 6"));
    renderer.onProgress(
        null,
        p(
            JobState.GENERATING,
            0.20,
            "Generating window 1 of 2",
            "Generating window 1 of 2, " + "step 2 of 6"));
    renderer.tick();
    clock.advance(Duration.ofMinutes(60));
    renderer.onProgress(
        null,
        p(
            JobState.GENERATING,
            0.60,
            "Generating window 2 of 2",
            "Generating window 2 of 2, " + "step 1 of 6"));
    renderer.onProgress(
        null, p(JobState.FAILED, 0.60, "Failed: out of memory", "Failed: out of memory"));
    renderer.close();

    assertThat(lines())
        .containsExactly(
            "[00:00]   1% Uploading",
            "[00:12]   5% Loading models (VAE)",
            "[01:47]  10% Generating window 1 of 2",
            "[1:01:47]  60% Generating window 2 of 2");
    assertThat(text()).doesNotContain("\r");
  }

  @Test
  void terminal_redrawsInPlace_whenTheStageChanges_evenIfThePercentDoesNot() {
    ProgressRenderer renderer = new ProgressRenderer(err, true, clock);

    renderer.onProgress(
        null, p(JobState.SUBMITTED, 0.05, "Submitted to ComfyUI", "Submitted to ComfyUI"));
    renderer.onProgress(null, p(JobState.GENERATING, 0.05, "Loading models", "Loading models"));
    renderer.onProgress(
        null,
        p(
            JobState.GENERATING,
            0.05,
            "Loading models (Wan 2.1 I2V 14B)",
            "Loading models (Wan 2.1 I2V 14B)"));

    assertThat(redraws())
        .containsExactly(
            "  5% [>           ] 00:00 Submitted to ComfyUI",
            "  5% [>           ] 00:00 Loading models      ", // wiping the end of the longer line
            // before
            "  5% [>           ] 00:00 Loading models (Wan 2.1 I2V 14B)");
  }

  /** Minutes of model loading send no event at all: the elapsed time still moves, once a second. */
  @Test
  void terminal_tickRedrawsTheElapsedTime_whileNothingHappens() {
    ProgressRenderer renderer = new ProgressRenderer(err, true, clock);
    renderer.onProgress(null, p(JobState.GENERATING, 0.05, "Loading models", "Loading models"));

    renderer.tick(); // same second: nothing to redraw
    clock.advance(Duration.ofSeconds(75));
    renderer.tick();
    renderer.close();

    assertThat(redraws())
        .containsExactly(
            "  5% [>           ] 00:00 Loading models", "  5% [>           ] 01:15 Loading models");
    assertThat(text()).endsWith("\n");
  }

  /** Steps within a stage redraw at most every 200 ms; the tick draws the one left over. */
  @Test
  void terminal_throttlesChangesWithinAStage_andEstimatesTheTimeLeftWhileSampling() {
    ProgressRenderer renderer = new ProgressRenderer(err, true, clock);
    renderer.onProgress(null, sampling(0.10, 1));
    clock.advance(Duration.ofSeconds(10));
    renderer.onProgress(null, sampling(0.20, 2));
    renderer.onProgress(null, sampling(0.30, 3)); // within 200 ms of the last redraw
    clock.advance(Duration.ofSeconds(2));
    renderer.tick();

    assertThat(redraws())
        .containsExactly(
            " 10% [>           ] 00:00 Generating window 1 of 2, step 1 of 6",
            " 20% [=>          ] 00:10 ETA 01:20 Generating window 1 of 2, step 2 of 6",
            " 30% [===>        ] 00:12 ETA 00:42 Generating window 1 of 2, step 3 of 6");
  }

  @Test
  void terminal_cutsLongMessagesToTheWidth() {
    ProgressRenderer renderer = new ProgressRenderer(err, true, clock);
    String path = "/home/someone/videos/" + "x".repeat(80) + ".mp4";

    renderer.onProgress(null, p(JobState.COMPLETED, 1.0, "Done: " + path, "Done: " + path));

    String line = redraws().get(0);
    assertThat(line)
        .hasSize(ProgressRenderer.WIDTH)
        .startsWith("100% [============] 00:00 Done: /home")
        .endsWith("...");
  }

  @Test
  void aConsoleThatIsNoTerminal_orADumbTerminal_getsPlainLines() {
    assertThat(ProgressRenderer.isTerminal(null, "xterm")).isFalse();
    assertThat(ProgressRenderer.clockTime(Duration.ofSeconds(3725))).isEqualTo("1:02:05");
  }

  private static JobProgress sampling(double fraction, int step) {
    return JobProgress.builder(JobState.GENERATING)
        .fraction(fraction)
        .window(1, 2)
        .step(step, 6)
        .stage("Generating window 1 of 2")
        .message("Generating window 1 of 2, step " + step + " of 6")
        .build();
  }

  private static JobProgress p(JobState state, double fraction, String stage, String message) {
    return JobProgress.builder(state).fraction(fraction).stage(stage).message(message).build();
  }

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private List<String> lines() {
    return text().lines().toList();
  }

  /** Each in-place redraw (what follows a carriage return). */
  private List<String> redraws() {
    return Arrays.stream(text().replaceAll("\n$", "").split("\r", -1)).skip(1).toList();
  }

  private static final class MovableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
