package io.openavathar.license.server;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client address: {@code perMinute} requests at once, refilled evenly over a minute. Thread-safe.
 * Idle buckets are dropped when many addresses have been seen, so memory stays bounded.
 */
final class RateLimiter {
  private static final int MAX_TRACKED = 10_000;
  private static final long MINUTE_NANOS = 60_000_000_000L;

  private final int perMinute;
  private final Clock clock;
  private final long nanosPerToken;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** Tokens and the time they were last topped up. Guarded by its own monitor. */
  private static final class Bucket {
    double tokens;
    long updatedNanos;

    Bucket(double tokens, long updatedNanos) {
      this.tokens = tokens;
      this.updatedNanos = updatedNanos;
    }
  }

  RateLimiter(int perMinute, Clock clock) {
    if (perMinute < 1) {
      throw new IllegalArgumentException("rateLimit must be at least 1 per minute, was " + perMinute);
    }
    this.perMinute = perMinute;
    this.clock = clock;
    this.nanosPerToken = MINUTE_NANOS / perMinute;
  }

  /**
   * Takes one token for the address.
   *
   * @return 0 if allowed, else the whole seconds (at least 1) after which the next request would be allowed
   */
  long acquire(String address) {
    long now = nowNanos();
    if (buckets.size() > MAX_TRACKED) {
      buckets.values().removeIf(b -> now - b.updatedNanos > MINUTE_NANOS);
    }
    Bucket b = buckets.computeIfAbsent(address, a -> new Bucket(perMinute, now));
    synchronized (b) {
      long elapsed = Math.max(0, now - b.updatedNanos);
      b.tokens = Math.min(perMinute, b.tokens + (double) elapsed / nanosPerToken);
      b.updatedNanos = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      long waitNanos = (long) Math.ceil((1 - b.tokens) * nanosPerToken);
      return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    }
  }

  private long nowNanos() {
    java.time.Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
