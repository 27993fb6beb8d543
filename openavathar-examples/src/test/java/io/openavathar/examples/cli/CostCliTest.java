package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.testkit.runpod.RunPodSimulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `generate --estimate`, `--max-cost` and `--daily-cap` (and their config keys) against the RunPod
 * simulator.
 */
class CostCliTest {
  static final String KEY = "rpa_COSTCLITEST0123456789ABCDEFGH";

  @TempDir Path dir;
  Path data;
  Path image;
  Path audio;
  RunPodSimulator runpod;
  StringWriter out = new StringWriter();
  StringWriter err = new StringWriter();

  @BeforeEach
  void setUp() throws Exception {
    data = dir.resolve("data");
    image = CliRun.copy(DemoCommand.PORTRAIT, dir.resolve("me.png"));
    audio = CliRun.copy(DemoCommand.SPEECH, dir.resolve("me.wav"));
    runpod =
        RunPodSimulator.builder()
            .apiKey(KEY)
            .provisioningDelay(Duration.ofMillis(20))
            .startingDelay(Duration.ofMillis(20))
            .comfyReadyDelay(Duration.ofMillis(50))
            .comfyStepDelay(Duration.ZERO)
            .start();
  }

  @AfterEach
  void tearDown() {
    try {
      for (String id : runpod.billingPods()) {
        assertThat(run("pods", "terminate", id)).as(err.toString()).isZero();
      }
    } finally {
      runpod.close();
    }
  }

  int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--data-dir",
            data.toString(),
            "--runpod-api-url",
            runpod.apiUrl().toString(),
            "--runpod-proxy-pattern",
            runpod.proxyUrlPattern(),
            "--runpod-api-key",
            KEY));
    return Main.run(
        all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  int generate(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "generate",
                "--image",
                image.toString(),
                "--audio",
                audio.toString(),
                "--out",
                dir.resolve("v" + System.nanoTime() + ".mp4").toString()));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  @Test
  void estimate_printsGpuBootTimeAndCostRanges_andStartsNothing() {
    assertThat(generate("--estimate")).as(err.toString()).isZero();

    assertThat(out.toString())
        .contains("RTX 4090 at $0.34/h, on a pod that must start first")
        .contains("Boot:")
        .contains("GPU time:")
        .contains("from published figures")
        .containsPattern("Cost: +~\\$0\\.\\d{3} \\(\\$0\\.\\d{3}-\\$0\\.\\d{3}\\)")
        .contains("Nothing was started or uploaded.");
    assertThat(runpod.createCalls()).isZero();
    assertThat(runpod.pods()).isEmpty();
  }

  @Test
  void maxCost_belowTheEstimate_refusesBeforeAnyPodStarts_exit3() {
    int code = generate("--max-cost", "0.001");

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.QUOTA);
    assertThat(err.toString())
        .startsWith("openavathar: This video is estimated at $")
        .contains("over the limit of $0.00")
        .contains("raise --max-cost.");
    assertThat(runpod.createCalls()).isZero();
  }

  @Test
  void dailyCap_fromConfig_refusesTheNextVideoOnceTodaysSpendReachesIt() throws Exception {
    assertThat(generate("--cloud", "community", "--stop-pod")).as(err.toString()).isZero();
    assertThat(err.toString()).containsPattern("GPU-s on NVIDIA GeForce RTX 4090, \\$0\\.\\d+");
    assertThat(
            Main.run(
                new String[] {"config", "set", "daily-cap", "0.002", "--data-dir", data.toString()},
                new PrintWriter(out, true),
                new PrintWriter(err, true)))
        .as(err.toString())
        .isZero();

    int code = generate("--cloud", "community");

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.QUOTA);
    assertThat(err.toString()).contains("of the $0.00 daily cap").contains("raise --daily-cap");
    assertThat(runpod.createCalls()).isEqualTo(1);
    assertThat(Files.readString(data.resolve("config.properties"))).contains("daily-cap=0.002");
  }
}
