package io.openavathar.license;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The license and quota SPI for one device. The studio checks before it accepts a job (counting its jobs in flight)
 * and tracks once when a job completes. Implementations are thread-safe, never block the calling thread, and fail
 * futures with {@link io.openavathar.OpenAvatharException} subclasses ({@link io.openavathar.LicenseRejectedException}
 * for a refused key, {@link io.openavathar.RemoteUnavailableException} when the server cannot be reached).
 */
public interface LicenseClient {

  /** No license server: every device may generate without limit (self-hosted use). */
  static LicenseClient unlimited() {
    return UnlimitedLicenseClient.INSTANCE;
  }

  /** This device's status ({@code GET /api/generation/check}). */
  CompletableFuture<LicenseStatus> check();

  /** Counts one finished video for this device; completes with today's count (0 for Pro). */
  CompletableFuture<Integer> track();

  /** Binds this device to the key (idempotent); fails with {@link io.openavathar.LicenseRejectedException}. */
  CompletableFuture<LicenseStatus> activate(LicenseKey key);

  /** Frees this device's seat on its key, where the server offers it. */
  CompletableFuture<Void> deactivate(LicenseKey key);

  /** What the server knows about a key. */
  CompletableFuture<LicenseInfo> validate(LicenseKey key);

  /** Where users buy Pro, for messages (empty if none). */
  default Optional<String> upgradeUrl() {
    return Optional.empty();
  }
}
