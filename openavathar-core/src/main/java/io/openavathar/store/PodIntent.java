package io.openavathar.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A pod the SDK is about to create, recorded before the create request so that a crash during the
 * create leaves no pod nobody knows about: a studio starting later looks the name up and adopts the
 * pod or clears the intent.
 *
 * @param name the unique name the pod is created with
 * @param provider the provider's name ({@code runpod})
 * @param at when the SDK decided to create it
 */
public record PodIntent(String name, String provider, Instant at) {
  /**
   * Checks that no value is null.
   *
   * @param name the unique name the pod is created with
   * @param provider the provider's name
   * @param at when the SDK decided to create it
   */
  public PodIntent {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(at, "at");
  }
}
