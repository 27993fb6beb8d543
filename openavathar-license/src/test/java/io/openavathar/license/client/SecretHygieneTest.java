package io.openavathar.license.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.openavathar.license.client.Stubs.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.openavathar.license.LicenseKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full license key never shows in messages, toString or log output, even at DEBUG and even when
 * the server echoes it. The test's slf4j-simple writes to System.err (resolved at each write),
 * which the test captures.
 */
class SecretHygieneTest {
  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @TempDir Path state;

  @Test
  void key_neverAppearsInMessagesToStringOrLogs() throws Exception {
    String echo =
        "{\"error\": \"bad key " + KEY + " / " + KEY.replace("-", "").toLowerCase() + "\"}";
    wm.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(500).withBody(echo)));
    wm.stubFor(
        post(urlPathEqualTo("/api/license/activate"))
            .willReturn(aResponse().withStatus(503).withBody(echo)));
    wm.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200).withBody(CHECK_PRO)));
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    List<String> texts = new ArrayList<>();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      HttpLicenseClient client = Stubs.client(wm.baseUrl(), state, NOW).build();
      LicenseKey key = LicenseKey.parse(KEY);
      texts.add(client.toString());
      texts.add(await(client.check()).toString());
      texts.add(failureOf(client.activate(key)).toString());
      texts.add(failureOf(client.validate(key)).toString());
      texts.add(failureOf(client.deactivate(key)).toString());
      texts.add(failureOf(client.track()).toString());
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);

    assertThat(log)
        .contains("DEBUG io.openavathar.license")
        .contains("HTTP 503"); // the capture works
    assertThat(log).doesNotContain(KEY).doesNotContain(KEY.replace("-", "").toLowerCase());
    assertThat(texts)
        .hasSize(6)
        .allSatisfy(
            t ->
                assertThat(t)
                    .doesNotContain(KEY)
                    .doesNotContain(KEY.replace("-", "").toLowerCase()));
    assertThat(texts.get(1)).contains(MASKED);
    assertThat(texts.get(3))
        .contains("OAVR-****"); // the echoed key was masked, not dropped silently
  }
}
