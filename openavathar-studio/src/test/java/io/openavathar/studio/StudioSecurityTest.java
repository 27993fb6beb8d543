package io.openavathar.studio;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The door: Host header, launch token for cookie, cookie on every request, CSRF token on every
 * POST.
 */
class StudioSecurityTest {
  static final String SECRET_KEY = "rpa_SECRETSECRETSECRETSECRET0123";

  @TempDir Path dir;
  StudioServer server;
  URI base;
  String host;

  @BeforeEach
  void setUp() {
    server = StudioServer.builder().port(0).dataDirectory(dir.resolve("data")).start();
    base = server.baseUrl();
    host = "127.0.0.1:" + base.getPort();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  String cookie() throws Exception {
    String token = server.launchUrl().getQuery().substring("token=".length());
    RawHttp.Answer a = RawHttp.send(base, "GET", "/?token=" + token, host, null, null);
    assertThat(a.status()).isEqualTo(302);
    assertThat(a.header("Location")).doesNotContain("token");
    String setCookie = a.header("Set-Cookie");
    assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  String csrf(String cookie) throws Exception {
    RawHttp.Answer state =
        RawHttp.send(base, "GET", "/api/state", host, "Cookie: " + cookie + "\r\n", null);
    assertThat(state.status()).isEqualTo(200);
    return Http.JSON.readTree(state.body()).path("csrf").asText();
  }

  @Test
  void listensOnLoopbackOnly() {
    assertThat(base.getHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void withoutTheToken_everyRequestIs403() throws Exception {
    assertThat(RawHttp.send(base, "GET", "/", host, null, null).status()).isEqualTo(403);
    assertThat(RawHttp.send(base, "GET", "/api/state", host, null, null).status()).isEqualTo(403);
    assertThat(RawHttp.send(base, "GET", "/?token=wrong", host, null, null).status())
        .isEqualTo(403);
    assertThat(
            RawHttp.send(
                    base, "GET", "/api/state", host, "Cookie: openavathar_session=guess\r\n", null)
                .status())
        .isEqualTo(403);
  }

  @Test
  void theTokenIsExchangedForACookie_thatOpensThePages() throws Exception {
    String cookie = cookie();
    RawHttp.Answer page = RawHttp.send(base, "GET", "/", host, "Cookie: " + cookie + "\r\n", null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("OpenAvathar Studio");
    assertThat(
            RawHttp.send(
                    base,
                    "GET",
                    "/",
                    "localhost:" + base.getPort(),
                    "Cookie: " + cookie + "\r\n",
                    null)
                .status())
        .isEqualTo(200);
  }

  @Test
  void aForeignHostHeader_is403_evenWithTheCookie() throws Exception {
    String cookie = cookie();
    assertThat(
            RawHttp.send(
                    base,
                    "GET",
                    "/",
                    "evil.example:" + base.getPort(),
                    "Cookie: " + cookie + "\r\n",
                    null)
                .status())
        .isEqualTo(403);
    assertThat(
            RawHttp.send(base, "GET", "/", "127.0.0.1:1", "Cookie: " + cookie + "\r\n", null)
                .status())
        .isEqualTo(403);
    String token = server.launchUrl().getQuery().substring("token=".length());
    assertThat(
            RawHttp.send(base, "GET", "/?token=" + token, "attacker.example", null, null).status())
        .isEqualTo(403);
  }

  @Test
  void aPostWithoutTheCsrfToken_is403_andChangesNothing() throws Exception {
    String cookie = cookie();
    String body = "{\"runpod-api-key\":\"" + SECRET_KEY + "\"}";
    assertThat(
            RawHttp.send(base, "POST", "/api/settings", host, "Cookie: " + cookie + "\r\n", body)
                .status())
        .isEqualTo(403);
    assertThat(
            RawHttp.send(
                    base,
                    "POST",
                    "/api/settings",
                    host,
                    "Cookie: " + cookie + "\r\nX-CSRF-Token: wrong\r\n",
                    body)
                .status())
        .isEqualTo(403);
    assertThat(dir.resolve("data/config.properties")).doesNotExist();

    RawHttp.Answer ok =
        RawHttp.send(
            base,
            "POST",
            "/api/settings",
            host,
            "Cookie: " + cookie + "\r\nX-CSRF-Token: " + csrf(cookie) + "\r\n",
            body);
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    // The key is kept owner-only and comes back masked, never in full.
    assertThat(ok.body()).doesNotContain(SECRET_KEY).contains("rpa_SE");
    Path config = dir.resolve("data/config.properties");
    assertThat(Files.readString(config)).contains("runpod-api-key=" + SECRET_KEY);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))))
        .isEqualTo("rwx------");
    RawHttp.Answer state =
        RawHttp.send(base, "GET", "/api/state", host, "Cookie: " + cookie + "\r\n", null);
    assertThat(state.body()).doesNotContain(SECRET_KEY);
  }

  @Test
  void anUploadOverTheSdksLimit_isRefusedBeforeItIsRead() throws Exception {
    String cookie = cookie();
    long tooMuch = io.openavathar.media.MediaProbe.create().maxImageBytes() + 1;
    RawHttp.Answer a =
        RawHttp.send(
            base,
            "POST",
            "/api/uploads?kind=image&name=a.png",
            host,
            "Cookie: "
                + cookie
                + "\r\nX-CSRF-Token: "
                + csrf(cookie)
                + "\r\nContent-Length: "
                + tooMuch
                + "\r\n",
            null);
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.body()).contains("larger than 50 MB");
  }
}
