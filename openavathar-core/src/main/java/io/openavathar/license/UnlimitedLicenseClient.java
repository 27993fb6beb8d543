package io.openavathar.license;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@link LicenseClient#unlimited()}: no server, no limit. */
final class UnlimitedLicenseClient implements LicenseClient {
  static final UnlimitedLicenseClient INSTANCE = new UnlimitedLicenseClient();
  private static final LicenseStatus STATUS =
      new LicenseStatus(true, true, 0, 0, Duration.ZERO, Optional.empty());

  private UnlimitedLicenseClient() {}

  @Override
  public CompletableFuture<LicenseStatus> check() {
    return CompletableFuture.completedFuture(STATUS);
  }

  @Override
  public CompletableFuture<Integer> track() {
    return CompletableFuture.completedFuture(0);
  }

  @Override
  public CompletableFuture<LicenseStatus> activate(LicenseKey key) {
    return CompletableFuture.completedFuture(STATUS);
  }

  @Override
  public CompletableFuture<Void> deactivate(LicenseKey key) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<LicenseInfo> validate(LicenseKey key) {
    return CompletableFuture.completedFuture(
        new LicenseInfo(true, Optional.empty(), 0, 0, Optional.empty()));
  }

  @Override
  public String toString() {
    return "LicenseClient.unlimited()";
  }
}
