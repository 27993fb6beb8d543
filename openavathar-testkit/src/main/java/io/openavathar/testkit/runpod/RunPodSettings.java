package io.openavathar.testkit.runpod;

import io.openavathar.testkit.comfy.ComfyUiSimulatorBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything the builder decided.
 *
 * @param apiKey the accepted key, or null to accept any non-empty bearer token
 * @param gpuTypes the live catalog, thread-safe: {@link RunPodSimulator#setAvailability} replaces
 *     entries
 * @param manualStart the manual clock's start, or null for real time
 */
record RunPodSettings(
    String host,
    int port,
    String apiKey,
    Duration provisioningDelay,
    Duration startingDelay,
    Duration runtimeDelay,
    Duration comfyReadyDelay,
    Duration comfyStepDelay,
    Consumer<ComfyUiSimulatorBuilder> comfyConfiguration,
    List<SimulatedGpuType> gpuTypes,
    Map<String, Template> templates,
    List<Volume> volumes,
    Instant manualStart,
    long seed) {

  /** A pod template: what a create with {@code templateId} inherits. */
  record Template(String id, String image, List<String> ports, Map<String, String> env) {}

  /** A network volume ({@code NetworkVolume}). */
  record Volume(String id, String name, int sizeGb, String dataCenterId) {}

  /** A data center and the cloud it belongs to. */
  record DataCenter(String id, String name, String cloud) {}

  /** The simulated data centers: two on Secure Cloud, two on Community Cloud. */
  static final List<DataCenter> DATA_CENTERS =
      List.of(
          new DataCenter("US-KS-2", "US Kansas 2", "SECURE"),
          new DataCenter("EU-RO-1", "EU Romania 1", "SECURE"),
          new DataCenter("US-TX-3", "US Texas 3", "COMMUNITY"),
          new DataCenter("CA-MTL-1", "CA Montreal 1", "COMMUNITY"));

  /** The CUDA version every simulated host reports. */
  static final String HOST_CUDA = "12.8";

  /** The CUDA versions the catalog lists per GPU type; only {@link #HOST_CUDA} has machines. */
  static final List<String> CUDA_VERSIONS = List.of("12.4", "12.6", "12.8");

  /** The largest GPU count per pod, per cloud. */
  static final int MAX_COUNT_SECURE = 8;

  static final int MAX_COUNT_COMMUNITY = 4;

  SimulatedGpuType gpuType(String id) {
    for (SimulatedGpuType type : gpuTypes) {
      if (type.id().equals(id)) {
        return type;
      }
    }
    return null;
  }

  Volume volume(String id) {
    for (Volume volume : volumes) {
      if (volume.id().equals(id)) {
        return volume;
      }
    }
    return null;
  }
}
