package io.openavathar.comfy;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Clients with tiny backoffs, and a way to see a future's failure as the caller sees it. */
final class TestClients {
  static final String PREFIX = "/some/prefix";

  private TestClients() {}

  /**
   * A client of {@code serverBaseUrl + PREFIX} with 1 ms backoffs and {@code maxAttempts} attempts.
   */
  static ComfyUiClient fast(String serverBaseUrl, int maxAttempts) {
    return ComfyUiClient.builder()
        .baseUrl(URI.create(serverBaseUrl + PREFIX))
        .maxAttempts(maxAttempts)
        .initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(2))
        .build();
  }

  /** The failure the future completed with, as seen by {@code handle} (waits at most 10 s). */
  static Throwable failureOf(CompletableFuture<?> future) {
    try {
      return future.handle((v, e) -> e).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the future did not complete in 10 s", e);
    }
  }

  /** The value of the future (waits at most 10 s). */
  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the future failed or did not complete in 10 s", e);
    }
  }
}
