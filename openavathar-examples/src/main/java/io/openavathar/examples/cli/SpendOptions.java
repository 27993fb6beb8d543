package io.openavathar.examples.cli;

import io.openavathar.AvatarStudio;
import picocli.CommandLine.Option;

/**
 * The studio's daily spend cap, shared by {@code generate} and {@code jobs run}; default from
 * config.properties.
 */
final class SpendOptions {
  @Option(
      names = "--daily-cap",
      paramLabel = "USD",
      description =
          "Refuse a job whose estimated cost would take today's (UTC) spend on videos past this many USD"
              + " (default: no cap; `openavathar config set daily-cap 5` sets one for every command).")
  Double dailyCap;

  AvatarStudio.Builder apply(AvatarStudio.Builder b) {
    if (dailyCap != null) {
      b.dailySpendCapUsd(positive("--daily-cap", dailyCap));
    }
    return b;
  }

  /**
   * {@code value} if it is a positive, finite number of USD; else a usage error naming {@code
   * flag}.
   */
  static double positive(String flag, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(flag + " must be more than 0 (USD), was " + value);
    }
    return value;
  }
}
