package io.openavathar.comfy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SystemStatsTest {
  private static SystemStats.Device device(String name, String type) {
    return new SystemStats.Device(name, type, 0, 0);
  }

  @Test
  void gpuName_dropsTheIndexAndTheAllocatorComfyUiAddsToTheDeviceName() {
    assertThat(device("cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync", "cuda").gpuName())
        .isEqualTo("NVIDIA GeForce RTX 4090");
    assertThat(device("cuda:1 NVIDIA H100 80GB HBM3 : native", "cuda").gpuName())
        .isEqualTo("NVIDIA H100 80GB HBM3");
    assertThat(device("cuda:0 NVIDIA RTX A6000", "cuda").gpuName()).isEqualTo("NVIDIA RTX A6000");
    assertThat(device("mps", "mps").gpuName()).isEqualTo("mps");
    assertThat(device("", "cuda").gpuName()).isEmpty();
  }

  @Test
  void gpuName_ofACpuDevice_isCpu() {
    assertThat(device("cpu", "cpu").gpuName()).isEqualTo("cpu");
    assertThat(new SystemStats("0.3.64", List.of(device("cpu", "cpu"))).gpuName()).contains("cpu");
  }

  @Test
  void gpuName_ofTheServer_isItsFirstNamedDevice_emptyWithoutDevices() {
    SystemStats stats =
        new SystemStats(
            "0.3.64",
            List.of(
                device("", "cuda"), device("cuda:1 NVIDIA RTX A6000 : cudaMallocAsync", "cuda")));

    assertThat(stats.gpuName()).contains("NVIDIA RTX A6000");
    assertThat(new SystemStats("0.3.64", List.of()).gpuName()).isEmpty();
  }
}
