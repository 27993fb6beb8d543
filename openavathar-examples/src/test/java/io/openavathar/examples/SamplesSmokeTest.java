package io.openavathar.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.license.server.LicenseServer;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.media.SampleMedia;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every sample program runs against the testkit, so the samples in the docs keep compiling and
 * working.
 */
class SamplesSmokeTest {
  private static String runMain(ThrowingMain main) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @FunctionalInterface
  interface ThrowingMain {
    void run() throws Exception;
  }

  private static void deleteVideo(String output) throws Exception {
    Matcher m = Pattern.compile("Video: (\\S+\\.mp4)").matcher(output);
    assertThat(m.find()).as(output).isTrue();
    Path video = Path.of(m.group(1));
    assertThat(video).exists();
    Files.delete(video);
  }

  @Test
  void quickStart_runsOnTheSimulator() throws Exception {
    String out = runMain(() -> QuickStart.main(new String[0]));
    assertThat(out).contains("simulated", "Generating window");
    deleteVideo(out);
  }

  @Test
  void runPodAutoStart_startsAPodOnTheSimulatorAndStopsIt() throws Exception {
    String out = runMain(() -> RunPodAutoStart.main(new String[0]));
    assertThat(out)
        .contains(
            "Requesting GPU pod",
            "Pod is ready",
            "on pod",
            "stopped (RunPod says EXITED)",
            "Pods still billing on the simulated account: []");
    deleteVideo(out);
  }

  @Test
  void yourOwnWorkflow_runsTheBundledCoreNodesGraphOnAStockComfyUi() throws Exception {
    String out = runMain(() -> YourOwnWorkflow.main(new String[0]));
    assertThat(out)
        .contains(
            "stock ComfyUI",
            "video comes from node 6",
            "Running Resize (bindings WIDTH -> width, HEIGHT -> height)");
    deleteVideo(out);
  }

  @Test
  void manyVideos_runsTheBatchOverThreeServersAndSaysWhatBecameOfTheDeadOnesJob() throws Exception {
    String out = runMain(() -> ManyVideos.main(new String[0]));
    assertThat(out)
        .contains(
            "Server 2 died (closed) with a job on it.",
            "was lost; moving the job to another pod",
            "#1 done",
            "#6 done",
            "Batch: 6 of 6 videos made");
  }

  @Test
  void spendLimits_estimatesThenRefusesOverTheCapsAndStopsThePod() throws Exception {
    String out = runMain(() -> SpendLimits.main(new String[0]));
    assertThat(out)
        .contains(
            "Estimate: ",
            "Refused (cap $",
            "nothing was started",
            "Video 1 cost $",
            "refused by the daily cap",
            "Stopped pod ",
            "Pods still billing on the simulated account: []");
  }

  @Test
  void freeAndPro_refusesTheSecondFreeVideoThenActivatesPro() throws Exception {
    String out = runMain(() -> FreeAndPro.main(new String[0]));
    assertThat(out)
        .contains(
            "Plan: free, 0 of 1 videos used today",
            "Video 1: ",
            "Video 2 refused: ",
            "upgrade at https://example.gumroad.com/l/openavathar",
            "Activated OAVR-****-****-****-",
            ": Pro is true",
            "Video 3 (Pro): ");
  }

  // Given arguments, the samples run against the servers named: here simulators standing in for
  // real ones.

  @Test
  void quickStart_givenAServerAndFiles_usesThem() throws Exception {
    try (ComfyUiSimulator comfy = ComfyUiSimulator.start()) {
      String out =
          runMain(
              () ->
                  QuickStart.main(
                      new String[] {
                        comfy.baseUrl().toString(),
                        SampleMedia.PORTRAIT_JPEG.path().toString(),
                        SampleMedia.SPEECH_MP3.path().toString()
                      }));
      assertThat(out).doesNotContain("simulated");
      assertThat(comfy.promptIdsSeen()).hasSize(1);
      deleteVideo(out);
    }
  }

  @Test
  void yourOwnWorkflow_givenAServerAndFiles_runsTheGraphThere() throws Exception {
    try (ComfyUiSimulator comfy = ComfyUiSimulator.builder().stockServer().start()) {
      String out =
          runMain(
              () ->
                  YourOwnWorkflow.main(
                      new String[] {
                        comfy.baseUrl().toString(),
                        SampleMedia.portrait().toString(),
                        SampleMedia.speech().toString()
                      }));
      assertThat(out).doesNotContain("simulated").contains("video comes from node 6");
      assertThat(comfy.promptIdsSeen()).hasSize(1);
      deleteVideo(out);
    }
  }

  @Test
  void manyVideos_givenServers_spreadsTheBatchOverThem() throws Exception {
    try (ComfyUiSimulator a = ComfyUiSimulator.start();
        ComfyUiSimulator b = ComfyUiSimulator.start()) {
      String out =
          runMain(
              () ->
                  ManyVideos.main(
                      new String[] {
                        SampleMedia.portrait().toString(),
                        SampleMedia.speech().toString(),
                        a.baseUrl().toString(),
                        b.baseUrl().toString()
                      }));
      assertThat(out).contains("Batch: 6 of 6 videos made");
      assertThat(a.promptIdsSeen().size() + b.promptIdsSeen().size()).isEqualTo(6);
    }
  }

  @Test
  void freeAndPro_givenServersButNoKey_makesTheFreeVideoAndSaysHowToGoPro(@TempDir Path dir)
      throws Exception {
    try (LicenseServer license = LicenseServer.builder().port(0).dataDirectory(dir).start();
        ComfyUiSimulator comfy = ComfyUiSimulator.start()) {
      String out =
          runMain(
              () ->
                  FreeAndPro.main(
                      new String[] {
                        license.baseUrl().toString(),
                        comfy.baseUrl().toString(),
                        SampleMedia.portrait().toString(),
                        SampleMedia.speech().toString()
                      }));
      assertThat(out).contains("Plan: free", "Video 2 refused", "Set OPENAVATHAR_LICENSE_KEY");
    }
  }
}
