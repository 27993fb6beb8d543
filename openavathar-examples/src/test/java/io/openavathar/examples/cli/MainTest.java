package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  Path sample(String resource, String name) throws Exception {
    try (InputStream in = getClass().getResourceAsStream(resource)) {
      Path p = dir.resolve(name);
      Files.copy(in, p);
      return p;
    }
  }

  @Test
  void generate_againstComfy_writesTheVideo_andPrintsItsPath() throws Exception {
    Path image = sample(DemoCommand.PORTRAIT, "me.png");
    Path audio = sample(DemoCommand.SPEECH, "me.wav");
    Path target = dir.resolve("video.mp4");
    try (ComfyUiSimulator sim =
        ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start()) {
      int code =
          run(
              "generate",
              "--comfy-url",
              sim.baseUrl().toString(),
              "--image",
              image.toString(),
              "--audio",
              audio.toString(),
              "--seed",
              "5",
              "--orientation",
              "landscape",
              "--out",
              target.toString(),
              "--data-dir",
              dir.resolve("data").toString());
      assertThat(code).as(err.toString()).isZero();
    }
    assertThat(out.toString().trim()).isEqualTo(target.toAbsolutePath().toString());
    assertThat(target).exists();
    assertThat(Files.size(target)).isGreaterThan(1000);
  }

  @Test
  void generate_withAMislabelledImage_isOneLineAndExitCode2() throws Exception {
    Path fake = Files.writeString(dir.resolve("face.png"), "not an image");
    Path audio = sample(DemoCommand.SPEECH, "me.wav");
    int code =
        run(
            "generate",
            "--comfy-url",
            "http://127.0.0.1:9",
            "--image",
            fake.toString(),
            "--audio",
            audio.toString(),
            "--data-dir",
            dir.resolve("data").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("openavathar: ")
        .contains("face.png")
        .doesNotContain("\tat ");
    assertThat(err.toString().lines()).hasSize(1);
  }

  @Test
  void generate_withMissingOptions_isAUsageError() {
    assertThat(run("generate", "--image", "x.png")).isEqualTo(2);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith("openavathar: Missing required option")
        .endsWith("(see: openavathar generate --help)");
  }

  @Test
  void generate_withBadOrientation_isAUsageError() throws Exception {
    Path image = sample(DemoCommand.PORTRAIT, "me.png");
    Path audio = sample(DemoCommand.SPEECH, "me.wav");
    assertThat(
            run(
                "generate",
                "--comfy-url",
                "http://127.0.0.1:9",
                "--image",
                image.toString(),
                "--audio",
                audio.toString(),
                "--orientation",
                "diagonal",
                "--data-dir",
                dir.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--orientation must be portrait, landscape or auto");
  }

  @Test
  void generate_whenNoServerAnswers_exitsWith6_andVerboseAddsTheStackTrace() throws Exception {
    assertThat(generate(deadComfyUrl(), "--out", dir.resolve("v.mp4").toString(), "--verbose"))
        .isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(err.toString())
        .contains("openavathar: No ComfyUI server is ready")
        .contains("check --comfy-url")
        .contains("\tat ");
    assertThat(err.toString().lines().filter(l -> l.startsWith("openavathar: "))).hasSize(1);
    assertThat(err.toString().lines().findFirst())
        .hasValueSatisfying(l -> assertThat(l).startsWith("openavathar: "));
  }

  @Test
  void generate_whenNoServerAnswers_withoutVerbose_isExactlyOneLine() throws Exception {
    assertThat(generate(deadComfyUrl())).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith("openavathar: No ComfyUI server");
  }

  @Test
  void generate_withAudioOverTheFrameLimit_namesTheFlag() throws Exception {
    assertThat(generate("http://127.0.0.1:9", "--max-frames", "1")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .contains("raise --max-frames to ")
        .doesNotContain("maxFrames");
  }

  @Test
  void generate_withAnOptionOutOfRange_namesTheFlag() throws Exception {
    assertThat(generate("http://127.0.0.1:9", "--max-frames", "0")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .isEqualTo(
            "openavathar: --max-frames 0 is out of range; see the allowed values with --help");
  }

  /** Runs generate on the bundled samples against {@code comfyUrl}, with {@code more} options. */
  int generate(String comfyUrl, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "generate",
                "--comfy-url",
                comfyUrl,
                "--image",
                sample(DemoCommand.PORTRAIT, "me.png").toString(),
                "--audio",
                sample(DemoCommand.SPEECH, "me.wav").toString(),
                "--data-dir",
                dir.resolve("data").toString()));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  /** The URL of a ComfyUI that has just stopped: nothing answers there. */
  static String deadComfyUrl() {
    try (ComfyUiSimulator sim = ComfyUiSimulator.start()) {
      return sim.baseUrl().toString();
    }
  }

  @Test
  void demo_runsAgainstTheSimulator_andSaysSo() {
    Path target = dir.resolve("demo.mp4");
    int code = run("demo", "--step-delay-ms", "1", "--out", target.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(target).exists();
    assertThat(out.toString().trim()).isEqualTo(target.toAbsolutePath().toString());
    assertThat(err.toString()).contains("SIMULATED").contains("--comfy-url");
  }
}
