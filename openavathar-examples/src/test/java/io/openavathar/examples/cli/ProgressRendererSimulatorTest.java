package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.AvatarStudio;
import io.openavathar.GenerationRequest;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole job on the ComfyUI simulator, rendered as plain lines (stderr redirected): one line per
 * stage.
 */
class ProgressRendererSimulatorTest {
  @TempDir Path dir;

  @Test
  void aJobOnTheSimulator_printsItsStages_notItsSteps() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressRenderer renderer =
        new ProgressRenderer(
            new PrintStream(bytes, true, StandardCharsets.UTF_8), false, Clock.systemUTC());
    try (ComfyUiSimulator sim = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
        AvatarStudio studio =
            AvatarStudio.builder()
                .dataDirectory(dir.resolve("data"))
                .resumeOnStart(false)
                .outputDirectory(dir.resolve("out"))
                .comfyUrls(sim.baseUrl())
                .listener(renderer)
                .build()) {
      studio
          .generate(
              GenerationRequest.builder()
                  .image(CliRun.copy(DemoCommand.PORTRAIT, dir.resolve("me.png")))
                  .audio(CliRun.copy(DemoCommand.SPEECH, dir.resolve("me.wav")))
                  .build())
          .await(Duration.ofMinutes(1));
    }

    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines)
        .allMatch(l -> l.matches("\\[\\d\\d:\\d\\d] +\\d{1,3}% .+"), "[mm:ss] percent stage");
    List<String> stages =
        lines.stream().map(l -> l.replaceFirst("^\\[\\d\\d:\\d\\d] +\\d{1,3}% ", "")).toList();
    assertThat(stages)
        .containsSubsequence(
            "Uploading",
            "Submitted to ComfyUI",
            "Loading models",
            "Loading models (Wan 2.1 I2V 14B)",
            "Generating window 1 of 2",
            "Generating window 2 of 2",
            "Decoding the video (Frames)",
            "Saving the video",
            "Downloading the video");
    assertThat(stages).noneMatch(s -> s.matches(".*(step \\d+ of|\\d MB).*"));
    assertThat(stages).doesNotHaveDuplicates();
    assertThat(lines).hasSizeLessThan(40);
  }
}
