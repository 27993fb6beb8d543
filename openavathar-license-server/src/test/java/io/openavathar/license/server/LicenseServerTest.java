package io.openavathar.license.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.license.LicenseKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LicenseServerTest {
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T09:36:30Z"));
  LicenseServer server;
  Http http;

  @BeforeEach
  void start() {
    server = LicenseServer.builder().dataDirectory(dir).clock(clock).rateLimit(1000).start();
    http = new Http(server.baseUrl());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String activate(String key, String fp) {
    return "{\"licenseKey\":\"" + key + "\",\"fingerprint\":\"" + fp + "\"}";
  }

  @Test
  void issueLicense_mintsFourGroupKeyFromTheAlphabet() {
    LicenseKey key = server.issueLicense("a@example.com");
    assertThat(key.value()).matches("OAVR(-[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{4}){4}");
    assertThat(server.issueLicense("a@example.com")).isNotEqualTo(key);
  }

  @Test
  void validate_knownKey_answersDetails_unknownKey404() {
    LicenseKey key = server.issueLicense("user@example.com");
    http.post("/api/license/activate", activate(key.value(), "dev1"));
    Http.Answer ok =
        http.post(
            "/api/license/validate", "{\"licenseKey\":\"" + key.value().toLowerCase() + "\"}");
    assertThat(ok.status()).isEqualTo(200);
    JsonNode j = ok.json();
    assertThat(j.get("valid").asBoolean()).isTrue();
    assertThat(j.get("email").asText()).isEqualTo("user@example.com");
    assertThat(j.get("activationsUsed").asInt()).isEqualTo(1);
    assertThat(j.get("maxActivations").asInt()).isEqualTo(3);
    assertThat(j.get("purchaseDate").asText()).isEqualTo("2026-03-10T09:36:30Z");

    Http.Answer missing =
        http.post("/api/license/validate", "{\"licenseKey\":\"OAVR-AAAA-BBBB-CCCC-DDDD\"}");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("{\"valid\":false,\"error\":\"License key not found\"}");
    assertThat(http.post("/api/license/validate", "{\"licenseKey\":\"nonsense\"}").status())
        .isEqualTo(404);
  }

  @Test
  void activate_bindsIsIdempotentAndStopsAtThreeDevices() {
    String key = server.issueLicense("u@example.com").value();
    Http.Answer first = http.post("/api/license/activate", activate(key, "d1"));
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body())
        .isEqualTo("{\"success\":true,\"message\":\"License activated on this device\"}");
    assertThat(http.post("/api/license/activate", activate(key, "d1")).body())
        .isEqualTo("{\"success\":true,\"message\":\"Already activated on this device\"}");
    http.post("/api/license/activate", activate(key, "d2"));
    http.post("/api/license/activate", activate(key, "d3"));
    Http.Answer full = http.post("/api/license/activate", activate(key, "d4"));
    assertThat(full.status()).isEqualTo(403);
    assertThat(full.body())
        .isEqualTo("{\"success\":false,\"error\":\"License already activated on 3 devices\"}");
    Http.Answer unknown =
        http.post("/api/license/activate", activate("OAVR-AAAA-BBBB-CCCC-DDDD", "d1"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("{\"success\":false,\"error\":\"Invalid license key\"}");
  }

  @Test
  void deactivate_freesASeatForAnotherDevice() {
    String key = server.issueLicense("u@example.com").value();
    for (String d : new String[] {"d1", "d2", "d3"}) {
      http.post("/api/license/activate", activate(key, d));
    }
    assertThat(http.post("/api/license/activate", activate(key, "d4")).status()).isEqualTo(403);
    Http.Answer released = http.post("/api/license/deactivate", activate(key, "d2"));
    assertThat(released.status()).isEqualTo(200);
    assertThat(released.json().get("success").asBoolean()).isTrue();
    assertThat(http.get("/api/generation/check?fingerprint=d2").json().get("isPro").asBoolean())
        .isFalse();
    assertThat(http.post("/api/license/activate", activate(key, "d4")).status()).isEqualTo(200);
    Http.Answer again = http.post("/api/license/deactivate", activate(key, "d2"));
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.json().get("success").asBoolean()).isFalse();
  }

  @Test
  void check_proDevice_answersMaskedKeyWithoutQuotaFields() {
    LicenseKey key = server.issueLicense("u@example.com");
    http.post("/api/license/activate", activate(key.value(), "pro-dev"));
    Http.Answer a = http.get("/api/generation/check?fingerprint=pro-dev");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body())
        .isEqualTo("{\"canGenerate\":true,\"isPro\":true,\"licenseKey\":\"" + key.masked() + "\"}");
    assertThat(a.body()).doesNotContain(key.value());
  }

  @Test
  void check_freeDevice_countsTrackAndResetsAtUtcMidnight() {
    Http.Answer fresh = http.get("/api/generation/check?fingerprint=free%20dev");
    assertThat(fresh.body())
        .isEqualTo(
            "{\"canGenerate\":true,\"isPro\":false,\"limit\":1,\"used\":0,\"resetsIn\":\"14h 23m\"}");
    clock.set(Instant.parse("2026-03-10T23:59:00Z"));
    Http.Answer tracked = http.post("/api/generation/track", "{\"fingerprint\":\"free dev\"}");
    assertThat(tracked.body()).isEqualTo("{\"success\":true,\"count\":1}");
    assertThat(http.get("/api/generation/check?fingerprint=free+dev").body())
        .isEqualTo(
            "{\"canGenerate\":false,\"isPro\":false,\"limit\":1,\"used\":1,\"resetsIn\":\"0h 1m\"}");
    assertThat(
            http.post("/api/generation/track", "{\"fingerprint\":\"free dev\"}")
                .json()
                .get("count")
                .asInt())
        .isEqualTo(2);
    clock.advance(Duration.ofSeconds(61));
    assertThat(http.get("/api/generation/check?fingerprint=free%20dev").body())
        .isEqualTo(
            "{\"canGenerate\":true,\"isPro\":false,\"limit\":1,\"used\":0,\"resetsIn\":\"23h 59m\"}");
  }

  @Test
  void track_proDevice_countsZero() {
    String key = server.issueLicense("u@example.com").value();
    http.post("/api/license/activate", activate(key, "p"));
    assertThat(http.post("/api/generation/track", "{\"fingerprint\":\"p\"}").body())
        .isEqualTo("{\"success\":true,\"count\":0,\"isPro\":true}");
  }

  @Test
  void missingFingerprint_is400() {
    Http.Answer check = http.get("/api/generation/check");
    assertThat(check.status()).isEqualTo(400);
    assertThat(check.body()).isEqualTo("{\"error\":\"Missing fingerprint\"}");
    assertThat(http.get("/api/generation/check?fingerprint=").status()).isEqualTo(400);
    Http.Answer track = http.post("/api/generation/track", "{}");
    assertThat(track.status()).isEqualTo(400);
    assertThat(track.body()).isEqualTo("{\"error\":\"Missing fingerprint\"}");
    assertThat(
            http.post("/api/license/activate", "{\"licenseKey\":\"OAVR-AAAA-BBBB-CCCC\"}").status())
        .isEqualTo(400);
    assertThat(http.post("/api/license/validate", "{\"licenseKey\":42}").status()).isEqualTo(400);
  }

  @Test
  void corsOnEveryAnswer_optionsIs204_unknownPathIs404Text() {
    Http.Answer check = http.get("/api/generation/check?fingerprint=x");
    assertThat(check.headers().get("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(check.headers().get("Access-Control-Allow-Methods")).isEqualTo("GET, POST, OPTIONS");
    assertThat(check.headers().get("Access-Control-Allow-Headers")).isEqualTo("Content-Type");
    assertThat(check.headers().get("Content-Type")).startsWith("application/json");
    Http.Answer options =
        http.call(
            new Request.Builder()
                .url(server.baseUrl() + "/anything/at/all")
                .method("OPTIONS", null)
                .build());
    assertThat(options.status()).isEqualTo(204);
    assertThat(options.body()).isEmpty();
    assertThat(options.headers().get("Access-Control-Allow-Origin")).isEqualTo("*");
    Http.Answer unknown = http.get("/nope");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("Not Found");
    assertThat(http.get("/api/license/validate").status()).isEqualTo(404);
    assertThat(
            http.post(
                    "/api/generation/check",
                    RequestBody.create("{}", Http.JSON),
                    okhttp3.Headers.of())
                .body())
        .isEqualTo("Not Found");
  }
}
