package io.openavathar.license.server;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Bucket4j token bucket per key (a client address, a device fingerprint): {@code permits}
 * requests at once, refilled evenly over the period, on the injected clock. Thread-safe. Full
 * buckets (idle keys) are dropped when many keys have been seen, so memory stays bounded by the
 * number of keys active within one period.
 */
final class RateLimiter {
  private static final int MAX_TRACKED = 10_000;

  private final int permits;
  private final Duration period;
  private final TimeMeter time;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private volatile int sweepAbove = MAX_TRACKED;

  RateLimiter(int perMinute, Clock clock) {
    this(perMinute, Duration.ofMinutes(1), clock);
  }

  RateLimiter(int permits, Duration period, Clock clock) {
    if (permits < 1) {
      throw new IllegalArgumentException(
          "a rate limit must allow at least 1 request, was " + permits);
    }
    this.permits = permits;
    this.period = period;
    this.time =
        new TimeMeter() {
          @Override
          public long currentTimeNanos() {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
          }

          @Override
          public boolean isWallClockBased() {
            return true;
          }
        };
  }

  /**
   * Takes one token for the key.
   *
   * @return 0 if allowed, else the whole seconds (at least 1) after which the next request would be
   *     allowed
   */
  long acquire(String key) {
    if (buckets.size() > sweepAbove) {
      buckets.values().removeIf(b -> b.getAvailableTokens() >= permits);
      // Sweep again only once the map has doubled: keys all active within one period make each
      // sweep useless.
      sweepAbove = Math.max(MAX_TRACKED, buckets.size() * 2);
    }
    ConsumptionProbe probe =
        buckets.computeIfAbsent(key, k -> newBucket()).tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return 0;
    }
    return Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
  }

  /** Keys with a bucket now (for tests of the memory bound). */
  int tracked() {
    return buckets.size();
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .withCustomTimePrecision(time)
        .addLimit(limit -> limit.capacity(permits).refillGreedy(permits, period))
        .build();
  }
}
