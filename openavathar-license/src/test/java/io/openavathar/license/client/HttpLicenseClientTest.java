package io.openavathar.license.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.openavathar.license.client.Stubs.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.openavathar.LicenseRejectedException;
import io.openavathar.OpenAvatharException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.license.LicenseInfo;
import io.openavathar.license.LicenseKey;
import io.openavathar.license.LicenseStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The client against WireMock stubs that answer exactly like the original deployment. */
class HttpLicenseClientTest {
  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @TempDir Path state;

  private HttpLicenseClient client() {
    return Stubs.client(wm.baseUrl(), state, NOW).build();
  }

  private static void stubPost(String path, int status, String body) {
    wm.stubFor(
        post(urlPathEqualTo(path))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body)));
  }

  private static void stubCheck(int status, String body) {
    wm.stubFor(
        get(urlPathEqualTo("/api/generation/check"))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body)));
  }

  @Test
  void validate_whenKnown_returnsWhatTheServerSaid() throws Exception {
    stubPost("/api/license/validate", 200, VALIDATE_200);

    LicenseInfo info = await(client().validate(LicenseKey.parse(KEY.toLowerCase())));

    assertThat(info)
        .isEqualTo(
            new LicenseInfo(
                true,
                Optional.of("user@example.com"),
                2,
                3,
                Optional.of("2026-11-25T20:05:17.817Z")));
    wm.verify(
        postRequestedFor(urlPathEqualTo("/api/license/validate"))
            .withRequestBody(equalToJson("{\"licenseKey\": \"" + KEY + "\"}")));
  }

  @Test
  void validate_whenUnknown_returnsInvalid() throws Exception {
    stubPost("/api/license/validate", 404, VALIDATE_404);

    LicenseInfo info = await(client().validate(LicenseKey.parse(KEY)));

    assertThat(info.valid()).isFalse();
    assertThat(info.email()).isEmpty();
  }

  @Test
  void activate_whenAcceptedOrAlreadyActive_returnsProAndSendsKeyAndFingerprint() throws Exception {
    for (String answer : new String[] {ACTIVATED, ALREADY}) {
      stubPost("/api/license/activate", 200, answer);

      LicenseStatus status = await(client().activate(LicenseKey.parse(KEY)));

      assertThat(status).isEqualTo(LicenseStatus.pro(Optional.of(MASKED)));
    }
    wm.verify(
        2,
        postRequestedFor(urlPathEqualTo("/api/license/activate"))
            .withRequestBody(
                equalToJson("{\"licenseKey\": \"" + KEY + "\", \"fingerprint\": \"" + FP + "\"}")));
  }

  @Test
  void activate_whenKeyUnknown_failsRejectedWithAdvice() throws Exception {
    stubPost("/api/license/activate", 404, ACTIVATE_404);

    Throwable t = failureOf(client().activate(LicenseKey.parse(KEY)));

    assertThat(t)
        .isInstanceOf(LicenseRejectedException.class)
        .hasMessageContaining("not known to the license server")
        .hasMessageContaining("purchase e-mail")
        .hasMessageContaining(MASKED);
    assertNoKey(t);
  }

  @Test
  void activate_whenThreeDevicesActive_failsRejectedWithAdvice() throws Exception {
    stubPost("/api/license/activate", 403, ACTIVATE_403);

    Throwable t = failureOf(client().activate(LicenseKey.parse(KEY)));

    assertThat(t)
        .isInstanceOf(LicenseRejectedException.class)
        .hasMessageContaining("already active on 3 devices")
        .hasMessageContaining("Deactivate it");
    assertNoKey(t);
  }

  @Test
  void check_whenPro_isProWithoutLimitAndMasksTheServersKey() throws Exception {
    stubCheck(200, CHECK_PRO);

    LicenseStatus status = await(client().check());

    assertThat(status).isEqualTo(LicenseStatus.pro(Optional.of(MASKED)));
    wm.verify(
        getRequestedFor(urlPathEqualTo("/api/generation/check"))
            .withQueryParam("fingerprint", equalTo(FP)));
  }

  @Test
  void check_whenFree_readsUsageAndResetsIn() throws Exception {
    stubCheck(200, CHECK_FREE);

    LicenseStatus status = await(client().check());

    assertThat(status)
        .isEqualTo(
            new LicenseStatus(
                false, true, 0, 1, Duration.ofHours(3).plusMinutes(54), Optional.empty()));
  }

  @Test
  void check_whenFreeUsedUp_cannotGenerate() throws Exception {
    stubCheck(
        200,
        "{\"canGenerate\": false, \"isPro\": false, \"limit\": 1, \"used\": 1, \"resetsIn\": \"14h 23m\"}");

    LicenseStatus status = await(client().check());

    assertThat(status.canGenerate()).isFalse();
    assertThat(status.used()).isEqualTo(1);
    assertThat(status.resetsIn()).isEqualTo(Duration.ofHours(14).plusMinutes(23));
  }

  @Test
  void check_whenUnknownFields_ignoresThem() throws Exception {
    stubCheck(
        200,
        "{\"canGenerate\": true, \"isPro\": false, \"limit\": 1, \"used\": 0, \"resetsIn\": \"0h 5m\", "
            + "\"plan\": {\"name\": \"free\"}, \"extra\": [1, 2]}");

    assertThat(await(client().check()).resetsIn()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void check_whenMissingFingerprint_failsWithoutRetry() throws Exception {
    stubCheck(400, MISSING_FP);

    Throwable t = failureOf(client().check());

    assertThat(t)
        .isExactlyInstanceOf(OpenAvatharException.class)
        .hasMessageContaining("HTTP 400")
        .hasMessageContaining("Missing fingerprint");
    wm.verify(1, getRequestedFor(urlPathEqualTo("/api/generation/check")));
  }

  @Test
  void track_whenFree_returnsCount_andWhenPro_returnsZero() throws Exception {
    stubPost("/api/generation/track", 200, "{\"success\": true, \"count\": 1}");
    assertThat(await(client().track())).isEqualTo(1);

    stubPost("/api/generation/track", 200, "{\"success\": true, \"count\": 0, \"isPro\": true}");
    assertThat(await(client().track())).isEqualTo(0);
    wm.verify(
        2,
        postRequestedFor(urlPathEqualTo("/api/generation/track"))
            .withRequestBody(equalToJson("{\"fingerprint\": \"" + FP + "\"}")));
  }

  @Test
  void trackWithRequestId_sendsItBesideTheFingerprint_andReadsTheOriginalAnswer() throws Exception {
    stubPost("/api/generation/track", 200, "{\"success\": true, \"count\": 1}");

    assertThat(await(client().track("job-7"))).isEqualTo(1);

    wm.verify(
        1,
        postRequestedFor(urlPathEqualTo("/api/generation/track"))
            .withRequestBody(
                equalToJson("{\"fingerprint\": \"" + FP + "\", \"requestId\": \"job-7\"}")));
  }

  @Test
  void validate_when500WithJavaScriptParserMessage_failsWithStatusAndSnippetWithoutRetry()
      throws Exception {
    stubPost("/api/license/validate", 500, JS_PARSE_ERROR);

    Throwable t = failureOf(client().validate(LicenseKey.parse(KEY)));

    assertThat(t)
        .isExactlyInstanceOf(OpenAvatharException.class)
        .hasMessageContaining("HTTP 500")
        .hasMessageContaining("is not valid JSON");
    wm.verify(1, postRequestedFor(urlPathEqualTo("/api/license/validate")));
  }

  @Test
  void track_when500PlainText_failsWithSnippet() throws Exception {
    wm.stubFor(
        post(urlPathEqualTo("/api/generation/track"))
            .willReturn(aResponse().withStatus(500).withBody("Worker threw exception")));

    Throwable t = failureOf(client().track());

    assertThat(t)
        .isExactlyInstanceOf(OpenAvatharException.class)
        .hasMessageContaining("HTTP 500")
        .hasMessageContaining("Worker threw exception");
  }

  @Test
  void deactivate_whenOriginalServerAnswersNotFound_failsRejectedSayingContactSupport()
      throws Exception {
    wm.stubFor(
        post(urlPathEqualTo("/api/license/deactivate"))
            .willReturn(aResponse().withStatus(404).withBody("Not Found")));

    Throwable t = failureOf(client().deactivate(LicenseKey.parse(KEY)));

    assertThat(t)
        .isInstanceOf(LicenseRejectedException.class)
        .hasMessageContaining("cannot free a device")
        .hasMessageContaining("contact support");
    assertNoKey(t);
  }

  @Test
  void deactivate_whenServerFreesTheDevice_forgetsTheProStatus() throws Exception {
    stubCheck(200, CHECK_PRO);
    HttpLicenseClient client = client();
    await(client.check());
    ProStatusStore store = new ProStatusStore(state, DeviceFingerprint.of(FP));
    assertThat(store.read()).isPresent();
    stubPost("/api/license/deactivate", 200, "{\"success\": true}");

    await(client.deactivate(LicenseKey.parse(KEY)));

    assertThat(store.read()).isEmpty();
    wm.verify(
        postRequestedFor(urlPathEqualTo("/api/license/deactivate"))
            .withRequestBody(
                equalToJson("{\"licenseKey\": \"" + KEY + "\", \"fingerprint\": \"" + FP + "\"}")));
  }

  @Test
  void check_when503Then200_retriesAndSucceeds() throws Exception {
    wm.stubFor(
        get(urlPathEqualTo("/api/generation/check"))
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(503).withBody("busy"))
            .willSetStateTo("up"));
    wm.stubFor(
        get(urlPathEqualTo("/api/generation/check"))
            .inScenario("flaky")
            .whenScenarioStateIs("up")
            .willReturn(aResponse().withStatus(200).withBody(CHECK_FREE)));

    assertThat(await(client().check()).limit()).isEqualTo(1);
    wm.verify(2, getRequestedFor(urlPathEqualTo("/api/generation/check")));
  }

  @Test
  void activate_whenAlways503_failsUnavailableAfterThreeAttempts() throws Exception {
    wm.stubFor(
        post(urlPathEqualTo("/api/license/activate")).willReturn(aResponse().withStatus(503)));

    Throwable t = failureOf(client().activate(LicenseKey.parse(KEY)));

    assertThat(t).isInstanceOf(RemoteUnavailableException.class).hasMessageContaining("HTTP 503");
    wm.verify(3, postRequestedFor(urlPathEqualTo("/api/license/activate")));
  }

  @Test
  void validate_whenNoLicenseApiAtBaseUrl_saysCheckTheLicenseServerUrl() throws Exception {
    wm.stubFor(
        post(urlPathEqualTo("/api/license/validate"))
            .willReturn(aResponse().withStatus(404).withBody("Not Found")));

    Throwable failure = failureOf(client().validate(LicenseKey.parse(KEY)));
    assertThat(failure)
        .hasMessageContaining("Check the license server URL: it is the license server's root");
    assertThat(((io.openavathar.OpenAvatharException) failure).setting())
        .contains(io.openavathar.Setting.LICENSE_URL);
  }

  @Test
  void baseUrl_withPathPrefix_isKept() throws Exception {
    wm.stubFor(
        get(urlPathEqualTo("/license/api/generation/check"))
            .willReturn(aResponse().withStatus(200).withBody(CHECK_PRO)));

    HttpLicenseClient c = Stubs.client(wm.baseUrl() + "/license/", state, NOW).build();

    assertThat(await(c.check()).pro()).isTrue();
  }

  @Test
  void resetsIn_readsHoursAndMinutes() {
    assertThat(HttpLicenseClient.resetsIn("3h 54m")).isEqualTo(Duration.ofMinutes(234));
    assertThat(HttpLicenseClient.resetsIn("0h 0m")).isZero();
    assertThat(HttpLicenseClient.resetsIn("45m")).isEqualTo(Duration.ofMinutes(45));
    assertThat(HttpLicenseClient.resetsIn("soon")).isZero();
    assertThat(HttpLicenseClient.resetsIn("")).isZero();
  }

  @Test
  void upgradeUrl_isTheConfiguredOne() {
    assertThat(client().upgradeUrl()).isEmpty();
    assertThat(
            Stubs.client(wm.baseUrl(), state, NOW)
                .upgradeUrl("https://buy.example/pro")
                .build()
                .upgradeUrl())
        .contains("https://buy.example/pro");
  }

  @Test
  void retryOptions_setTheAttemptsOfEachCall() throws Exception {
    stubCheck(503, "busy");
    try (HttpLicenseClient oneTry =
        Stubs.client(wm.baseUrl(), state, NOW)
            .retryOptions(
                io.openavathar.RetryOptions.builder()
                    .maxAttempts(2)
                    .initialBackoff(Duration.ofMillis(1))
                    .build())
            .build()) {
      assertThat(failureOf(oneTry.check())).isInstanceOf(RemoteUnavailableException.class);
    }
    wm.verify(2, getRequestedFor(urlPathEqualTo("/api/generation/check")));
  }

  @Test
  void close_stopsWhatTheClientMadeItself_andLaterCallsFail() throws Exception {
    stubCheck(200, CHECK_FREE);
    HttpLicenseClient own = client();
    assertThat(await(own.check()).pro()).isFalse();

    own.close();

    assertThat(failureOf(own.check()))
        .isInstanceOf(OpenAvatharException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void close_failsACallInFlight_atOnce() throws Exception {
    wm.stubFor(
        get(urlPathEqualTo("/api/generation/check"))
            .willReturn(aResponse().withStatus(200).withBody(CHECK_FREE).withFixedDelay(60_000)));
    HttpLicenseClient own = client();
    var inFlight = own.check();

    own.close();

    // Not the answer a minute later, nor a read timeout: the close itself ends the call.
    assertThat(failureOf(inFlight))
        .isInstanceOf(OpenAvatharException.class)
        .hasMessage("This license client is closed; build a new one.");
  }
}
