package io.openavathar.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One finished generation as measured, for estimating the next: how many frames a GPU type made in how many GPU
 * seconds. Read from the gallery's videos (see {@link StudioStore#recentRuns}).
 *
 * @param gpuType the GPU type, for example {@code NVIDIA GeForce RTX 4090}
 * @param frames frames generated
 * @param gpuSeconds GPU seconds spent (more than 0)
 * @param finishedAt when it finished
 */
public record GpuRun(String gpuType, int frames, double gpuSeconds, Instant finishedAt) {
  public GpuRun {
    Objects.requireNonNull(gpuType, "gpuType");
    Objects.requireNonNull(finishedAt, "finishedAt");
  }
}
