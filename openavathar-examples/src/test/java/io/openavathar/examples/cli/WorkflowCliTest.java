package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.comfy.StandInWorkflow;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate --workflow FILE --bind NAME=NODE.INPUT}: a user's own graph, kept by the job for
 * retries.
 */
class WorkflowCliTest {
  @TempDir Path dir;
  ComfyUiSimulator sim;
  CliRun last;
  Path image;
  Path audio;
  Path workflow;
  String data;

  @BeforeEach
  void setUp() {
    sim = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
    image = CliRun.copy(DemoCommand.PORTRAIT, dir.resolve("me.png"));
    audio = CliRun.copy(DemoCommand.SPEECH, dir.resolve("me.wav"));
    workflow = StandInWorkflow.writeTo(dir.resolve("standin.json"));
    data = dir.resolve("data").toString();
  }

  @AfterEach
  void tearDown() {
    sim.close();
  }

  int generate(String... more) {
    String[] base = {
      "generate",
      "--comfy-url",
      sim.baseUrl().toString(),
      "--image",
      image.toString(),
      "--audio",
      audio.toString(),
      "--data-dir",
      data,
      "--workflow",
      workflow.toString()
    };
    String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    last = CliRun.of(args);
    return last.code();
  }

  @Test
  void generate_withTheStandInWorkflow_writesTheMp4OfItsSaveVideo() {
    Path out = dir.resolve("mine.mp4");

    int code =
        generate("--bind", "image=1.image", "--bind", "audio=2.audio", "--out", out.toString());

    assertThat(code).as(last.err()).isZero();
    assertThat(out).exists().isNotEmptyFile();
    assertThat(sim.outputDirectory().resolve("standin/ComfyUI_00001_.mp4")).exists();
  }

  @Test
  void demo_runsTheStandInWorkflowOnItsSimulator() {
    Path out = dir.resolve("demo.mp4");

    last =
        CliRun.of(
            "demo",
            "--step-delay-ms",
            "1",
            "--workflow",
            workflow.toString(),
            "--bind",
            "image=1.image",
            "--bind",
            "audio=2.audio",
            "--out",
            out.toString(),
            "--data-dir",
            data);

    assertThat(last.code()).as(last.err()).isZero();
    assertThat(out).exists().isNotEmptyFile();
  }

  @Test
  void generate_withABadBind_exits2_withOneLineNamingBind_andUploadsNothing() {
    int code = generate("--bind", "image=1", "--bind", "audio=2.audio");

    assertThat(code).isEqualTo(2);
    assertThat(last.err().strip())
        .isEqualTo(
            "openavathar: --bind: 'image=1' is not NAME=NODE.INPUT: say"
                + " NODE.INPUT after the '=', for example image=1.image. NAME is one of image, audio, prompt,"
                + " negative-prompt, width, height, max-frames, audio-cfg, seed, output-prefix, or output=NODE.");
    assertThat(sim.uploadCount()).isZero();
  }

  @Test
  void generate_withoutTheAudioBinding_exits2_withAnExampleFromTheGraph() {
    int code = generate("--bind", "image=1.image");

    assertThat(code).isEqualTo(2);
    assertThat(last.err().strip())
        .isEqualTo(
            "openavathar: The workflow does not say which node input receives"
                + " the audio file. Name it, for example with --bind audio=2.audio (node 2 is the graph's LoadAudio).");
  }

  @Test
  void generate_withABindingToAMissingInput_namesBind() {
    int code =
        generate("--bind", "image=1.image", "--bind", "audio=2.audio", "--bind", "seed=8.seed");

    assertThat(code).isEqualTo(2);
    assertThat(last.err().strip())
        .isEqualTo(
            "openavathar: --bind: Binding seed=8.seed points at input 'seed' of"
                + " node 8 (PrimitiveInt), which has no such input; its inputs are value.");
  }

  @Test
  void bind_withoutWorkflow_isAUsageError() {
    last =
        CliRun.of(
            "generate",
            "--comfy-url",
            sim.baseUrl().toString(),
            "--image",
            image.toString(),
            "--audio",
            audio.toString(),
            "--data-dir",
            data,
            "--bind",
            "image=1.image");

    assertThat(last.code()).isEqualTo(2);
    assertThat(last.err()).contains("--bind needs --workflow FILE");
  }

  @Test
  void generateDetach_thenJobsRun_runsTheQueuedJobsWorkflow() {
    Path out = dir.resolve("queued.mp4");
    assertThat(
            generate(
                "--bind",
                "image=1.image",
                "--bind",
                "audio=2.audio",
                "--detach",
                "--out",
                out.toString()))
        .as(last.err())
        .isZero();

    last = CliRun.of("jobs", "run", "--comfy-url", sim.baseUrl().toString(), "--data-dir", data);

    assertThat(last.code()).as(last.err()).isZero();
    assertThat(out).exists();
    assertThat(sim.outputDirectory().resolve("standin/ComfyUI_00001_.mp4")).exists();
  }

  @Test
  void jobsRetry_runsTheJobsOwnWorkflowAgain() {
    sim.failNextExecution("6", "ExternalError", "libx264 refused width 481");
    assertThat(
            generate(
                "--bind",
                "image=1.image",
                "--bind",
                "audio=2.audio",
                "--out",
                dir.resolve("a.mp4").toString()))
        .isEqualTo(1);
    last = CliRun.of("jobs", "list", "--state", "FAILED", "--json", "--data-dir", data);
    String id = last.out().replaceAll("(?s).*\"id\" : \"([^\"]+)\".*", "$1");

    last =
        CliRun.of("jobs", "retry", id, "--comfy-url", sim.baseUrl().toString(), "--data-dir", data);

    assertThat(last.code()).as(last.err()).isZero();
    assertThat(dir.resolve("a.mp4")).exists();
    assertThat(sim.outputDirectory().resolve("standin/ComfyUI_00001_.mp4")).exists();
  }
}
