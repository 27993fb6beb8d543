package io.openavathar.license.server;

import java.time.Instant;
import java.util.Objects;

/**
 * One license as stored.
 *
 * @param key the normalised license key, for example {@code OAVR-AB12-CD34-EF56-GH70}
 * @param email the buyer's e-mail
 * @param saleId the store's sale id (one sale, one license), or null for a license issued by an
 *     administrator
 * @param purchaseDate when it was bought or issued
 * @param maxActivations how many devices may be bound at once
 * @param product the product name, or null
 * @param priceCents the price in the currency's minor unit (cents), 0 if unknown
 * @param currency the currency code, or null
 * @param test whether this was a test purchase
 * @param revoked whether it was refunded (its devices are free devices again)
 */
public record LicenseRecord(
    String key,
    String email,
    String saleId,
    Instant purchaseDate,
    int maxActivations,
    String product,
    long priceCents,
    String currency,
    boolean test,
    boolean revoked) {

  /**
   * Checks the required fields.
   *
   * @param key the normalised license key, not null
   * @param email the buyer's e-mail, not null
   * @param saleId the store's sale id, or null
   * @param purchaseDate when it was bought or issued, not null
   * @param maxActivations at least 1
   * @param product the product name, or null
   * @param priceCents the price in cents, 0 if unknown
   * @param currency the currency code, or null
   * @param test whether this was a test purchase
   * @param revoked whether it was refunded
   * @throws NullPointerException if a required field is null
   * @throws IllegalArgumentException if {@code maxActivations} is below 1
   */
  public LicenseRecord {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(purchaseDate, "purchaseDate");
    if (maxActivations < 1) {
      throw new IllegalArgumentException(
          "maxActivations must be at least 1, was " + maxActivations);
    }
  }
}
