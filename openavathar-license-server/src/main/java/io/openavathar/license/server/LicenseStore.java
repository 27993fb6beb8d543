package io.openavathar.license.server;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Where the license server keeps licenses, device activations and daily free-generation counts. The
 * server ships an SQLite implementation (one file, {@code licenses.db}) and a PostgreSQL one for
 * several servers on one database ({@link LicenseServer.Builder#databaseUrl}); implement this for
 * another database.
 *
 * <p>Every method must be safe to call from many threads at once, and the counting operations must
 * be atomic: {@link #incrementDaily} may never lose an increment, {@link #incrementDailyOnce} may
 * never count one request id twice, and {@link #activate} may never admit more devices than the
 * license allows, however many calls race. Failures are reported as {@link LicenseStoreException}.
 */
public interface LicenseStore extends AutoCloseable {

  /**
   * The license with this normalised key, or empty.
   *
   * @param licenseKey the normalised key
   * @return the license, or empty if the key is unknown
   */
  Optional<LicenseRecord> findLicense(String licenseKey);

  /**
   * How many devices are bound to this key now.
   *
   * @param licenseKey the normalised key
   * @return the number of devices bound, 0 for an unknown key
   */
  int activationCount(String licenseKey);

  /**
   * Stores a new license unless one already exists for its sale id (a retried purchase
   * notification).
   *
   * @param license the new license
   * @return true if stored; false if its sale id was already known (nothing changed)
   * @throws LicenseStoreException also if the key is already taken (the caller mints another one)
   */
  boolean insertLicense(LicenseRecord license);

  /**
   * Marks the license of this sale revoked (refunded); its devices lose Pro at once. False if the
   * sale is unknown.
   *
   * @param saleId the store's sale id
   * @return true if a license was revoked
   */
  boolean revokeSale(String saleId);

  /**
   * Binds a device to a license in one atomic step: already bound answers {@link
   * ActivationResult#ALREADY_ACTIVE}, a full license {@link ActivationResult#LIMIT_REACHED}. A
   * device bound to another license moves to this one.
   *
   * @param licenseKey the normalised key
   * @param fingerprint the device
   * @param now the time of the activation, recorded with it
   * @return what happened
   */
  ActivationResult activate(String licenseKey, String fingerprint, Instant now);

  /**
   * Releases a device from a license. False if that device was not bound to that key.
   *
   * @param licenseKey the normalised key
   * @param fingerprint the device
   * @return true if the device was released
   */
  boolean deactivate(String licenseKey, String fingerprint);

  /**
   * What the server needs to answer a check, read in one go: the key of the live (not revoked)
   * license the device is bound to, if any, and the free generations it used on that UTC day.
   *
   * @param fingerprint the device
   * @param utcDay the UTC day whose free generations count
   * @return the device's status
   */
  DeviceStatus deviceStatus(String fingerprint, LocalDate utcDay);

  /**
   * Whether the store has ever seen this device: bound to a license, or counted on any day. The
   * server lets one client address introduce only so many unseen devices an hour, so that nobody
   * can grow the store without bound.
   *
   * @param fingerprint the device
   * @return true if the device was seen before
   */
  boolean knowsDevice(String fingerprint);

  /**
   * Adds one free generation for the device on that UTC day, atomically, and answers the new count.
   *
   * @param fingerprint the device
   * @param utcDay the UTC day to count on
   * @return the device's count for that day, this one included
   */
  int incrementDaily(String fingerprint, LocalDate utcDay);

  /**
   * Adds one free generation for the device on that UTC day unless this device's {@code requestId}
   * was counted before, in one atomic step: however many calls with one id race, it counts once.
   * Ids are remembered for at least {@link #TRACKED_ID_RETENTION} after {@code now} (older ones may
   * be forgotten, lazily).
   *
   * @param fingerprint the device
   * @param requestId the client's id for this generation
   * @param utcDay the UTC day to count on
   * @param now the current time, for the retention of ids
   * @return whether this call counted, and the day's count
   */
  TrackOutcome incrementDailyOnce(
      String fingerprint, String requestId, LocalDate utcDay, Instant now);

  /**
   * How long a tracked request id is remembered: 48 h. A client stops sending a pending track once
   * its UTC day has passed, so a repeat arrives at most about a day after the first; the second day
   * covers clock skew and late retries.
   */
  Duration TRACKED_ID_RETENTION = Duration.ofHours(48);

  /** Releases the store's connections. */
  @Override
  void close();
}
