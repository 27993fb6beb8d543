package io.openavathar.license.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {
  @TempDir Path dir;
  LicenseServer server;
  Http http;

  @BeforeEach
  void start() {
    server =
        LicenseServer.builder()
            .dataDirectory(dir)
            .rateLimit(10_000)
            .trackLimitPerAddress(10_000)
            .trackLimitPerDevice(10_000)
            .checkLimitPerAddress(10_000)
            .checkLimitPerDevice(10_000)
            .start();
    http = new Http(server.baseUrl());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private List<Http.Answer> race(int n, java.util.function.IntFunction<Http.Answer> call)
      throws Exception {
    return Race.run(n, call);
  }

  @Test
  void track_200ConcurrentCallsForOneDevice_countExactly200() throws Exception {
    List<Http.Answer> answers =
        race(200, i -> http.post("/api/generation/track", "{\"fingerprint\":\"same\"}"));
    assertThat(answers).allMatch(a -> a.status() == 200);
    assertThat(answers.stream().map(a -> a.json().get("count").asInt()).distinct().count())
        .isEqualTo(200);
    assertThat(http.get("/api/generation/check?fingerprint=same").json().get("used").asInt())
        .isEqualTo(200);
  }

  @Test
  void track_50ConcurrentRepeatsOfOneRequestId_countOnce() throws Exception {
    List<Http.Answer> answers =
        race(
            50,
            i ->
                http.post(
                    "/api/generation/track", "{\"fingerprint\":\"same\",\"requestId\":\"job-1\"}"));
    assertThat(answers).allMatch(a -> a.status() == 200 && a.json().get("count").asInt() == 1);
    assertThat(answers.stream().filter(a -> !a.json().has("repeated")).count()).isEqualTo(1);
    assertThat(http.get("/api/generation/check?fingerprint=same").json().get("used").asInt())
        .isEqualTo(1);
  }

  @Test
  void activate_20ConcurrentDevicesOnA3DeviceKey_admitExactly3() throws Exception {
    String key = server.issueLicense("race@example.com").value();
    List<Http.Answer> answers =
        race(
            20,
            i ->
                http.post(
                    "/api/license/activate",
                    "{\"licenseKey\":\"" + key + "\",\"fingerprint\":\"device-" + i + "\"}"));
    assertThat(answers.stream().filter(a -> a.status() == 200).count()).isEqualTo(3);
    assertThat(answers.stream().filter(a -> a.status() == 403).count()).isEqualTo(17);
    assertThat(
            http.post("/api/license/validate", "{\"licenseKey\":\"" + key + "\"}")
                .json()
                .get("activationsUsed")
                .asInt())
        .isEqualTo(3);
  }
}
