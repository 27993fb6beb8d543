package io.openavathar.store;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Instants as the store writes them: fixed-width UTC text with nanoseconds ({@code
 * 2024-05-01T10:00:00.000000000Z}), so values round-trip exactly, read well in the {@code sqlite3}
 * shell, and compare correctly as text in SQL.
 */
final class StoreTime {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** The earliest instant the store keeps (year 0000). */
  static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");

  /** The latest instant the store keeps (end of year 9999). */
  static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private StoreTime() {}

  /** The stored text of {@code instant}; fails for years outside 0000 to 9999. */
  static String text(Instant instant) {
    Objects.requireNonNull(instant, "instant");
    if (instant.isBefore(MIN) || instant.isAfter(MAX)) {
      throw new IllegalArgumentException(
          "the store keeps times in the years 0000 to 9999, was " + instant);
    }
    return FORMAT.format(instant);
  }

  /** {@code now + duration}, capped at {@link #MAX} (a lease of "forever"). */
  static Instant plusCapped(Instant now, Duration duration) {
    try {
      Instant until = now.plus(duration);
      return until.isAfter(MAX) ? MAX : until;
    } catch (DateTimeException | ArithmeticException e) {
      return MAX;
    }
  }

  static Instant instant(String text) {
    return Instant.parse(text);
  }
}
