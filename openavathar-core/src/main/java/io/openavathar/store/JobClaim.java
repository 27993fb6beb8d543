package io.openavathar.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A claim on a job as the store keeps it: who holds it and until when (it may have expired).
 *
 * @param owner the owner as the claimer wrote it (the store does not interpret it)
 * @param until when the lease ends unless the owner renews it
 */
public record JobClaim(String owner, Instant until) {
  /**
   * Checks that no value is null.
   *
   * @param owner the owner as the claimer wrote it
   * @param until when the lease ends unless renewed
   */
  public JobClaim {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(until, "until");
  }
}
