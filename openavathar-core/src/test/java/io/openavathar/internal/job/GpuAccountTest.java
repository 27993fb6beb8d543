package io.openavathar.internal.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.comfy.HistoryEntry;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.comfy.SimulatedGpu;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GpuAccountTest {
  @Test
  void gpuSeconds_withoutTimestampsInTheHistory_fallsBackToWhatTheSdkMeasured() {
    HistoryEntry old =
        new HistoryEntry("p", HistoryEntry.Outcome.SUCCESS, Map.of(), Map.of(), null);

    assertThat(GpuAccount.gpuSeconds(old, 42.5)).isEqualTo(42.5);
  }

  @Test
  void pricePerHour_isUnknownWhenTheProviderReportsNone() {
    assertThat(GpuAccount.pricePerHour(0.34)).hasValue(0.34);
    assertThat(GpuAccount.pricePerHour(0)).isEmpty();
    assertThat(GpuAccount.pricePerHour(Double.NaN)).isEmpty();
  }

  @Test
  void gpuType_isThePodsWhenKnown_elseAskedOnceFromSystemStats_andUnknownWhenTheServerCannotSay()
      throws Exception {
    try (ComfyUiSimulator sim =
            ComfyUiSimulator.builder().gpu(SimulatedGpu.of("NVIDIA L4", 20, 3)).start();
        ComfyUiClient client =
            ComfyUiClient.builder().baseUrl(sim.baseUrl()).maxAttempts(1).build()) {
      GpuAccount account = new GpuAccount();

      assertThat(account.gpuType(Optional.of("NVIDIA RTX A6000"), client).get(10, TimeUnit.SECONDS))
          .isEqualTo("NVIDIA RTX A6000");
      assertThat(account.gpuType(Optional.empty(), client).get(10, TimeUnit.SECONDS))
          .isEqualTo("NVIDIA L4");
      assertThat(account.gpuType(Optional.empty(), client).get(10, TimeUnit.SECONDS))
          .isEqualTo("NVIDIA L4");
      assertThat(sim.requests()).filteredOn(r -> r.route().equals("/system_stats")).hasSize(1);

      GpuAccount fresh = new GpuAccount();
      sim.failNextRequests("GET", "/system_stats", 500, 1);
      assertThat(fresh.gpuType(Optional.empty(), client).get(10, TimeUnit.SECONDS)).isEmpty();
      assertThat(fresh.gpuType(Optional.empty(), client).get(10, TimeUnit.SECONDS))
          .isEqualTo("NVIDIA L4");
    }
  }
}
