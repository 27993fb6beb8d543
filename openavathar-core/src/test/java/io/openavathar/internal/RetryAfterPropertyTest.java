package io.openavathar.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.RemoteUnavailableException;
import io.openavathar.testkit.internal.Fuzz;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever a server sends as {@code Retry-After}, the wait before the next attempt is between 0 and
 * the cap.
 */
class RetryAfterPropertyTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final Retries RETRIES =
      Retries.withRandom(3, Duration.ofMillis(100), Duration.ofSeconds(2), () -> 0.5);
  private static final long CAP = 4 * 2000;

  @Test
  void anyRetryAfterGivesADelayWithinTheCap() {
    Fuzz.forAll(
        1000,
        RetryAfterPropertyTest::header,
        header -> {
          Duration after = RetryAfter.parse(header, CLOCK);
          if (after != null) {
            assertThat(after.isNegative()).isFalse();
          }
          long delay = RETRIES.delayMillis(1, new RemoteUnavailableException("busy", null, after));
          assertThat(delay).isBetween(0L, CAP);
        });
  }

  /** Found by the property above: 9223372036854775807 seconds overflowed Duration.toMillis(). */
  @Test
  void retryAfterOfTheLargestLongIsCapped() {
    Duration after = RetryAfter.parse("9223372036854775807", CLOCK);

    assertThat(RETRIES.delayMillis(1, new RemoteUnavailableException("busy", null, after)))
        .isEqualTo(CAP);
  }

  /** Seconds of any size and sign, dates far in the past or future, odd text. */
  private static String header(Random random) {
    switch (random.nextInt(5)) {
      case 0:
        return Long.toString(random.nextLong());
      case 1:
        return Long.toString(
            random.nextBoolean() ? Long.MAX_VALUE - random.nextInt(10) : random.nextInt(100_000));
      case 2:
        return ZonedDateTime.ofInstant(
                CLOCK.instant().plusSeconds(random.nextLong() % 30_000_000_000L), ZoneOffset.UTC)
            .format(DateTimeFormatter.RFC_1123_DATE_TIME);
      case 3:
        return "9".repeat(1 + random.nextInt(40));
      default:
        return Fuzz.text(random);
    }
  }
}
