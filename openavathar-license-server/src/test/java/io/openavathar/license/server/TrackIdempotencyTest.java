package io.openavathar.license.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.license.client.DeviceFingerprint;
import io.openavathar.license.client.HttpLicenseClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code track} with a request id counts each id once per device; without one it counts like the
 * original.
 */
class TrackIdempotencyTest {
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T09:00:00Z"));
  LicenseServer server;
  Http http;

  @BeforeEach
  void start() {
    server = LicenseServer.builder().dataDirectory(dir).clock(clock).freeDailyLimit(5).start();
    http = new Http(server.baseUrl());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  Http.Answer track(String fingerprint, String requestId) {
    return http.post(
        "/api/generation/track",
        "{\"fingerprint\":\"" + fingerprint + "\",\"requestId\":\"" + requestId + "\"}");
  }

  int used(String fingerprint) {
    return http.get("/api/generation/check?fingerprint=" + fingerprint).json().get("used").asInt();
  }

  @Test
  void theSameRequestIdTwice_countsOnce_andTheRepeatSaysSo() {
    assertThat(track("dev", "job-1").body()).isEqualTo("{\"success\":true,\"count\":1}");
    assertThat(track("dev", "job-1").body())
        .isEqualTo("{\"success\":true,\"count\":1,\"repeated\":true}");
    assertThat(used("dev")).isEqualTo(1);
  }

  @Test
  void differentRequestIds_andOneIdOnTwoDevices_countSeparately() {
    track("dev", "job-1");
    assertThat(track("dev", "job-2").json().get("count").asInt()).isEqualTo(2);
    assertThat(track("other", "job-1").json().get("count").asInt()).isEqualTo(1);
    assertThat(used("dev")).isEqualTo(2);
  }

  @Test
  void theOriginalShape_withoutRequestId_countsEveryRequest() {
    assertThat(http.post("/api/generation/track", "{\"fingerprint\":\"dev\"}").body())
        .isEqualTo("{\"success\":true,\"count\":1}");
    assertThat(
            http.post("/api/generation/track", "{\"fingerprint\":\"dev\",\"requestId\":null}")
                .body())
        .isEqualTo("{\"success\":true,\"count\":2}");
    assertThat(used("dev")).isEqualTo(2);
  }

  @Test
  void aMalformedRequestId_isA400_andCountsNothing() {
    for (String id :
        new String[] {
          "\"\"", "\"   \"", "42", "{}", "\"" + "x".repeat(129) + "\"", "\"a\\u0001b\""
        }) {
      Http.Answer a =
          http.post("/api/generation/track", "{\"fingerprint\":\"dev\",\"requestId\":" + id + "}");
      assertThat(a.status()).as(id).isEqualTo(400);
      assertThat(a.json().get("error").asText()).contains("requestId");
    }
    assertThat(used("dev")).isZero();
  }

  @Test
  void aRepeatOnTheNextDay_isNotCountedThere_andIdsAreForgottenAfterTheRetention() {
    clock.set(Instant.parse("2026-03-10T23:59:00Z"));
    track("dev", "job-1");
    clock.set(Instant.parse("2026-03-11T00:01:00Z"));
    assertThat(track("dev", "job-1").body())
        .isEqualTo("{\"success\":true,\"count\":0,\"repeated\":true}");
    assertThat(used("dev")).isZero();

    clock.set(
        Instant.parse("2026-03-10T23:59:00Z")
            .plus(LicenseStore.TRACKED_ID_RETENTION)
            .minusSeconds(1));
    assertThat(track("dev", "job-1").json().has("repeated")).isTrue();
    clock.advance(Duration.ofSeconds(2));
    track("dev", "unrelated"); // any track prunes what is older than the retention
    assertThat(track("dev", "job-1").json().has("repeated")).isFalse();
  }

  @Test
  void theSdkClient_retryingATrack_isCountedOnce() {
    HttpLicenseClient client =
        HttpLicenseClient.builder()
            .baseUrl(server.baseUrl())
            .clock(clock)
            .fingerprint(DeviceFingerprint.of("sdk-device"))
            .stateDirectory(dir.resolve("state"))
            .build();
    assertThat(client.track("job-9").join()).isEqualTo(1);
    assertThat(client.track("job-9").join()).isEqualTo(1);
    assertThat(client.track().join()).isEqualTo(2);
  }

  @Test
  void aVersion1Database_isMigrated_keepingItsCounts() throws Exception {
    server.close();
    Path old = dir.resolve("old");
    java.nio.file.Files.createDirectories(old);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old.resolve("licenses.db"));
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
      s.execute(
          "CREATE TABLE licenses (license_key TEXT PRIMARY KEY, email TEXT NOT NULL, sale_id TEXT UNIQUE,"
              + " purchase_date TEXT NOT NULL, max_activations INTEGER NOT NULL, product TEXT, price INTEGER NOT NULL,"
              + " currency TEXT, test INTEGER NOT NULL DEFAULT 0, revoked INTEGER NOT NULL DEFAULT 0)");
      s.execute(
          "CREATE TABLE activations (license_key TEXT NOT NULL REFERENCES licenses(license_key),"
              + " fingerprint TEXT NOT NULL UNIQUE, activated_at TEXT NOT NULL)");
      s.execute(
          "CREATE TABLE daily_counts (fingerprint TEXT NOT NULL, utc_day TEXT NOT NULL,"
              + " count INTEGER NOT NULL, PRIMARY KEY (fingerprint, utc_day)) WITHOUT ROWID");
      s.execute("INSERT INTO daily_counts VALUES ('dev', '2026-03-10', 1)");
      s.execute("INSERT INTO schema_version (version) VALUES (1)");
    }
    server = LicenseServer.builder().dataDirectory(old).clock(clock).freeDailyLimit(5).start();
    http = new Http(server.baseUrl());

    assertThat(track("dev", "job-1").json().get("count").asInt()).isEqualTo(2);
    assertThat(track("dev", "job-1").json().get("count").asInt()).isEqualTo(2);
  }
}
