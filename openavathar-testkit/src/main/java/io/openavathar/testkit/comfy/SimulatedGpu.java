package io.openavathar.testkit.comfy;

import java.util.Objects;
import java.util.Random;

/**
 * The GPU a {@link ComfyUiSimulator} pretends to run on: the device {@code /system_stats} reports
 * and how fast it generates. A run's simulated duration is {@code (overheadSeconds +
 * secondsPerFrame x frames) x (1 +- jitter)}, the jitter drawn from the simulator's seed; the
 * history's {@code execution_start} and {@code execution_success} timestamps span that duration
 * although the simulator itself finishes in milliseconds. Immutable.
 *
 * @param deviceName the device's name, for example {@code "NVIDIA GeForce RTX 4090"} ({@code
 *     /system_stats} reports {@code "cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync"})
 * @param vramBytes the device's memory
 * @param overheadSeconds seconds every run takes besides its frames (model loading, encoding)
 * @param secondsPerFrame seconds per generated video frame
 * @param jitter the largest relative deviation of a run from the model, for example {@code 0.08}
 *     (+-8%)
 */
public record SimulatedGpu(
    String deviceName,
    long vramBytes,
    double overheadSeconds,
    double secondsPerFrame,
    double jitter) {

  /**
   * What a simulator reports unless told otherwise: an RTX 4090's speed (20 s + 1.6 s per frame,
   * +-8%).
   */
  public static final SimulatedGpu DEFAULT = of("Simulated GPU", 20, 1.6);

  /**
   * Checks the values.
   *
   * @param deviceName the device's name; not blank
   * @param vramBytes the device's memory in bytes; positive
   * @param overheadSeconds seconds every run takes besides its frames; at least 0
   * @param secondsPerFrame seconds per generated video frame; at least 0
   * @param jitter the largest relative deviation of a run, in [0, 1)
   * @throws IllegalArgumentException if a value is out of range
   */
  public SimulatedGpu {
    Objects.requireNonNull(deviceName, "deviceName");
    if (deviceName.isBlank()) {
      throw new IllegalArgumentException("deviceName must not be blank");
    }
    if (vramBytes < 1) {
      throw new IllegalArgumentException("vramBytes must be positive, was " + vramBytes);
    }
    if (!(overheadSeconds >= 0) || !(secondsPerFrame >= 0)) {
      throw new IllegalArgumentException(
          "overheadSeconds and secondsPerFrame must be at least 0, were "
              + overheadSeconds
              + " and "
              + secondsPerFrame);
    }
    if (!(jitter >= 0 && jitter < 1)) {
      throw new IllegalArgumentException("jitter must be in [0, 1), was " + jitter);
    }
  }

  /**
   * A 24 GB device with this speed and +-8% jitter.
   *
   * @param deviceName the device's name, for example {@code "NVIDIA GeForce RTX 4090"}
   * @param overheadSeconds seconds every run takes besides its frames
   * @param secondsPerFrame seconds per generated video frame
   * @return the GPU
   */
  public static SimulatedGpu of(String deviceName, double overheadSeconds, double secondsPerFrame) {
    return new SimulatedGpu(deviceName, 25_757_220_864L, overheadSeconds, secondsPerFrame, 0.08);
  }

  /**
   * A copy with another jitter ({@code 0}: every run takes exactly what the model says).
   *
   * @param jitter the largest relative deviation, in [0, 1)
   * @return the copy
   */
  public SimulatedGpu withJitter(double jitter) {
    return new SimulatedGpu(deviceName, vramBytes, overheadSeconds, secondsPerFrame, jitter);
  }

  /**
   * A copy with another memory size.
   *
   * @param vramBytes the memory in bytes; positive
   * @return the copy
   */
  public SimulatedGpu withVramBytes(long vramBytes) {
    return new SimulatedGpu(deviceName, vramBytes, overheadSeconds, secondsPerFrame, jitter);
  }

  /**
   * The model's duration of a run of {@code frames}, before jitter.
   *
   * @param frames the number of video frames
   * @return {@code overheadSeconds + secondsPerFrame x frames}, in seconds
   */
  public double nominalSeconds(int frames) {
    return overheadSeconds + secondsPerFrame * Math.max(0, frames);
  }

  /**
   * A run's simulated duration: the nominal one, varied by up to {@link #jitter()} drawn from
   * {@code random}.
   */
  double seconds(int frames, Random random) {
    double factor = 1 + jitter * (2 * random.nextDouble() - 1);
    return nominalSeconds(frames) * factor;
  }
}
