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
  private final String upgradeUrl;

  /**
   * The quota is used up until {@code resetsIn} has passed; {@code upgradeUrl} (may be null) is
   * where to buy more.
   */
  public QuotaExceededException(String message, Duration resetsIn, String upgradeUrl) {
    super(message);
    this.resetsIn = resetsIn;
    this.upgradeUrl = upgradeUrl;
  }

  /** Time until the free count resets (the next UTC midnight). */
  public Duration resetsIn() {
    return resetsIn;
  }

  /** Where to buy Pro, if configured. */
  public Optional<String> upgradeUrl() {
    return Optional.ofNullable(upgradeUrl);
  }
}
