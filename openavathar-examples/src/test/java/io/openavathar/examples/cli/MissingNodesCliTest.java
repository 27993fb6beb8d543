package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissingNodesCliTest {
  @TempDir Path dir;

  @Test
  void generate_onAStockComfyUi_isOneLineNamingTheNodePacks_andExitCode1() {
    Path image = CliRun.copy(DemoCommand.PORTRAIT, dir.resolve("me.png"));
    Path audio = CliRun.copy(DemoCommand.SPEECH, dir.resolve("me.wav"));
    try (ComfyUiSimulator sim = ComfyUiSimulator.builder().stockServer().start()) {
      CliRun run =
          CliRun.of(
              "generate",
              "--comfy-url",
              sim.baseUrl().toString(),
              "--image",
              image.toString(),
              "--audio",
              audio.toString(),
              "--out",
              dir.resolve("v.mp4").toString(),
              "--data-dir",
              dir.resolve("data").toString());

      assertThat(run.code()).isEqualTo(ExitCodes.FAILURE);
      assertThat(run.err().lines())
          .singleElement()
          .asString()
          .startsWith("openavathar: The ComfyUI server " + sim.baseUrl() + " lacks 18 node classes")
          .contains("nothing was uploaded")
          .contains(
              "ComfyUI-WanVideoWrapper",
              "ComfyUI-KJNodes",
              "ComfyUI-MelBandRoFormer",
              "ComfyUI-VideoHelperSuite",
              "INTConstant");
      assertThat(sim.uploadCount()).isZero();
    }
    assertThat(dir.resolve("v.mp4")).doesNotExist();
  }
}
