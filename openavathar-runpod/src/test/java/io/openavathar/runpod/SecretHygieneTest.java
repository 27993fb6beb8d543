package io.openavathar.runpod;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.openavathar.runpod.Fixtures.KEY;
import static io.openavathar.runpod.Fixtures.failureOf;
import static io.openavathar.runpod.Fixtures.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.openavathar.pod.PodLogListener;
import io.openavathar.pod.PodSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API key never shows in messages, toString or log output, even at DEBUG and even when RunPod
 * echoes it. The test's slf4j-simple writes to System.err (resolved at each write), which the test
 * captures.
 */
class SecretHygieneTest {
  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @Test
  void key_neverAppearsInMessagesToStringOrLogs() throws Exception {
    String echo = "invalid bearer token " + KEY;
    wm.stubFor(
        get(anyUrl())
            .willReturn(aResponse().withStatus(401).withBody(problem(401, "Unauthorized", echo))));
    wm.stubFor(
        get(urlPathEqualTo("/v2/pods/p1")).willReturn(aResponse().withStatus(500).withBody(echo)));
    wm.stubFor(
        post(urlPathEqualTo("/v2/pods")).willReturn(aResponse().withStatus(500).withBody(echo)));
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    List<String> texts = new ArrayList<>();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (RunPodPodProvider provider = Fixtures.fast(wm.baseUrl(), 2).build()) {
      texts.add(provider.toString());
      texts.add(failureOf(provider.listPods()).toString());
      texts.add(failureOf(provider.getPod("p1")).toString());
      texts.add(failureOf(provider.gpuTypes()).toString());
      texts.add(failureOf(provider.deploy(PodSpec.builder().build())).toString());
      CompletableFuture<Throwable> closed = new CompletableFuture<>();
      provider.streamLogs(
          "p1",
          true,
          new PodLogListener() {
            @Override
            public void onClosed(Throwable failureOrNull) {
              closed.complete(failureOrNull);
            }
          });
      texts.add(String.valueOf(closed.get(10, TimeUnit.SECONDS)));
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);

    assertThat(log)
        .contains("DEBUG io.openavathar.runpod")
        .contains("HTTP 401"); // the capture works
    assertThat(log).doesNotContain(KEY);
    assertThat(texts).hasSize(6).allSatisfy(t -> assertThat(t).doesNotContain(KEY));
    assertThat(texts.get(2)).contains("rpa_SE…"); // the echoed key was masked, not dropped silently
  }
}
