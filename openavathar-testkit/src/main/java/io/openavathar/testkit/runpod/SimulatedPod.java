package io.openavathar.testkit.runpod;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of one pod the simulator holds, for assertions. Immutable.
 *
 * @param id the pod id
 * @param name the name it was created with
 * @param status the wire status: {@code PROVISIONING}, {@code STARTING}, {@code RUNNING}, {@code
 *     EXITED} or {@code ERROR} (terminated pods are not listed)
 * @param gpuTypeId the GPU type id, for example {@code "NVIDIA GeForce RTX 4090"}
 * @param gpuCount the number of GPUs
 * @param cloud {@code SECURE} or {@code COMMUNITY}
 * @param dataCenterId the data center the pod was placed in
 * @param image the container image
 * @param env the environment it was created with (template values merged in)
 * @param ports the declared ports, for example {@code 8188/http}
 * @param createdAt when it was created, on the simulator's clock
 * @param comfyReady whether its ComfyUI answers through the proxy now
 */
public record SimulatedPod(
    String id,
    String name,
    String status,
    String gpuTypeId,
    int gpuCount,
    String cloud,
    String dataCenterId,
    String image,
    Map<String, String> env,
    List<String> ports,
    Instant createdAt,
    boolean comfyReady) {

  /**
   * Copies the collections so the snapshot stays immutable.
   *
   * @param id the pod id
   * @param name the name it was created with
   * @param status the wire status
   * @param gpuTypeId the GPU type id
   * @param gpuCount the number of GPUs
   * @param cloud {@code SECURE} or {@code COMMUNITY}
   * @param dataCenterId the data center
   * @param image the container image
   * @param env the environment; copied
   * @param ports the declared ports; copied
   * @param createdAt when it was created, on the simulator's clock
   * @param comfyReady whether its ComfyUI answers through the proxy now
   */
  public SimulatedPod {
    Objects.requireNonNull(id, "id");
    env = Map.copyOf(env);
    ports = List.copyOf(ports);
  }
}
