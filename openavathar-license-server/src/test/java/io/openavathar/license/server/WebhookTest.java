package io.openavathar.license.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookTest {
  static final String SECRET = "s3cret";
  private static final String PATH = "/api/gumroad/webhook";
  @TempDir Path dir;
  LicenseServer server;
  LicenseStore store;
  Http http;

  @BeforeEach
  void start() {
    store = LicenseServer.openSqlite(dir);
    server =
        LicenseServer.builder()
            .store(store)
            .webhookSecret(SECRET)
            .rateLimit(1000)
            .clock(new MutableClock(Instant.parse("2026-03-10T12:00:00Z")))
            .start();
    http = new Http(server.baseUrl());
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  static String sign(String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return GumroadWebhook.hex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  private Http.Answer send(String body, MediaType type, String signature) {
    Headers headers =
        signature == null ? Headers.of() : Headers.of("X-Gumroad-Signature", signature);
    return http.post(
        PATH, RequestBody.create(body.getBytes(StandardCharsets.UTF_8), type), headers);
  }

  private LicenseRecord licenseOfSale(String saleId) {
    // The key is not returned; find it through the store the test owns.
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("licenses.db"));
        var ps = c.prepareStatement("SELECT license_key FROM licenses WHERE sale_id = ?")) {
      ps.setString(1, saleId);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? store.findLicense(rs.getString(1)).orElseThrow() : null;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private int licenseCount() {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("licenses.db"));
        var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM licenses")) {
      rs.next();
      return rs.getInt(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void formPing_withGoodSignature_createsOneLicense_andRetryDoesNotMintAnother() throws Exception {
    String body =
        "sale_id=S1&email=buyer%40example.com&product_name=OpenAvathar+Pro&price=2900&currency=usd";
    Http.Answer first = send(body, Http.FORM, sign(body));
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("OK");
    assertThat(first.headers().get("Access-Control-Allow-Origin")).isNull();
    LicenseRecord license = licenseOfSale("S1");
    assertThat(license.email()).isEqualTo("buyer@example.com");
    assertThat(license.product()).isEqualTo("OpenAvathar Pro");
    assertThat(license.priceCents()).isEqualTo(2900);
    assertThat(license.test()).isFalse();
    assertThat(license.key()).matches("OAVR(-[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{4}){4}");
    assertThat(first.body()).doesNotContain(license.key());

    assertThat(send(body, Http.FORM, sign(body)).body()).isEqualTo("OK");
    assertThat(licenseCount()).isEqualTo(1);
    assertThat(licenseOfSale("S1").key()).isEqualTo(license.key());
  }

  @Test
  void jsonPing_isAccepted_andTestPurchaseMarked() throws Exception {
    String body = "{\"sale_id\":\"S2\",\"email\":\"t@example.com\",\"test\":true,\"price\":0}";
    assertThat(send(body, Http.JSON, sign(body)).status()).isEqualTo(200);
    assertThat(licenseOfSale("S2").test()).isTrue();
  }

  @Test
  void badOrMissingSignature_is403Unauthorized_andCreatesNothing() throws Exception {
    String body = "sale_id=S3&email=x%40example.com";
    Http.Answer bad = send(body, Http.FORM, sign(body + "x"));
    assertThat(bad.status()).isEqualTo(403);
    assertThat(bad.body()).isEqualTo("Unauthorized");
    assertThat(send(body, Http.FORM, null).status()).isEqualTo(403);
    assertThat(licenseCount()).isZero();
  }

  @Test
  void refund_revokesLicense_andItsDevicesAreFreeAgain() throws Exception {
    String buy = "sale_id=S4&email=r%40example.com";
    send(buy, Http.FORM, sign(buy));
    String key = licenseOfSale("S4").key();
    http.post("/api/license/activate", "{\"licenseKey\":\"" + key + "\",\"fingerprint\":\"dev\"}");
    assertThat(http.get("/api/generation/check?fingerprint=dev").json().get("isPro").asBoolean())
        .isTrue();

    String refund = "sale_id=S4&email=r%40example.com&refunded=true";
    assertThat(send(refund, Http.FORM, sign(refund)).body()).isEqualTo("OK");
    assertThat(licenseOfSale("S4").revoked()).isTrue();
    assertThat(http.get("/api/generation/check?fingerprint=dev").json().get("isPro").asBoolean())
        .isFalse();
    assertThat(http.post("/api/license/validate", "{\"licenseKey\":\"" + key + "\"}").status())
        .isEqualTo(404);
    assertThat(
            http.post(
                    "/api/license/activate",
                    "{\"licenseKey\":\"" + key + "\",\"fingerprint\":\"d2\"}")
                .status())
        .isEqualTo(403);
    // A late retry of the original ping does not bring it back.
    send(buy, Http.FORM, sign(buy));
    assertThat(licenseOfSale("S4").revoked()).isTrue();
    assertThat(licenseCount()).isEqualTo(1);
  }

  @Test
  void signedButMalformedOrIncompletePing_is400NotServerError() throws Exception {
    String broken = "{\"sale_id\":";
    assertThat(send(broken, Http.JSON, sign(broken)).status()).isEqualTo(400);
    String noEmail = "sale_id=S5";
    assertThat(send(noEmail, Http.FORM, sign(noEmail)).status()).isEqualTo(400);
  }
}
