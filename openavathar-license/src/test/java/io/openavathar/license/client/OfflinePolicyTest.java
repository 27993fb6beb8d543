package io.openavathar.license.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.openavathar.license.client.Stubs.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.openavathar.OpenAvatharException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.license.LicenseStatus;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** When the server cannot be reached, only a device seen as Pro within the grace passes. */
class OfflinePolicyTest {
  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @TempDir Path state;

  /** A URL where nothing listens: connection refused. */
  private static String deadUrl() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return "http://127.0.0.1:" + s.getLocalPort();
    }
  }

  /** Runs a Pro check against the live stub at {@code at}, so the client remembers Pro then. */
  private void seenProAt(Instant at) throws Exception {
    wm.stubFor(
        get(urlPathEqualTo("/api/generation/check"))
            .willReturn(aResponse().withStatus(200).withBody(CHECK_PRO)));
    assertThat(await(Stubs.client(wm.baseUrl(), state, at).build().check()).pro()).isTrue();
  }

  @Test
  void check_whenServerDownAndProSeenTwoDaysAgo_isPro() throws Exception {
    seenProAt(NOW.minus(Duration.ofDays(2)));

    LicenseStatus status = await(Stubs.client(deadUrl(), state, NOW).build().check());

    assertThat(status).isEqualTo(LicenseStatus.pro(Optional.of(MASKED)));
  }

  @Test
  void check_whenServerAnswers503AndProSeenTwoDaysAgo_isPro() throws Exception {
    seenProAt(NOW.minus(Duration.ofDays(2)));
    wm.stubFor(
        get(urlPathEqualTo("/api/generation/check")).willReturn(aResponse().withStatus(503)));

    assertThat(await(Stubs.client(wm.baseUrl(), state, NOW).build().check()).pro()).isTrue();
  }

  @Test
  void check_whenServerDownAndProSeenEightDaysAgo_failsUnavailable() throws Exception {
    seenProAt(NOW.minus(Duration.ofDays(8)));

    Throwable t = failureOf(Stubs.client(deadUrl(), state, NOW).build().check());

    assertThat(t)
        .isInstanceOf(RemoteUnavailableException.class)
        .hasMessageContaining("unreachable")
        .hasMessageContaining("7 days");
  }

  @Test
  void check_whenServerDownAndDeviceFree_failsUnavailable() throws Exception {
    wm.stubFor(
        get(urlPathEqualTo("/api/generation/check"))
            .willReturn(aResponse().withStatus(200).withBody(CHECK_FREE)));
    await(Stubs.client(wm.baseUrl(), state, NOW).build().check());

    Throwable t = failureOf(Stubs.client(deadUrl(), state, NOW).build().check());

    assertThat(t)
        .isInstanceOf(RemoteUnavailableException.class)
        .hasMessageContaining("unreachable");
  }

  @Test
  void check_whenProThenFree_forgetsPro() throws Exception {
    seenProAt(NOW.minus(Duration.ofDays(1)));
    wm.stubFor(
        get(urlPathEqualTo("/api/generation/check"))
            .willReturn(aResponse().withStatus(200).withBody(CHECK_FREE)));
    await(Stubs.client(wm.baseUrl(), state, NOW).build().check());

    assertThat(failureOf(Stubs.client(deadUrl(), state, NOW).build().check()))
        .isInstanceOf(RemoteUnavailableException.class);
  }

  @Test
  void check_whenServerAnswers500_doesNotApplyGrace() throws Exception {
    seenProAt(NOW.minus(Duration.ofDays(1)));
    wm.stubFor(
        get(urlPathEqualTo("/api/generation/check"))
            .willReturn(aResponse().withStatus(500).withBody("boom")));

    Throwable t = failureOf(Stubs.client(wm.baseUrl(), state, NOW).build().check());

    assertThat(t).isExactlyInstanceOf(OpenAvatharException.class).hasMessageContaining("HTTP 500");
  }

  @Test
  void stateFile_holdsInstantAndMaskedKeyOnly() throws Exception {
    seenProAt(NOW);

    try (var files = Files.list(state)) {
      Path file = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
      String json = Files.readString(file, StandardCharsets.UTF_8);
      assertThat(json).contains(NOW.toString()).contains(MASKED).doesNotContain(KEY);
    }
  }
}
