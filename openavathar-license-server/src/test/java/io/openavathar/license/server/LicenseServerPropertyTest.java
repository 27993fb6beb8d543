package io.openavathar.license.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.license.LicenseKey;
import io.openavathar.testkit.internal.Fuzz;
import io.openavathar.testkit.internal.SecretLeakGuard;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever a client sends to any endpoint (any method, path, query, headers and body, from
 * well-formed requests with mutated fields to noise), the server answers below 500, never repeats a
 * full license key, and still answers afterwards. Gumroad pings come form-encoded and as JSON,
 * signed right, wrongly or not at all.
 */
class LicenseServerPropertyTest {
  private static final String SECRET = "whsec-property-test-secret";
  private static final List<String> PATHS =
      List.of(
          "/api/generation/check",
          "/api/generation/track",
          "/api/license/validate",
          "/api/license/activate",
          "/api/license/deactivate",
          "/api/gumroad/webhook");
  private static final List<String> METHODS =
      List.of("POST", "POST", "POST", "GET", "GET", "OPTIONS", "PUT", "DELETE", "PATCH", "HEAD");
  private static final List<String> TYPES =
      List.of(
          "application/json",
          "application/x-www-form-urlencoded",
          "text/plain",
          "application/json; charset=latin1",
          "multipart/form-data; boundary=x",
          "");

  @TempDir Path dir;
  private LicenseServer server;
  private Http http;
  private LicenseKey key;
  private List<JsonNode> bodies;

  @BeforeEach
  void start() {
    SecretLeakGuard.register(SECRET);
    server =
        LicenseServer.builder()
            .dataDirectory(dir)
            .clock(new MutableClock(Instant.parse("2026-03-10T12:00:00Z")))
            .rateLimit(1_000_000)
            .webhookSecret(SECRET)
            .start();
    http = new Http(server.baseUrl());
    key = server.issueLicense("buyer@example.com");
    String k = key.value();
    bodies =
        List.of(
            Fuzz.json("{\"licenseKey\":\"" + k + "\"}"),
            Fuzz.json("{\"licenseKey\":\"" + k + "\",\"fingerprint\":\"abc123def456\"}"),
            Fuzz.json("{\"fingerprint\":\"abc123def456\"}"),
            Fuzz.json(
                "{\"sale_id\":\"S1\",\"email\":\"a@b.c\",\"product_id\":\"p\",\"license_key\":\"G-1\","
                    + "\"price\":\"1900\",\"currency\":\"usd\",\"refunded\":\"false\",\"test\":\"true\"}"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void anyRequestIsAnsweredBelow500WithoutTheFullKey() {
    Fuzz.forAll(
        300,
        this::request,
        request -> {
          Http.Answer answer = http.call(request);
          assertThat(answer.status()).as("status").isBetween(200, 499);
          assertThat(answer.body()).doesNotContain(key.value());
        });
    assertThat(http.get("/api/generation/check?fingerprint=still-there").status()).isEqualTo(200);
    assertThat(
            http.post("/api/license/validate", "{\"licenseKey\":\"" + key.value() + "\"}").status())
        .isEqualTo(200);
  }

  @Test
  void aHeadWithAnIllegalPath_leavesNothingOnTheConnectionForTheNextRequest() {
    // Found by the property above (seed 167838798440527): Jetty's HTML error page followed the
    // HEAD's headers.
    Http.Answer head =
        http.call(new Request.Builder().url(server.baseUrl() + "/%00").head().build());
    assertThat(head.status()).isEqualTo(400);

    Http.Answer next =
        http.call(
            new Request.Builder()
                .url(server.baseUrl() + "/api/license/activate")
                .method("OPTIONS", null)
                .build());

    assertThat(next.status()).isEqualTo(204);
    assertThat(http.call(new Request.Builder().url(server.baseUrl() + "/%00").build()).body())
        .isEqualTo("Bad Request\n");
  }

  @Test
  void anyWebhookPingIsAnsweredBelow500() {
    Fuzz.forAll(
        120,
        this::ping,
        request -> {
          Http.Answer answer = http.call(request);
          assertThat(answer.status()).as("status").isIn(200, 400, 403, 413);
        });
    assertThat(
            http.post("/api/license/validate", "{\"licenseKey\":\"" + key.value() + "\"}").status())
        .isEqualTo(200);
  }

  private Request request(Random random) {
    String method = METHODS.get(random.nextInt(METHODS.size()));
    HttpUrl.Builder url = HttpUrl.get(server.baseUrl().toString()).newBuilder();
    if (random.nextInt(10) == 0) {
      url.addPathSegments(Fuzz.text(random));
    } else {
      url.encodedPath(PATHS.get(random.nextInt(PATHS.size())));
    }
    if (random.nextBoolean()) {
      url.encodedQuery(
          random.nextBoolean()
              ? "fingerprint=" + encode(Fuzz.text(random))
              : Fuzz.text(random).replaceAll("[^\\x21-\\x7e]", ""));
    }
    Request.Builder request = new Request.Builder().url(url.build());
    String type = TYPES.get(random.nextInt(TYPES.size()));
    String text =
        random.nextInt(5) == 0
            ? formOf(random)
            : Fuzz.jsonText(random, bodies.get(random.nextInt(bodies.size())));
    RequestBody body =
        RequestBody.create(
            text.getBytes(StandardCharsets.UTF_8), type.isEmpty() ? null : MediaType.parse(type));
    boolean hasBody =
        !method.equals("GET")
            && !method.equals("HEAD")
            && (!method.equals("DELETE") && !method.equals("OPTIONS") || random.nextBoolean());
    request.method(method, hasBody ? body : null);
    if (random.nextInt(4) == 0) {
      request.header("X-Gumroad-Signature", printable(Fuzz.text(random)));
    }
    if (random.nextInt(6) == 0) {
      request.header("X-Forwarded-For", printable(Fuzz.text(random)));
    }
    return request.build();
  }

  /** A Gumroad ping: form-encoded or JSON, mostly well signed, with mutated fields. */
  private Request ping(Random random) {
    boolean form = random.nextBoolean();
    String text = form ? formOf(random) : Fuzz.jsonText(random, bodies.get(3));
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    String signature =
        switch (random.nextInt(6)) {
          case 0 -> null;
          case 1 -> printable(Fuzz.text(random));
          default -> GumroadWebhook.hex(hmac(bytes));
        };
    Request.Builder request =
        new Request.Builder()
            .url(server.baseUrl() + "/api/gumroad/webhook")
            .post(
                RequestBody.create(
                    bytes,
                    MediaType.get(
                        form ? "application/x-www-form-urlencoded" : "application/json")));
    if (signature != null) {
      request.header("X-Gumroad-Signature", signature);
    }
    return request.build();
  }

  /**
   * A form body with Gumroad's fields, values mutated, names sometimes odd, escapes sometimes
   * broken.
   */
  private static String formOf(Random random) {
    StringBuilder out = new StringBuilder();
    String[] names = {
      "sale_id",
      "email",
      "product_id",
      "product_name",
      "license_key",
      "price",
      "currency",
      "refunded",
      "test",
      "purchaser_email",
      "product_permalink"
    };
    for (String name : names) {
      if (random.nextInt(5) == 0) {
        continue;
      }
      String value = random.nextInt(3) == 0 ? Fuzz.text(random) : name + "-" + random.nextInt(1000);
      if (name.equals("refunded") || name.equals("test")) {
        value = random.nextBoolean() ? "true" : value;
      }
      out.append(out.length() == 0 ? "" : "&")
          .append(random.nextInt(20) == 0 ? Fuzz.text(random) : name)
          .append('=')
          .append(random.nextInt(15) == 0 ? "%zz" + value : encode(value));
    }
    return out.toString();
  }

  private static byte[] hmac(byte[] body) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(
          new javax.crypto.spec.SecretKeySpec(
              SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /** Only what OkHttp allows in a header value. */
  private static String printable(String text) {
    return text.replaceAll("[^\\x20-\\x7e]", "");
  }
}
