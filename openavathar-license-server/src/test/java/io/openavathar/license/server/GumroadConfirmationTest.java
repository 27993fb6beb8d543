package io.openavathar.license.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Headers;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optional confirmation of purchase pings with Gumroad's license verify API (a local stand-in
 * for Gumroad).
 */
class GumroadConfirmationTest {
  @TempDir Path dir;
  HttpServer gumroad;
  volatile String answer = "{\"success\":true,\"purchase\":{\"refunded\":false}}";
  volatile int status = 200;
  final List<String> asked = new CopyOnWriteArrayList<>();
  LicenseServer server;
  LicenseStore store;
  Http http;

  @BeforeEach
  void start() throws Exception {
    gumroad = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    gumroad.createContext(
        "/v2/licenses/verify",
        exchange -> {
          asked.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] body = answer.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    gumroad.start();
    store = LicenseServer.openSqlite(dir);
    server =
        LicenseServer.builder()
            .store(store)
            .rateLimit(1000)
            .confirmWithGumroad(URI.create("http://127.0.0.1:" + gumroad.getAddress().getPort()))
            .start();
    http = new Http(server.baseUrl());
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
    gumroad.stop(0);
  }

  Http.Answer ping(String body) {
    return http.post(
        "/api/gumroad/webhook",
        RequestBody.create(body.getBytes(StandardCharsets.UTF_8), Http.FORM),
        Headers.of());
  }

  int licenses() throws Exception {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("licenses.db"));
        var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM licenses")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  @Test
  void confirmedPing_mintsALicense() throws Exception {
    assertThat(ping("sale_id=S1&email=a%40b.c&product_id=P9&license_key=GUM-1").status())
        .isEqualTo(200);
    assertThat(licenses()).isEqualTo(1);
    assertThat(asked)
        .singleElement()
        .satisfies(
            q ->
                assertThat(q)
                    .contains("product_id=P9", "license_key=GUM-1", "increment_uses_count=false"));
  }

  @Test
  void unconfirmedOrRefundedPing_mintsNothing() throws Exception {
    answer =
        "{\"success\":false,\"message\":\"That license does not exist for the provided product.\"}";
    status = 404;
    assertThat(ping("sale_id=S2&email=a%40b.c&product_id=P9&license_key=FAKE").status())
        .isEqualTo(403);
    answer = "{\"success\":true,\"purchase\":{\"refunded\":true}}";
    status = 200;
    assertThat(ping("sale_id=S3&email=a%40b.c&product_id=P9&license_key=GUM-3").status())
        .isEqualTo(403);
    assertThat(ping("sale_id=S4&email=a%40b.c").status()).isEqualTo(403);
    assertThat(licenses()).isZero();
  }

  @Test
  void gumroadDown_answers503_soThePingIsRetried() throws Exception {
    status = 502;
    answer = "bad gateway";
    Http.Answer a = ping("sale_id=S5&email=a%40b.c&product_id=P9&license_key=GUM-5");
    assertThat(a.status()).isEqualTo(503);
    assertThat(licenses()).isZero();
  }
}
