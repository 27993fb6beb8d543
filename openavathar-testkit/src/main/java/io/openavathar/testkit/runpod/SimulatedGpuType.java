package io.openavathar.testkit.runpod;

import io.openavathar.testkit.comfy.SimulatedGpu;
import java.util.List;
import java.util.Objects;

/**
 * A GPU type in the simulator's catalog ({@code GET /v2/catalog/gpus}), with its prices and current
 * stock per cloud. Immutable.
 *
 * <p>Stock drives creates: a create for a cloud whose availability is {@link Availability#NONE}, or
 * whose price is zero (the type is not offered there), fails with RunPod's 400 capacity error every
 * time, not just once.
 *
 * @param id the id to create pods with, for example {@code "NVIDIA GeForce RTX 4090"}
 * @param name the display name, for example {@code "RTX 4090"}
 * @param pool the serverless pool id, for example {@code "ADA_24"}, or null for none
 * @param memoryGb VRAM in GB
 * @param securePrice USD per hour per GPU on Secure Cloud; 0 when not offered there
 * @param communityPrice USD per hour per GPU on Community Cloud; 0 when not offered there
 * @param secureAvailability current stock on Secure Cloud
 * @param communityAvailability current stock on Community Cloud
 * @param overheadSeconds seconds every ComfyUI run on a pod of this type takes besides its frames
 * @param secondsPerFrame seconds per generated video frame on a pod of this type (see {@link
 *     SimulatedGpu})
 */
public record SimulatedGpuType(
    String id,
    String name,
    String pool,
    int memoryGb,
    double securePrice,
    double communityPrice,
    Availability secureAvailability,
    Availability communityAvailability,
    double overheadSeconds,
    double secondsPerFrame) {

  /** Seconds of overhead per run unless told otherwise. */
  public static final double DEFAULT_OVERHEAD_SECONDS = 20;

  /** RunPod's stock levels ({@code AvailabilityLevel}). */
  public enum Availability {
    /** None free: creates fail with the capacity error. */
    NONE,
    /** Little stock. */
    LOW,
    /** Some stock. */
    MEDIUM,
    /** Plenty of stock. */
    HIGH
  }

  /**
   * Checks the values.
   *
   * @param id the id to create pods with; not blank
   * @param name the display name
   * @param pool the serverless pool id, or null for none
   * @param memoryGb VRAM in GB; positive
   * @param securePrice USD per hour per GPU on Secure Cloud; 0 when not offered there
   * @param communityPrice USD per hour per GPU on Community Cloud; 0 when not offered there
   * @param secureAvailability current stock on Secure Cloud
   * @param communityAvailability current stock on Community Cloud
   * @param overheadSeconds seconds per run besides its frames; at least 0
   * @param secondsPerFrame seconds per generated frame; at least 0
   * @throws IllegalArgumentException if a value is out of range
   */
  public SimulatedGpuType {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(secureAvailability, "secureAvailability");
    Objects.requireNonNull(communityAvailability, "communityAvailability");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
    if (memoryGb < 1) {
      throw new IllegalArgumentException("memoryGb must be positive, was " + memoryGb);
    }
    if (securePrice < 0 || communityPrice < 0) {
      throw new IllegalArgumentException(
          "prices must not be negative, were " + securePrice + " and " + communityPrice);
    }
    if (!(overheadSeconds >= 0) || !(secondsPerFrame >= 0)) {
      throw new IllegalArgumentException(
          "overheadSeconds and secondsPerFrame must be at least 0, were "
              + overheadSeconds
              + " and "
              + secondsPerFrame);
    }
  }

  /**
   * A GPU type with the plausible speed of its kind: 20 s per run plus 1.0 s per frame on an A100
   * or H100, 2.0 s on an RTX A6000, 1.6 s on anything else (an RTX 4090's speed).
   *
   * @param id the id to create pods with; not blank
   * @param name the display name
   * @param pool the serverless pool id, or null for none
   * @param memoryGb VRAM in GB; positive
   * @param securePrice USD per hour per GPU on Secure Cloud; 0 when not offered there
   * @param communityPrice USD per hour per GPU on Community Cloud; 0 when not offered there
   * @param secureAvailability current stock on Secure Cloud
   * @param communityAvailability current stock on Community Cloud
   */
  public SimulatedGpuType(
      String id,
      String name,
      String pool,
      int memoryGb,
      double securePrice,
      double communityPrice,
      Availability secureAvailability,
      Availability communityAvailability) {
    this(
        id,
        name,
        pool,
        memoryGb,
        securePrice,
        communityPrice,
        secureAvailability,
        communityAvailability,
        DEFAULT_OVERHEAD_SECONDS,
        plausibleSecondsPerFrame(id));
  }

  private static double plausibleSecondsPerFrame(String id) {
    String upper = String.valueOf(id).toUpperCase(java.util.Locale.ROOT);
    if (upper.contains("A100") || upper.contains("H100") || upper.contains("H200")) {
      return 1.0;
    }
    return upper.contains("A6000") ? 2.0 : 1.6;
  }

  /**
   * A copy with another speed.
   *
   * @param overheadSeconds seconds per run besides its frames; at least 0
   * @param secondsPerFrame seconds per generated frame; at least 0
   * @return the copy
   */
  public SimulatedGpuType withSpeed(double overheadSeconds, double secondsPerFrame) {
    return new SimulatedGpuType(
        id,
        name,
        pool,
        memoryGb,
        securePrice,
        communityPrice,
        secureAvailability,
        communityAvailability,
        overheadSeconds,
        secondsPerFrame);
  }

  /**
   * The GPU the ComfyUI of a pod of this type reports and runs at (jitter +-8%).
   *
   * @return the simulated GPU of this type
   */
  public SimulatedGpu simulatedGpu() {
    return SimulatedGpu.of(id, overheadSeconds, secondsPerFrame)
        .withVramBytes(memoryGb * 1_073_741_824L);
  }

  /**
   * A GPU type with plenty of stock in every cloud it is priced for, and no serverless pool.
   *
   * @param id the id to create pods with; not blank
   * @param name the display name
   * @param memoryGb VRAM in GB; positive
   * @param securePrice USD per hour per GPU on Secure Cloud; 0 when not offered there
   * @param communityPrice USD per hour per GPU on Community Cloud; 0 when not offered there
   * @return the GPU type
   */
  public static SimulatedGpuType of(
      String id, String name, int memoryGb, double securePrice, double communityPrice) {
    return new SimulatedGpuType(
        id,
        name,
        null,
        memoryGb,
        securePrice,
        communityPrice,
        Availability.HIGH,
        Availability.HIGH);
  }

  /**
   * A copy with other stock levels.
   *
   * @param secure the stock on Secure Cloud
   * @param community the stock on Community Cloud
   * @return the copy
   */
  public SimulatedGpuType withAvailability(Availability secure, Availability community) {
    return new SimulatedGpuType(
        id,
        name,
        pool,
        memoryGb,
        securePrice,
        communityPrice,
        secure,
        community,
        overheadSeconds,
        secondsPerFrame);
  }

  /**
   * Whether the type is offered on Secure Cloud (has a price there).
   *
   * @return true if the Secure Cloud price is above 0
   */
  public boolean onSecureCloud() {
    return securePrice > 0;
  }

  /**
   * Whether the type is offered on Community Cloud (has a price there).
   *
   * @return true if the Community Cloud price is above 0
   */
  public boolean onCommunityCloud() {
    return communityPrice > 0;
  }

  /**
   * The default catalog: RTX 4090 (24 GB), RTX A6000 (48 GB) and A100 80GB PCIe, on both clouds,
   * with plenty of stock. Prices are plausible list prices, not quotes.
   *
   * @return the default GPU types, immutable
   */
  public static List<SimulatedGpuType> defaults() {
    return List.of(
        new SimulatedGpuType(
            "NVIDIA GeForce RTX 4090",
            "RTX 4090",
            "ADA_24",
            24,
            0.69,
            0.34,
            Availability.HIGH,
            Availability.HIGH),
        new SimulatedGpuType(
            "NVIDIA RTX A6000",
            "RTX A6000",
            "AMPERE_48",
            48,
            0.49,
            0.33,
            Availability.MEDIUM,
            Availability.HIGH),
        new SimulatedGpuType(
            "NVIDIA A100 80GB PCIe",
            "A100 PCIe",
            "AMPERE_80",
            80,
            1.64,
            1.19,
            Availability.LOW,
            Availability.MEDIUM));
  }
}
