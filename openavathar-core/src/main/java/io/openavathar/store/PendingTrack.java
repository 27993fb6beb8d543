package io.openavathar.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A finished video the license server has not yet confirmed counting.
 *
 * @param jobId the job that made it (also the track's idempotency key)
 * @param at when the job finished; a track whose UTC day has passed is dropped, not sent into
 *     another day's count
 */
public record PendingTrack(String jobId, Instant at) {
  /**
   * Checks that no value is null.
   *
   * @param jobId the job that made the video
   * @param at when the job finished
   */
  public PendingTrack {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(at, "at");
  }
}
