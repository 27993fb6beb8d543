package io.openavathar.license.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The token bucket per key: a burst of {@code permits}, refilled evenly on the injected clock,
 * memory bounded.
 */
class RateLimiterTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));

  @Test
  void allowsABurstOfPermits_thenAnswersTheWholeSecondsToTheNextToken() {
    RateLimiter limiter = new RateLimiter(4, clock); // one token every 15 s
    for (int i = 0; i < 4; i++) {
      assertThat(limiter.acquire("a")).isZero();
    }
    assertThat(limiter.acquire("a")).isEqualTo(15);
    clock.advance(Duration.ofMillis(14_001));
    assertThat(limiter.acquire("a"))
        .as("under a second left still waits a whole second")
        .isEqualTo(1);
    clock.advance(Duration.ofMillis(999));
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("b")).as("each key has its own bucket").isZero();
  }

  @Test
  void refillsEvenly_neverAboveThePermits() {
    RateLimiter limiter = new RateLimiter(2, Duration.ofHours(1), clock);
    limiter.acquire("a");
    limiter.acquire("a");
    clock.advance(Duration.ofMinutes(30));
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isEqualTo(1800);
    clock.advance(Duration.ofDays(1));
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).as("a long pause refills only up to the permits").isPositive();
  }

  @Test
  void aClockThatStepsBack_neitherThrowsNorRefills() {
    RateLimiter limiter = new RateLimiter(1, clock);
    limiter.acquire("a");
    clock.advance(Duration.ofMinutes(-5));
    assertThat(limiter.acquire("a")).isPositive();
  }

  @Test
  void dropsFullBuckets_onceManyKeysAreTracked() {
    RateLimiter limiter = new RateLimiter(1, clock);
    for (int i = 0; i < 10_001; i++) {
      limiter.acquire("old-" + i);
    }
    clock.advance(Duration.ofMinutes(1));
    limiter.acquire("busy");
    limiter.acquire("new");
    assertThat(limiter.tracked())
        .as("the idle keys were full again and dropped")
        .isLessThanOrEqualTo(2);
    assertThat(limiter.acquire("busy"))
        .as("a dropped key or a busy one keeps its state")
        .isPositive();
  }

  @Test
  void refusesALimitBelowOne() {
    assertThatThrownBy(() -> new RateLimiter(0, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 request");
  }
}
