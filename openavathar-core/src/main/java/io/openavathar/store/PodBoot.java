package io.openavathar.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long a pod took to serve ComfyUI: from the deploy or start request to ComfyUI answering, as
 * the pod manager's clock saw it. Recorded per GPU type for cost estimates (see {@link
 * StudioStore#recentBoots}).
 *
 * @param podId the provider's pod id
 * @param gpuType the pod's GPU type, empty if the provider did not say
 * @param kind whether the pod was deployed (a new pod: image pull included) or an existing one
 *     started
 * @param requestedAt when the deploy or start was requested
 * @param readyAt when ComfyUI first answered
 */
public record PodBoot(
    String podId, String gpuType, Kind kind, Instant requestedAt, Instant readyAt) {
  /** What booted the pod. */
  public enum Kind {
    /** A new pod was created. */
    DEPLOY,
    /** A stopped pod was started again. */
    START
  }

  /**
   * Checks that no value is null.
   *
   * @param podId the provider's pod id
   * @param gpuType the pod's GPU type, empty if unknown
   * @param kind deployed or started
   * @param requestedAt when the deploy or start was requested
   * @param readyAt when ComfyUI first answered
   */
  public PodBoot {
    Objects.requireNonNull(podId, "podId");
    Objects.requireNonNull(gpuType, "gpuType");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(requestedAt, "requestedAt");
    Objects.requireNonNull(readyAt, "readyAt");
  }

  /**
   * From request to ready (never negative).
   *
   * @return the boot time
   */
  public Duration bootTime() {
    Duration d = Duration.between(requestedAt, readyAt);
    return d.isNegative() ? Duration.ZERO : d;
  }
}
