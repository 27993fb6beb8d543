package io.openavathar.license;

import java.util.Objects;
import java.util.Optional;

/**
 * What the server says about a license key ({@code validate}).
 *
 * @param valid whether the key exists (and is not revoked)
 * @param email the buyer's e-mail, if valid
 * @param activationsUsed devices activated
 * @param maxActivations devices allowed (3)
 * @param purchaseDate the purchase instant as the server wrote it, if valid
 */
public record LicenseInfo(
    boolean valid,
    Optional<String> email,
    int activationsUsed,
    int maxActivations,
    Optional<String> purchaseDate) {
  /**
   * Checks that no value is null.
   *
   * @param valid whether the key is valid
   * @param email the buyer's e-mail, if valid
   * @param activationsUsed devices activated
   * @param maxActivations devices allowed
   * @param purchaseDate the purchase instant as the server wrote it, if valid
   */
  public LicenseInfo {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(purchaseDate, "purchaseDate");
  }
}
