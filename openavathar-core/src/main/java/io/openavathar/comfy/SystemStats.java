package io.openavathar.comfy;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of {@code GET /system_stats} the SDK uses: a readiness and version probe.
 *
 * @param comfyUiVersion for example {@code 0.3.64}, or {@code v0.2.2-xx-gabc} on old servers; empty
 *     if not reported
 * @param devices GPUs (and CPU) the server reports
 */
public record SystemStats(String comfyUiVersion, List<Device> devices) {
  /**
   * Copies the device list.
   *
   * @param comfyUiVersion the version, or empty
   * @param devices the devices
   */
  public SystemStats {
    devices = List.copyOf(devices);
  }

  /**
   * The name of the first device ({@link Device#gpuName()}), the one ComfyUI runs on; empty if none
   * is reported.
   *
   * @return the name, or empty
   */
  public Optional<String> gpuName() {
    return devices.stream().map(Device::gpuName).filter(n -> !n.isEmpty()).findFirst();
  }

  /** One device: for example {@code cuda:0 NVIDIA H100 : cudaMallocAsync}, type {@code cuda}. */
  public record Device(String name, String type, long vramTotal, long vramFree) {
    /** {@code cuda:0 NVIDIA H100 : cudaMallocAsync}: index before, allocator after the name. */
    private static final Pattern DECORATED =
        Pattern.compile("^\\s*[A-Za-z]+:\\d+\\s+(.*?)(\\s+:\\s+\\S*)?\\s*$");

    /**
     * The device's name without ComfyUI's decorations, for example {@code NVIDIA H100} for {@code
     * cuda:0 NVIDIA H100 : cudaMallocAsync}; {@code cpu} for a CPU device; the name as given if it
     * has another shape; empty if there is none.
     *
     * @return the name, never null
     */
    public String gpuName() {
      if ("cpu".equalsIgnoreCase(type) || "cpu".equalsIgnoreCase(name.strip())) {
        return "cpu";
      }
      Matcher m = DECORATED.matcher(name);
      return m.matches() && !m.group(1).isEmpty() ? m.group(1) : name.strip();
    }
  }
}
