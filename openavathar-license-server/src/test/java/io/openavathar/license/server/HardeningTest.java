package io.openavathar.license.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import okhttp3.Headers;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardeningTest {
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));
  LicenseServer server;
  Http http;

  @BeforeEach
  void start() {
    server = LicenseServer.builder().dataDirectory(dir).clock(clock).rateLimit(3).start();
    http = new Http(server.baseUrl());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void malformedJson_is400WithJsonError_onEveryEndpoint() {
    for (String path : new String[] {"/api/license/validate", "/api/generation/track"}) {
      Http.Answer a = http.post(path, "{\"licenseKey\": ");
      assertThat(a.status()).as(path).isEqualTo(400);
      assertThat(a.json().get("error").asText()).startsWith("Malformed JSON");
      assertThat(a.headers().get("Access-Control-Allow-Origin")).isEqualTo("*");
    }
    assertThat(http.post("/api/license/activate", "[1,2]").status()).isEqualTo(400);
    assertThat(http.post("/api/generation/track", "").status()).isEqualTo(400);
  }

  @Test
  void bodyOver64KiB_is413() {
    String big = "{\"fingerprint\":\"" + "x".repeat(70 * 1024) + "\"}";
    assertThat(http.post("/api/generation/track", big).status()).isEqualTo(413);
    assertThat(http.post("/api/generation/track", "{\"fingerprint\":\"ok\"}").status())
        .isEqualTo(200);
  }

  @Test
  void overlongFingerprint_is400() {
    assertThat(http.get("/api/generation/check?fingerprint=" + "a".repeat(300)).status())
        .isEqualTo(400);
  }

  @Test
  void validateBeyondRateLimit_is429WithRetryAfter_thenAllowedAgain() {
    String body = "{\"licenseKey\":\"OAVR-AAAA-BBBB-CCCC-DDDD\"}";
    for (int i = 0; i < 3; i++) {
      assertThat(http.post("/api/license/validate", body).status()).isEqualTo(404);
    }
    Http.Answer limited =
        http.post("/api/license/activate", "{\"licenseKey\":\"x\",\"fingerprint\":\"y\"}");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.headers().get("Retry-After")).isEqualTo("20");
    assertThat(limited.json().get("success").asBoolean()).isFalse();
    assertThat(http.get("/api/generation/check?fingerprint=z").status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(20));
    assertThat(http.post("/api/license/validate", body).status()).isEqualTo(404);
  }

  @Test
  void webhookWithoutSecretAccepted_andNeverCors() {
    Http.Answer a =
        http.post(
            "/api/gumroad/webhook",
            RequestBody.create("sale_id=1&email=a%40b.c", Http.FORM),
            Headers.of());
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.headers().get("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void start_withoutDataDirectoryOrStore_explains() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LicenseServer.builder().start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dataDirectory");
  }

  @Test
  void queryParameter_decodesAndIgnoresPrefixes() {
    assertThat(LicenseHandler.queryParameter("fingerprintx=1&fingerprint=a%2Bb", "fingerprint"))
        .isEqualTo("a+b");
    assertThat(LicenseHandler.queryParameter("fingerprint=%zz", "fingerprint")).isNull();
    assertThat(LicenseHandler.queryParameter("a=1", "fingerprint")).isNull();
  }
}
