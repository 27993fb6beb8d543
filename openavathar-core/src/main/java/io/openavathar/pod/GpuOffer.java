package io.openavathar.pod;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One GPU type in one cloud that a deploy will try, with what the catalog says about it.
 *
 * @param gpuId the provider's GPU type id, used to deploy (for example {@code NVIDIA GeForce RTX
 *     4090})
 * @param displayName a short name (for example {@code RTX 4090})
 * @param memoryGb GPU memory per GPU in GB; 0 when unknown (a GPU named without a catalog)
 * @param cloud the cloud it is offered in
 * @param pricePerHour USD per hour for the whole pod (per-GPU price times the spec's GPU count);
 *     empty when the catalog gave no price (a GPU named in the spec while the catalog could not be
 *     read)
 * @param availability the stock the catalog reports for that cloud, {@link
 *     GpuType.Availability#UNKNOWN} without one
 */
public record GpuOffer(
    String gpuId,
    String displayName,
    int memoryGb,
    CloudType cloud,
    OptionalDouble pricePerHour,
    GpuType.Availability availability) {

  /**
   * Checks the values.
   *
   * @param gpuId the provider's GPU type id
   * @param displayName a short name
   * @param memoryGb GPU memory per GPU in GB, 0 or more
   * @param cloud the cloud
   * @param pricePerHour USD per hour for the whole pod, or empty
   * @param availability the stock in that cloud
   * @throws IllegalArgumentException if the memory or the price is negative
   */
  public GpuOffer {
    Objects.requireNonNull(gpuId, "gpuId");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(pricePerHour, "pricePerHour");
    Objects.requireNonNull(availability, "availability");
    if (memoryGb < 0) {
      throw new IllegalArgumentException("memoryGb must not be negative, was " + memoryGb);
    }
    if (pricePerHour.isPresent()
        && !(pricePerHour.getAsDouble() >= 0 && Double.isFinite(pricePerHour.getAsDouble()))) {
      throw new IllegalArgumentException(
          "pricePerHour must be a finite, non-negative number, was " + pricePerHour);
    }
  }

  /** {@code RTX 4090/community}, for messages. */
  @Override
  public String toString() {
    return displayName + "/" + cloud.name().toLowerCase(java.util.Locale.ROOT);
  }
}
