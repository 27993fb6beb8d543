package io.openavathar.license.server;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key (a client address, a device fingerprint): {@code permits} requests at once, refilled evenly
 * over the period. Thread-safe. Idle buckets (full again) are dropped when many keys have been seen, so memory stays
 * bounded by the number of keys active within one period.
 */
final class RateLimiter {
  private static final int MAX_TRACKED = 10_000;

  private final int permits;
  private final long periodNanos;
  private final Clock clock;
  private final long nanosPerToken;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private volatile int sweepAbove = MAX_TRACKED;

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
    this(perMinute, Duration.ofMinutes(1), clock);
  }

  RateLimiter(int permits, Duration period, Clock clock) {
    if (permits < 1) {
      throw new IllegalArgumentException("a rate limit must allow at least 1 request, was " + permits);
    }
    this.permits = permits;
    this.periodNanos = period.toNanos();
    this.clock = clock;
    this.nanosPerToken = Math.max(1, periodNanos / permits);
  }

  /**
   * Takes one token for the key.
   *
   * @return 0 if allowed, else the whole seconds (at least 1) after which the next request would be allowed
   */
  long acquire(String key) {
    long now = nowNanos();
    if (buckets.size() > sweepAbove) {
      buckets.values().removeIf(b -> now - b.updatedNanos > periodNanos);
      // Sweep again only once the map has doubled: keys all active within one period make each sweep useless.
      sweepAbove = Math.max(MAX_TRACKED, buckets.size() * 2);
    }
    Bucket b = buckets.computeIfAbsent(key, a -> new Bucket(permits, now));
    synchronized (b) {
      long elapsed = Math.max(0, now - b.updatedNanos);
      b.tokens = Math.min(permits, b.tokens + (double) elapsed / nanosPerToken);
      b.updatedNanos = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      long waitNanos = (long) Math.ceil((1 - b.tokens) * nanosPerToken);
      return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    }
  }

  /** Keys with a bucket now (for tests of the memory bound). */
  int tracked() {
    return buckets.size();
  }

  private long nowNanos() {
    java.time.Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
