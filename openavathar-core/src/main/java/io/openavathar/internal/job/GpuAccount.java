package io.openavathar.internal.job;

import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.comfy.HistoryEntry;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a finished prompt used: how many GPU seconds (ComfyUI's own account first), on which GPU, at
 * what price. A server without a pod GPU type (a static ComfyUI URL) is asked {@code /system_stats}
 * once per studio; a failed ask is not kept, and leaves the type unknown.
 */
final class GpuAccount {
  private static final Logger log = LoggerFactory.getLogger(GpuAccount.class);

  private final Map<String, CompletableFuture<String>> gpuByServer = new ConcurrentHashMap<>();

  /**
   * GPU seconds of a finished prompt: the span ComfyUI recorded in its history ({@code
   * execution_start} to its end), else {@code fallback} (the span this SDK saw; the history of old
   * servers has no timestamps).
   */
  static double gpuSeconds(HistoryEntry entry, double fallback) {
    return entry.executionSeconds().orElse(fallback);
  }

  /**
   * A pod's price per hour as its provider reported it; empty if not positive (a static URL reports
   * none).
   */
  static OptionalDouble pricePerHour(double costPerHour) {
    return costPerHour > 0 && Double.isFinite(costPerHour)
        ? OptionalDouble.of(costPerHour)
        : OptionalDouble.empty();
  }

  /**
   * The GPU type of the server: {@code podGpuType} when the provider named one, else the first
   * device that the server's {@code /system_stats} reports ({@code cpu} for a CPU), else empty.
   * Never fails.
   */
  CompletableFuture<String> gpuType(Optional<String> podGpuType, ComfyUiClient client) {
    if (podGpuType.isPresent() && !podGpuType.get().isBlank()) {
      return CompletableFuture.completedFuture(podGpuType.get());
    }
    String key = client.baseUrl().toString();
    CompletableFuture<String> name =
        gpuByServer.computeIfAbsent(
            key, k -> client.systemStats().thenApply(stats -> stats.gpuName().orElse("")));
    return name.handle(
        (n, e) -> {
          if (e != null) {
            gpuByServer.remove(key, name);
            log.debug(
                "Could not read the GPU of {} from /system_stats; recording it as unknown: {}",
                client.displayUrl(),
                e.toString());
            return "";
          }
          return n;
        });
  }
}
