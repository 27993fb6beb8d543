package io.openavathar.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void parse_whenSeconds_returnsThem() {
    assertThat(RetryAfter.parse(" 12 ", clock)).isEqualTo(Duration.ofSeconds(12));
  }

  @Test
  void parse_whenHttpDate_measuresFromTheClock() {
    assertThat(RetryAfter.parse("Wed, 25 Nov 2026 12:00:30 GMT", clock))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void parse_whenPastDateOrNegative_returnsZero() {
    assertThat(RetryAfter.parse("Wed, 25 Nov 2026 11:00:00 GMT", clock)).isZero();
    assertThat(RetryAfter.parse("-5", clock)).isZero();
  }

  @Test
  void parse_whenAbsentOrGarbage_returnsNull() {
    assertThat(RetryAfter.parse(null, clock)).isNull();
    assertThat(RetryAfter.parse("soon", clock)).isNull();
  }
}
