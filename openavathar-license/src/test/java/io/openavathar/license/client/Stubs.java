package io.openavathar.license.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.openavathar.internal.Retries;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Shared test values: the original deployment's answers (from the protocol document) and a fast
 * client.
 */
final class Stubs {
  static final String KEY = "OAVR-NCQ3-DAKK-KWFL-DG43";
  static final String MASKED = "OAVR-****-****-****-DG43";
  static final String FP = "abc123def456";
  static final Instant NOW = Instant.parse("2026-11-25T20:05:17Z");

  static final String VALIDATE_200 =
      "{\"valid\": true, \"email\": \"user@example.com\", \"activationsUsed\": 2, "
          + "\"maxActivations\": 3, \"purchaseDate\": \"2026-11-25T20:05:17.817Z\"}";
  static final String VALIDATE_404 = "{\"valid\": false, \"error\": \"License key not found\"}";
  static final String ACTIVATED =
      "{\"success\": true, \"message\": \"License activated on this device\"}";
  static final String ALREADY =
      "{\"success\": true, \"message\": \"Already activated on this device\"}";
  static final String ACTIVATE_404 = "{\"success\": false, \"error\": \"Invalid license key\"}";
  static final String ACTIVATE_403 =
      "{\"success\": false, \"error\": \"License already activated on 3 devices\"}";
  static final String CHECK_PRO =
      "{\"canGenerate\": true, \"isPro\": true, \"licenseKey\": \"" + KEY + "\"}";
  static final String CHECK_FREE =
      "{\"canGenerate\": true, \"isPro\": false, \"limit\": 1, \"used\": 0, \"resetsIn\": \"3h 54m\"}";
  static final String MISSING_FP = "{\"error\": \"Missing fingerprint\"}";
  static final String JS_PARSE_ERROR =
      "{\"error\": \"Unexpected token 'o', \\\"not json\\\" is not valid JSON\"}";

  private Stubs() {}

  static Clock clockAt(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  /** A client against {@code baseUrl} with fast retries (3 attempts). */
  static HttpLicenseClient.Builder client(String baseUrl, Path stateDir, Instant now) {
    return HttpLicenseClient.builder()
        .baseUrl(URI.create(baseUrl))
        .fingerprint(DeviceFingerprint.of(FP))
        .stateDirectory(stateDir)
        .clock(clockAt(now))
        .initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(5));
  }

  static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  static Throwable failureOf(CompletableFuture<?> f) throws Exception {
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return Retries.unwrap(e);
    }
    return fail("expected a failure");
  }

  static void assertNoKey(Throwable t) {
    assertThat(String.valueOf(t)).doesNotContain(KEY);
  }
}
