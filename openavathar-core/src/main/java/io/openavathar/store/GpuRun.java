package io.openavathar.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One finished generation as measured, for estimating the next: how many frames a GPU type made in
 * how many GPU seconds. Read from the gallery's videos (see {@link StudioStore#recentRuns}).
 *
 * @param gpuType the GPU type, for example {@code NVIDIA GeForce RTX 4090}
 * @param requestedFrames the frames the job asked the workflow for (what an estimate of a new
 *     request starts from); 0 if unknown (a video imported from a pod's history, or recorded before
 *     schema 5)
 * @param videoFrames the frames of the video file (on a real server, the requested ones rounded up
 *     to whole InfiniteTalk windows; the simulators return a fixed sample)
 * @param gpuSeconds GPU seconds spent (more than 0)
 * @param finishedAt when it finished
 */
public record GpuRun(
    String gpuType, int requestedFrames, int videoFrames, double gpuSeconds, Instant finishedAt) {
  /**
   * Checks that no value is null.
   *
   * @param gpuType the GPU type
   * @param requestedFrames the frames the job asked for; 0 if unknown
   * @param videoFrames the frames of the video file
   * @param gpuSeconds GPU seconds spent
   * @param finishedAt when it finished
   */
  public GpuRun {
    Objects.requireNonNull(gpuType, "gpuType");
    Objects.requireNonNull(finishedAt, "finishedAt");
  }
}
