package io.openavathar.testkit.comfy;

import java.util.Random;

/**
 * The simulator's GPU and the seeded draws of its runs' durations, in the order the prompts run.
 * Thread-safe.
 */
final class SpeedModel {
  private final SimulatedGpu gpu;
  private final Random random;

  SpeedModel(SimulatedGpu gpu, long seed) {
    this.gpu = gpu;
    this.random = new Random(seed);
  }

  SimulatedGpu gpu() {
    return gpu;
  }

  /** The next run's simulated duration in milliseconds. */
  synchronized long nextRunMillis(int frames) {
    return Math.round(gpu.seconds(frames, random) * 1000);
  }
}
