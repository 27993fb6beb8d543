package io.openavathar;

import java.time.Duration;
import java.util.Optional;

/**
 * The free tier's daily video is used up on this device. Carries when it resets and where to
 * upgrade. Not retryable before {@link #resetsIn()}.
 */
public class QuotaExceededException extends OpenAvatharException {
  private static final long serialVersionUID = 1L;
  private final transient Duration resetsIn;

  /** Where to buy more, or null. */
  private final String upgradeUrl;

  /**
   * The quota is used up until {@code resetsIn} has passed; {@code upgradeUrl} (may be null) is
   * where to buy more.
   *
   * @param message what ran out and what to do
   * @param resetsIn time until the quota resets
   * @param upgradeUrl where to buy more, or null
   */
  public QuotaExceededException(String message, Duration resetsIn, String upgradeUrl) {
    super(message);
    this.resetsIn = resetsIn;
    this.upgradeUrl = upgradeUrl;
  }

  /**
   * Time until the free count resets (the next UTC midnight).
   *
   * @return the time until the reset
   */
  public Duration resetsIn() {
    return resetsIn;
  }

  /**
   * Where to buy Pro, if configured.
   *
   * @return the URL, or empty
   */
  public Optional<String> upgradeUrl() {
    return Optional.ofNullable(upgradeUrl);
  }
}
