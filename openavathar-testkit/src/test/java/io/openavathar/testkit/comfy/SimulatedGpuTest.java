package io.openavathar.testkit.comfy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class SimulatedGpuTest {

  @Test
  void systemStats_reportsTheDeviceNameAndMemory() {
    SimulatedGpu a6000 =
        SimulatedGpu.of("NVIDIA RTX A6000", 20, 2.0).withVramBytes(51_527_024_640L);
    try (ComfyUiSimulator simulator = TestWorkflows.builder().gpu(a6000).start()) {
      JsonNode device = new TestClient(simulator).get("/system_stats").json().get("devices").get(0);

      assertThat(device.get("name").asText())
          .isEqualTo("cuda:0 NVIDIA RTX A6000 : cudaMallocAsync");
      assertThat(device.get("type").asText()).isEqualTo("cuda");
      assertThat(device.get("vram_total").asLong()).isEqualTo(51_527_024_640L);
    }
  }

  @Test
  void history_spansTheSimulatedDuration_overheadPlusSecondsPerFrame_withoutWaitingForIt()
      throws Exception {
    long started = System.nanoTime();
    double fixed = executionSeconds(SimulatedGpu.of("GPU", 100, 0).withJitter(0), 1, 5.0);
    double oneSecondPerFrame = executionSeconds(SimulatedGpu.of("GPU", 0, 1).withJitter(0), 1, 5.0);
    double twoSecondsPerFrame =
        executionSeconds(SimulatedGpu.of("GPU", 0, 2).withJitter(0), 1, 5.0);

    assertThat(fixed).isEqualTo(100.0);
    assertThat(oneSecondPerFrame).isGreaterThan(50); // 5 s of audio: more than 100 frames at 25 fps
    assertThat(twoSecondsPerFrame).isCloseTo(2 * oneSecondPerFrame, within(0.002));
    assertThat((System.nanoTime() - started) / 1e9)
        .isLessThan(30); // minutes simulated, seconds spent
  }

  @Test
  void jitter_isDrawnFromTheSeed_withinItsBound() throws Exception {
    SimulatedGpu gpu = SimulatedGpu.of("GPU", 20, 1.6);
    double first = executionSeconds(gpu, 7, 3.0);
    double again = executionSeconds(gpu, 7, 3.0);
    double otherSeed = executionSeconds(gpu, 8, 3.0);
    double nominal = executionSeconds(gpu.withJitter(0), 7, 3.0);

    assertThat(again).isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
    assertThat(first).isBetween(nominal * 0.92 - 0.001, nominal * 1.08 + 0.001);
    assertThat(otherSeed).isBetween(nominal * 0.92 - 0.001, nominal * 1.08 + 0.001);
  }

  @Test
  void values_areChecked() {
    assertThatThrownBy(() -> SimulatedGpu.of(" ", 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SimulatedGpu.of("GPU", -1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SimulatedGpu.of("GPU", 1, 1).withJitter(1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(SimulatedGpu.of("GPU", 20, 1.6).nominalSeconds(100)).isEqualTo(180.0);
  }

  /**
   * Runs InfiniteTalk for {@code audioSeconds} on a fresh simulator: the history's execution span
   * in seconds.
   */
  private static double executionSeconds(SimulatedGpu gpu, long seed, double audioSeconds)
      throws Exception {
    try (ComfyUiSimulator simulator = TestWorkflows.builder().gpu(gpu).seed(seed).start()) {
      TestClient client = new TestClient(simulator);
      TestClient.Socket socket = client.connect("owner");
      String promptId = client.submitInfiniteTalk("owner", audioSeconds);
      socket.untilDone(promptId);
      JsonNode messages =
          client.get("/history/" + promptId).json().get(promptId).get("status").get("messages");
      long start = -1;
      long end = -1;
      for (JsonNode m : messages) {
        if (m.get(0).asText().equals("execution_start")) {
          start = m.get(1).get("timestamp").asLong();
        } else if (m.get(0).asText().equals("execution_success")) {
          end = m.get(1).get("timestamp").asLong();
        }
      }
      assertThat(start).isPositive();
      return (end - start) / 1000.0;
    }
  }
}
