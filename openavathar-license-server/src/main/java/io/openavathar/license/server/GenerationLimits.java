package io.openavathar.license.server;

import java.time.Clock;
import java.time.Duration;

/**
 * The request budgets of {@code generation/check} and {@code generation/track}: per client address
 * and per device fingerprint, and a per-address budget of devices the store has never seen (only
 * {@code track} writes a device into the store, so only {@code track} spends it). Together they
 * stop one client from burning other devices' free generations in bulk or growing the database
 * without bound. Thread-safe.
 */
final class GenerationLimits {
  private final RateLimiter checkPerAddress;
  private final RateLimiter checkPerDevice;
  private final RateLimiter trackPerAddress;
  private final RateLimiter trackPerDevice;
  private final RateLimiter newDevicesPerAddress;
  private final LicenseStore store;

  GenerationLimits(LicenseServer.Builder b, LicenseStore store, Clock clock) {
    this.checkPerAddress = new RateLimiter(b.checkPerAddressPerMinute, clock);
    this.checkPerDevice = new RateLimiter(b.checkPerDevicePerMinute, clock);
    this.trackPerAddress = new RateLimiter(b.trackPerAddressPerMinute, clock);
    this.trackPerDevice = new RateLimiter(b.trackPerDevicePerMinute, clock);
    this.newDevicesPerAddress = new RateLimiter(b.newDevicesPerHour, Duration.ofHours(1), clock);
    this.store = store;
  }

  /**
   * Null if this check may go ahead, else the 429 to answer. A null fingerprint spends only the
   * address's budget.
   */
  Reply check(String address, String fingerprint) {
    long wait = checkPerAddress.acquire(address);
    if (wait == 0 && fingerprint != null) {
      wait = checkPerDevice.acquire(fingerprint);
    }
    return wait == 0 ? null : tooMany("Too many requests; try again in " + wait + " s", wait);
  }

  /**
   * Null if this address may send a track at all (asked before its body is read), else the 429 to
   * answer.
   */
  Reply trackFrom(String address) {
    long wait = trackPerAddress.acquire(address);
    return wait == 0 ? null : tooMany("Too many requests; try again in " + wait + " s", wait);
  }

  /**
   * Null if this device may be tracked now, else the 429 to answer. Spends the new-device budget on
   * unseen ones.
   */
  Reply track(String address, String fingerprint) {
    long wait = trackPerDevice.acquire(fingerprint);
    if (wait > 0) {
      return tooMany("Too many requests for this device; try again in " + wait + " s", wait);
    }
    if (!store.knowsDevice(fingerprint)) {
      wait = newDevicesPerAddress.acquire(address);
      if (wait > 0) {
        return tooMany("Too many new devices from this address; try again in " + wait + " s", wait);
      }
    }
    return null;
  }

  private static Reply tooMany(String message, long retryAfterSeconds) {
    return Reply.json(429, "error", message).withRetryAfter(retryAfterSeconds);
  }
}
