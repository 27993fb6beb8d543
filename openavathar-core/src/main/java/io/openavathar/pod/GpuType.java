package io.openavathar.pod;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A GPU type a provider rents out, with its price per GPU-hour and current availability.
 *
 * @param id the provider's id, used to deploy (for example {@code NVIDIA GeForce RTX 4090})
 * @param displayName a short name (for example {@code RTX 4090})
 * @param memoryGb GPU memory in GB
 * @param securePricePerHour USD per hour in the secure cloud, if offered there
 * @param communityPricePerHour USD per hour in the community cloud, if offered there
 * @param availability how much stock the provider reports
 */
public record GpuType(
    String id,
    String displayName,
    int memoryGb,
    OptionalDouble securePricePerHour,
    OptionalDouble communityPricePerHour,
    Availability availability) {

  /**
   * Stock as the provider reports it; {@link #UNKNOWN} when it did not say or said something new.
   */
  public enum Availability {
    /** None of this type free now. */
    NONE,
    /** A few free. */
    LOW,
    /** Some free. */
    MEDIUM,
    /** Plenty free. */
    HIGH,
    /** The provider did not say, or said something this SDK does not know. */
    UNKNOWN;

    /**
     * Maps a provider's stock text (any case) to a constant, or {@link #UNKNOWN}.
     *
     * @param value the provider's text, may be null
     * @return the constant, never null
     */
    public static Availability fromWire(String value) {
      if (value == null) {
        return UNKNOWN;
      }
      for (Availability a : values()) {
        if (a.name().equalsIgnoreCase(value.trim())) {
          return a;
        }
      }
      return UNKNOWN;
    }
  }

  /**
   * Checks that no value is null.
   *
   * @param id the provider's id
   * @param displayName a short name
   * @param memoryGb GPU memory in GB
   * @param securePricePerHour USD per hour in the secure cloud, or empty
   * @param communityPricePerHour USD per hour in the community cloud, or empty
   * @param availability the stock
   */
  public GpuType {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(securePricePerHour, "securePricePerHour");
    Objects.requireNonNull(communityPricePerHour, "communityPricePerHour");
    Objects.requireNonNull(availability, "availability");
  }

  /**
   * The price per GPU-hour in {@code cloud}, empty when the type is not offered there (or the cloud
   * is unknown).
   *
   * @param cloud the cloud
   * @return USD per GPU-hour, or empty
   */
  public OptionalDouble pricePerHour(CloudType cloud) {
    return switch (Objects.requireNonNull(cloud, "cloud")) {
      case COMMUNITY -> communityPricePerHour;
      case SECURE -> securePricePerHour;
      case UNKNOWN -> OptionalDouble.empty();
    };
  }

  /**
   * A GPU type id without the vendor's prefix, for messages: {@code NVIDIA GeForce RTX 4090}
   * becomes {@code RTX 4090}.
   *
   * @param gpuId the GPU type id
   * @return the short name
   */
  public static String shortName(String gpuId) {
    return gpuId.replaceFirst("^NVIDIA (GeForce )?", "");
  }
}
