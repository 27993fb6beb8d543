package io.openavathar.license;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the license server says about this device now: Pro, or free with today's usage.
 *
 * @param pro whether the device is activated with a Pro license
 * @param canGenerate whether the server allows another video now
 * @param used free videos used today (0 for Pro)
 * @param limit free videos per UTC day (0 for Pro: unlimited)
 * @param resetsIn time to the next UTC midnight, when the free count resets (zero for Pro)
 * @param licenseKey the device's key, masked, if Pro and the server said it
 */
public record LicenseStatus(
    boolean pro,
    boolean canGenerate,
    int used,
    int limit,
    Duration resetsIn,
    Optional<String> licenseKey) {
  /**
   * Checks that no value is null.
   *
   * @param pro whether the device is activated with a Pro license
   * @param canGenerate whether the server allows another video now
   * @param used free videos used today
   * @param limit free videos per UTC day
   * @param resetsIn time to the next UTC midnight
   * @param licenseKey the device's masked key, or empty
   */
  public LicenseStatus {
    Objects.requireNonNull(resetsIn, "resetsIn");
    Objects.requireNonNull(licenseKey, "licenseKey");
  }

  /**
   * A Pro device.
   *
   * @param maskedKey the device's masked key, or empty
   * @return the status: can generate, no limit
   */
  public static LicenseStatus pro(Optional<String> maskedKey) {
    return new LicenseStatus(true, true, 0, 0, Duration.ZERO, maskedKey);
  }
}
