package io.openavathar.license;

import java.util.concurrent.CompletableFuture;

/** A base for test fakes of {@link LicenseClient}: every call fails until a fake overrides it. */
public abstract class LicenseClientStub implements LicenseClient {
  @Override
  public CompletableFuture<LicenseStatus> check() {
    throw new UnsupportedOperationException("check (not faked)");
  }

  @Override
  public CompletableFuture<Integer> track() {
    throw new UnsupportedOperationException("track (not faked)");
  }

  @Override
  public CompletableFuture<LicenseStatus> activate(LicenseKey key) {
    throw new UnsupportedOperationException("activate (not faked)");
  }

  @Override
  public CompletableFuture<Void> deactivate(LicenseKey key) {
    throw new UnsupportedOperationException("deactivate (not faked)");
  }

  @Override
  public CompletableFuture<LicenseInfo> validate(LicenseKey key) {
    throw new UnsupportedOperationException("validate (not faked)");
  }
}
