package io.openavathar;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a client retries its idempotent calls and how long it waits for an answer: the same value for
 * the ComfyUI client ({@code AvatarStudio.builder().retryOptions(...)}, {@code
 * ComfyUiClient.builder().retryOptions(...)}), the RunPod provider and the license client.
 * Immutable; {@link #defaults()} or {@link #builder()}.
 *
 * <p>A call is retried only on failures that say they are retryable (a server that is down, busy or
 * answered 5xx). The delay before attempt {@code n + 1} is the server's {@code Retry-After} when it
 * gave one (capped at four times {@link #maxBackoff()}), else {@link #initialBackoff()} doubled per
 * attempt up to {@link #maxBackoff()}, minus up to 25% jitter.
 */
public final class RetryOptions {
  private static final RetryOptions DEFAULTS = builder().build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration readTimeout;

  private RetryOptions(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.readTimeout = b.readTimeout;
  }

  /**
   * 4 attempts, backing off from 500 ms to 8 s; each client's own read timeout.
   *
   * @return the default options
   */
  public static RetryOptions defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from the {@link #defaults()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these options, to change some of them.
   *
   * @return a new builder holding these values
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.readTimeout = readTimeout;
    return b;
  }

  /**
   * Attempts per idempotent call, the first included.
   *
   * @return the number of attempts, at least 1
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * The first retry delay.
   *
   * @return the first delay, not negative
   */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /**
   * The longest retry delay (never shorter than {@link #initialBackoff()}).
   *
   * @return the longest delay
   */
  public Duration maxBackoff() {
    return maxBackoff.compareTo(initialBackoff) < 0 ? initialBackoff : maxBackoff;
  }

  /**
   * How long a call waits for the next byte from the server before it fails; empty for the client's
   * own default (ComfyUI 60 s, RunPod 30 s, license server 20 s).
   *
   * @return the read timeout, or empty for the client's default
   */
  public Optional<Duration> readTimeout() {
    return Optional.ofNullable(readTimeout);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryOptions other
        && maxAttempts == other.maxAttempts
        && initialBackoff.equals(other.initialBackoff)
        && maxBackoff.equals(other.maxBackoff)
        && Objects.equals(readTimeout, other.readTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, initialBackoff, maxBackoff, readTimeout);
  }

  @Override
  public String toString() {
    return "RetryOptions{maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", maxBackoff="
        + maxBackoff
        + (readTimeout == null ? "" : ", readTimeout=" + readTimeout)
        + "}";
  }

  /** Builds {@link RetryOptions}; every setter checks its value at once. */
  public static final class Builder {
    private int maxAttempts = 4;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(8);
    private Duration readTimeout;

    private Builder() {}

    /**
     * Attempts per idempotent call, the first included; 1 for no retry. Default 4.
     *
     * @param maxAttempts the number of attempts, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maxAttempts} is below 1
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The first retry delay, doubled per attempt up to {@link #maxBackoff}. Default 500 ms.
     *
     * @param initialBackoff the first delay, not negative
     * @return this builder
     * @throws IllegalArgumentException if {@code initialBackoff} is negative
     */
    public Builder initialBackoff(Duration initialBackoff) {
      Objects.requireNonNull(initialBackoff, "initialBackoff");
      if (initialBackoff.isNegative()) {
        throw new IllegalArgumentException(
            "initialBackoff must not be negative, was " + initialBackoff);
      }
      this.initialBackoff = initialBackoff;
      return this;
    }

    /**
     * The longest retry delay; a server's {@code Retry-After} is honoured up to four times it.
     * Default 8 s.
     *
     * @param maxBackoff the longest delay, not negative
     * @return this builder
     * @throws IllegalArgumentException if {@code maxBackoff} is negative
     */
    public Builder maxBackoff(Duration maxBackoff) {
      Objects.requireNonNull(maxBackoff, "maxBackoff");
      if (maxBackoff.isNegative()) {
        throw new IllegalArgumentException("maxBackoff must not be negative, was " + maxBackoff);
      }
      this.maxBackoff = maxBackoff;
      return this;
    }

    /**
     * How long a call waits for the next byte from the server. Default: the client's own.
     *
     * @param readTimeout the read timeout, positive
     * @return this builder
     */
    public Builder readTimeout(Duration readTimeout) {
      Objects.requireNonNull(readTimeout, "readTimeout");
      if (readTimeout.isNegative() || readTimeout.isZero()) {
        throw new IllegalArgumentException("readTimeout must be positive, was " + readTimeout);
      }
      this.readTimeout = readTimeout;
      return this;
    }

    /**
     * Takes every part of {@code options}; the read timeout only if {@code options} carries one
     * (else this builder's stays). For clients whose builders keep their own defaults and accept a
     * whole {@link RetryOptions}.
     *
     * @param options the options to take
     * @return this builder
     */
    public Builder apply(RetryOptions options) {
      Objects.requireNonNull(options, "options");
      maxAttempts(options.maxAttempts())
          .initialBackoff(options.initialBackoff())
          .maxBackoff(options.maxBackoff());
      options.readTimeout().ifPresent(this::readTimeout);
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options, immutable
     */
    public RetryOptions build() {
      return new RetryOptions(this);
    }
  }
}
