package io.openavathar.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A pod the SDK started, remembered so that idle stop works across restarts.
 *
 * @param podId the provider's pod id
 * @param provider the provider's name ({@code runpod})
 * @param startedAt when the SDK deployed or started it
 * @param lastActivity when it last ended a job (or {@code startedAt})
 */
public record StartedPod(String podId, String provider, Instant startedAt, Instant lastActivity) {
  /**
   * Checks that no value is null.
   *
   * @param podId the provider's pod id
   * @param provider the provider's name
   * @param startedAt when the SDK deployed or started it
   * @param lastActivity when it last ended a job
   */
  public StartedPod {
    Objects.requireNonNull(podId, "podId");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(lastActivity, "lastActivity");
  }
}
