package io.openavathar.comfy;

import java.util.List;

/**
 * The parts of {@code GET /system_stats} the SDK uses: a readiness and version probe.
 *
 * @param comfyUiVersion for example {@code 0.3.64}, or {@code v0.2.2-xx-gabc} on old servers; empty if not reported
 * @param devices GPUs (and CPU) the server reports
 */
public record SystemStats(String comfyUiVersion, List<Device> devices) {
  public SystemStats {
    devices = List.copyOf(devices);
  }

  /** One device: for example {@code cuda:0 NVIDIA H100 : cudaMallocAsync}, type {@code cuda}. */
  public record Device(String name, String type, long vramTotal, long vramFree) {}
}
