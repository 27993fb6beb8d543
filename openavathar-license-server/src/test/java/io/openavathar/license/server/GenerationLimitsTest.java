package io.openavathar.license.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * check and track are rate-limited per client address and per device, and new devices per address
 * per hour.
 */
class GenerationLimitsTest {
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));
  LicenseServer server;
  Http http;

  void start(UnaryOperator<LicenseServer.Builder> limits) {
    server = limits.apply(LicenseServer.builder().dataDirectory(dir).clock(clock)).start();
    http = new Http(server.baseUrl());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Http.Answer check(String fingerprint) {
    return http.get("/api/generation/check?fingerprint=" + fingerprint);
  }

  private Http.Answer track(String fingerprint) {
    return http.post("/api/generation/track", "{\"fingerprint\":\"" + fingerprint + "\"}");
  }

  private static void assertTooMany(Http.Answer a, String retryAfter) {
    assertThat(a.status()).isEqualTo(429);
    assertThat(a.headers().get("Retry-After")).isEqualTo(retryAfter);
    assertThat(a.headers().get("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(a.json().get("error").asText()).contains("try again in " + retryAfter + " s");
    assertThat(a.json().size())
        .as("generation endpoints answer errors as {error} only")
        .isEqualTo(1);
  }

  @Test
  void check_perAddress_isLimited_thenRefills() {
    start(b -> b.checkLimitPerAddress(3));
    for (int i = 0; i < 3; i++) {
      assertThat(check("device-" + i).status()).isEqualTo(200);
    }
    assertTooMany(check("device-9"), "20");
    clock.advance(Duration.ofSeconds(20));
    assertThat(check("device-9").status()).isEqualTo(200);
  }

  @Test
  void check_perDevice_isLimited_otherDevicesNot() {
    start(b -> b.checkLimitPerDevice(2));
    assertThat(check("a").status()).isEqualTo(200);
    assertThat(check("a").status()).isEqualTo(200);
    assertTooMany(check("a"), "30");
    assertThat(check("b").status()).isEqualTo(200);
  }

  @Test
  void track_perAddress_isLimited() {
    start(b -> b.trackLimitPerAddress(2));
    assertThat(track("a").status()).isEqualTo(200);
    assertThat(track("b").status()).isEqualTo(200);
    assertTooMany(track("c"), "30");
  }

  @Test
  void track_perDevice_isLimited_andTheRefusedCallIsNotCounted() {
    start(b -> b.trackLimitPerDevice(2));
    assertThat(track("a").json().get("count").asInt()).isEqualTo(1);
    assertThat(track("a").json().get("count").asInt()).isEqualTo(2);
    assertTooMany(track("a"), "30");
    assertThat(check("a").json().get("used").asInt()).isEqualTo(2);
    assertThat(track("b").status()).isEqualTo(200);
  }

  @Test
  void newDevicesPerAddress_areBudgetedPerHour_knownDevicesAreNot() {
    start(b -> b.newDevicesPerHour(2));
    assertThat(track("a").status()).isEqualTo(200);
    assertThat(track("b").status()).isEqualTo(200);
    Http.Answer refused = track("c");
    assertTooMany(refused, "1800");
    assertThat(refused.json().get("error").asText()).contains("new devices");
    assertThat(track("a").status()).as("a device the store knows costs nothing").isEqualTo(200);
    for (int i = 0; i < 10; i++) {
      assertThat(check("unseen-" + i).status())
          .as("check stores nothing, so spends nothing")
          .isEqualTo(200);
    }
    clock.advance(Duration.ofMinutes(30));
    assertThat(track("c").json().get("count").asInt()).isEqualTo(1);
  }

  @Test
  void builder_rejectsLimitsBelowOne() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> LicenseServer.builder().newDevicesPerHour(0))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> LicenseServer.builder().checkLimitPerDevice(0))
        .isInstanceOf(IllegalArgumentException.class);
    server = LicenseServer.builder().dataDirectory(dir).start();
  }
}
