package io.openavathar.license.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A {@link LicenseStore} on {@link LicenseSql}: the subclass says how a read gets a connection and
 * how a write runs in a transaction.
 */
abstract class JdbcLicenseStore implements LicenseStore {
  private final boolean lockLicenseRow;

  /**
   * @param lockLicenseRow whether an activation must lock its license row (see {@link
   *     LicenseSql#activate})
   */
  JdbcLicenseStore(boolean lockLicenseRow) {
    this.lockLicenseRow = lockLicenseRow;
  }

  /** Work on one connection. */
  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs read-only work on a connection. */
  abstract <T> T read(SqlWork<T> work);

  /** Runs work in one transaction: committed if it returns, rolled back if it throws. */
  abstract <T> T write(SqlWork<T> work);

  @Override
  public Optional<LicenseRecord> findLicense(String licenseKey) {
    return read(c -> LicenseSql.findLicense(c, licenseKey));
  }

  @Override
  public int activationCount(String licenseKey) {
    return read(c -> LicenseSql.activationCount(c, licenseKey));
  }

  @Override
  public DeviceStatus deviceStatus(String fingerprint, LocalDate utcDay) {
    return read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(LicenseSql.DEVICE_STATUS)) {
            return LicenseSql.deviceStatus(ps, fingerprint, utcDay);
          }
        });
  }

  @Override
  public boolean insertLicense(LicenseRecord license) {
    return write(c -> LicenseSql.insertLicense(c, license));
  }

  @Override
  public boolean revokeSale(String saleId) {
    return write(c -> LicenseSql.revokeSale(c, saleId));
  }

  @Override
  public ActivationResult activate(String licenseKey, String fingerprint, Instant now) {
    return write(c -> LicenseSql.activate(c, licenseKey, fingerprint, now, lockLicenseRow));
  }

  @Override
  public boolean deactivate(String licenseKey, String fingerprint) {
    return write(c -> LicenseSql.deactivate(c, licenseKey, fingerprint));
  }

  @Override
  public boolean knowsDevice(String fingerprint) {
    return read(c -> LicenseSql.knowsDevice(c, fingerprint));
  }

  @Override
  public int incrementDaily(String fingerprint, LocalDate utcDay) {
    return write(c -> LicenseSql.increment(c, fingerprint, utcDay));
  }

  @Override
  public TrackOutcome incrementDailyOnce(
      String fingerprint, String requestId, LocalDate utcDay, Instant now) {
    return write(c -> LicenseSql.incrementDailyOnce(c, fingerprint, requestId, utcDay, now));
  }

  static LicenseStoreException failed(String what, SQLException e) {
    return new LicenseStoreException(
        "The license database failed to " + what + ": " + e.getMessage(), e);
  }
}
