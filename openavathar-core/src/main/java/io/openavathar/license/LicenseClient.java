package io.openavathar.license;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The license and quota SPI for one device. The studio checks before it accepts a job (counting its
 * jobs in flight) and tracks once when a job completes ({@link #track(String)} with the job id).
 * Implementations are thread-safe, never block the calling thread, and fail futures with {@link
 * io.openavathar.OpenAvatharException} subclasses ({@link io.openavathar.LicenseRejectedException}
 * for a refused key, {@link io.openavathar.RemoteUnavailableException} when the server cannot be
 * reached).
 */
public interface LicenseClient {

  /**
   * No license server: every device may generate without limit (self-hosted use).
   *
   * @return a client that never calls a server
   */
  static LicenseClient unlimited() {
    return UnlimitedLicenseClient.INSTANCE;
  }

  /**
   * This device's status ({@code GET /api/generation/check}).
   *
   * @return completes with the status
   */
  CompletableFuture<LicenseStatus> check();

  /**
   * Counts one finished video for this device, without an idempotency key: every call that reaches
   * the server counts again. Completes with today's count (0 for Pro). The studio calls {@link
   * #track(String)}.
   *
   * @return completes with today's count
   */
  CompletableFuture<Integer> track();

  /**
   * Counts one finished video for this device, identified by {@code requestId} (the studio passes
   * the job id): a server with idempotency counts a repeated id once, so a track whose answer was
   * lost can be sent again safely. Completes with today's count (0 for Pro).
   *
   * <p>The default calls {@link #track()} and drops the id; implementations whose server takes the
   * key override it.
   *
   * @param requestId the key that identifies this video, for example the job id
   * @return completes with today's count
   */
  default CompletableFuture<Integer> track(String requestId) {
    Objects.requireNonNull(requestId, "requestId");
    return track();
  }

  /**
   * Binds this device to the key (idempotent); fails with {@link
   * io.openavathar.LicenseRejectedException}.
   *
   * @param key the license key
   * @return completes with the device's status once activated
   */
  CompletableFuture<LicenseStatus> activate(LicenseKey key);

  /**
   * Frees this device's seat on its key, where the server offers it.
   *
   * @param key the license key
   * @return completes when the seat is free
   */
  CompletableFuture<Void> deactivate(LicenseKey key);

  /**
   * What the server knows about a key.
   *
   * @param key the license key
   * @return completes with what the server knows
   */
  CompletableFuture<LicenseInfo> validate(LicenseKey key);

  /**
   * Where users buy Pro, for messages (empty if none).
   *
   * @return the URL, or empty
   */
  default Optional<String> upgradeUrl() {
    return Optional.empty();
  }
}
