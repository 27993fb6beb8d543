package io.openavathar.license.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.testkit.postgres.PostgresDatabase;
import io.openavathar.testkit.postgres.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import okhttp3.Headers;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two license servers on one PostgreSQL database, as behind a load balancer: requests alternate
 * between them and the counts stay exact.
 */
class MultiInstancePostgresTest {
  PostgresDatabase db;
  LicenseServer first;
  LicenseServer second;
  List<Http> both;

  @BeforeEach
  void start() {
    db = PostgresServer.shared().createDatabase("multi_instance");
    first = server();
    second = server();
    both = List.of(new Http(first.baseUrl()), new Http(second.baseUrl()));
  }

  private LicenseServer server() {
    return LicenseServer.builder()
        .databaseUrl(db.jdbcUrlWithUser())
        .databasePassword(db.password())
        .webhookSecret(WebhookTest.SECRET)
        .rateLimit(10_000)
        .trackLimitPerAddress(10_000)
        .trackLimitPerDevice(10_000)
        .checkLimitPerAddress(10_000)
        .checkLimitPerDevice(10_000)
        .newDevicesPerHour(10_000)
        .start();
  }

  @AfterEach
  void stop() {
    first.close();
    second.close();
  }

  private Http instance(int i) {
    return both.get(i % 2);
  }

  @Test
  void track_200ConcurrentCallsOverTwoInstances_countExactly200() throws Exception {
    List<Http.Answer> answers =
        Race.run(200, i -> instance(i).post("/api/generation/track", "{\"fingerprint\":\"same\"}"));
    assertThat(answers).allMatch(a -> a.status() == 200);
    assertThat(answers.stream().map(a -> a.json().get("count").asInt()).distinct().count())
        .isEqualTo(200);
    for (Http http : both) {
      assertThat(http.get("/api/generation/check?fingerprint=same").json().get("used").asInt())
          .isEqualTo(200);
    }
  }

  @Test
  void track_repeatsOfOneRequestIdOnBothInstances_countOnce() throws Exception {
    List<Http.Answer> answers =
        Race.run(
            40,
            i ->
                instance(i)
                    .post(
                        "/api/generation/track",
                        "{\"fingerprint\":\"same\",\"requestId\":\"job-1\"}"));
    assertThat(answers).allMatch(a -> a.status() == 200 && a.json().get("count").asInt() == 1);
    assertThat(answers.stream().filter(a -> !a.json().has("repeated")).count()).isEqualTo(1);
    assertThat(instance(1).get("/api/generation/check?fingerprint=same").json().get("used").asInt())
        .isEqualTo(1);
  }

  @Test
  void activate_20ConcurrentDevicesOverTwoInstances_admitExactly3() throws Exception {
    String key = first.issueLicense("race@example.com").value();
    List<Http.Answer> answers =
        Race.run(
            20,
            i ->
                instance(i)
                    .post(
                        "/api/license/activate",
                        "{\"licenseKey\":\"" + key + "\",\"fingerprint\":\"device-" + i + "\"}"));
    assertThat(answers.stream().filter(a -> a.status() == 200).count()).isEqualTo(3);
    assertThat(answers.stream().filter(a -> a.status() == 403).count()).isEqualTo(17);
    for (Http http : both) {
      assertThat(
              http.post("/api/license/validate", "{\"licenseKey\":\"" + key + "\"}")
                  .json()
                  .get("activationsUsed")
                  .asInt())
          .isEqualTo(3);
    }
  }

  @Test
  void gumroadRetriesLandingOnBothInstances_mintOneLicense() throws Exception {
    String body =
        "sale_id=S1&email=buyer%40example.com&product_name=OpenAvathar+Pro&price=2900&currency=usd";
    String signature = WebhookTest.sign(body);
    List<Http.Answer> answers =
        Race.run(
            10,
            i ->
                instance(i)
                    .post(
                        "/api/gumroad/webhook",
                        RequestBody.create(body.getBytes(StandardCharsets.UTF_8), Http.FORM),
                        Headers.of("X-Gumroad-Signature", signature)));
    assertThat(answers).allMatch(a -> a.status() == 200);
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM licenses WHERE sale_id = 'S1'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }
}
