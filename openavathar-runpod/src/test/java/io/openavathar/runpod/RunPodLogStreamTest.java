package io.openavathar.runpod;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.openavathar.runpod.Fixtures.KEY;
import static io.openavathar.runpod.Fixtures.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.openavathar.PodProvisioningException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.pod.PodLogLine;
import io.openavathar.pod.PodLogListener;
import io.openavathar.pod.PodLogStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /pods/{id}/logs} as Server-Sent Events: parsing, resuming with Last-Event-ID, ending,
 * failing.
 */
class RunPodLogStreamTest {
  private static final String LOGS = "/v2/pods/p1/logs";
  private static final String ID1 = "2026-06-01T12:02:03Z/000000000001";
  private static final String ID2 = "2026-06-01T12:02:04Z/000000000002";

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private RunPodPodProvider provider;

  @AfterEach
  void close() {
    if (provider != null) {
      provider.close();
    }
  }

  private RunPodPodProvider provider() {
    provider = Fixtures.fast(wm.baseUrl(), 3).build();
    return provider;
  }

  static String event(String id, String ts, String source, String line) {
    return "id: "
        + id
        + "\ndata: {\"ts\":\""
        + ts
        + "\",\"source\":\""
        + source
        + "\",\"line\":\""
        + line
        + "\"}\n\n";
  }

  static ResponseDefinitionBuilder stream(String body) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "text/event-stream")
        .withHeader("Cache-Control", "no-cache")
        .withBody(body);
  }

  /**
   * Records every call; {@link #closed} completes with onClosed's argument (or a marker for null).
   */
  static final class Recording implements PodLogListener {
    static final Throwable CLEAN = new Throwable("closed cleanly");
    final List<PodLogLine> lines = new CopyOnWriteArrayList<>();
    final List<Throwable> reconnects = new CopyOnWriteArrayList<>();
    final CompletableFuture<Throwable> closed = new CompletableFuture<>();
    final CountDownLatch twoLines = new CountDownLatch(2);
    volatile int closedCalls;

    @Override
    public void onLine(PodLogLine line) {
      lines.add(line);
      twoLines.countDown();
    }

    @Override
    public void onReconnecting(Throwable cause) {
      reconnects.add(cause);
    }

    @Override
    public void onClosed(Throwable failureOrNull) {
      closedCalls++;
      closed.complete(failureOrNull == null ? CLEAN : failureOrNull);
    }

    Throwable awaitClosed() throws Exception {
      return closed.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void streamLogs_withoutFollow_parsesEachEventAndEndsWithTheServersStream() throws Exception {
    wm.stubFor(
        get(urlPathEqualTo(LOGS))
            .willReturn(
                stream(
                    ": keep-alive\n\n"
                        + event(ID1, "2026-06-01T12:02:03Z", "container", "Model loaded.")
                        + event(ID2, "2026-06-01T12:02:04Z", "system", "Pod ready"))));
    Recording listener = new Recording();

    provider().streamLogs("p1", false, listener);

    assertThat(listener.awaitClosed()).isSameAs(Recording.CLEAN);
    assertThat(listener.lines)
        .containsExactly(
            new PodLogLine(ID1, "2026-06-01T12:02:03Z", "container", "Model loaded."),
            new PodLogLine(ID2, "2026-06-01T12:02:04Z", "system", "Pod ready"));
    assertThat(listener.closedCalls).isEqualTo(1);
    wm.verify(
        1,
        getRequestedFor(urlPathEqualTo(LOGS))
            .withHeader("Accept", equalTo("text/event-stream"))
            .withHeader("Authorization", equalTo("Bearer " + KEY))
            .withHeader("Last-Event-ID", absent()));
  }

  @Test
  void streamLogs_withFollow_resumesAfterTheLastEventWhenTheStreamEnds() throws Exception {
    wm.stubFor(
        get(urlPathEqualTo(LOGS))
            .inScenario("drop")
            .whenScenarioStateIs(STARTED)
            .willReturn(stream(event(ID1, "2026-06-01T12:02:03Z", "container", "first")))
            .willSetStateTo("resumed"));
    wm.stubFor(
        get(urlPathEqualTo(LOGS))
            .inScenario("drop")
            .whenScenarioStateIs("resumed")
            .withHeader("Last-Event-ID", equalTo(ID1))
            .willReturn(stream(event(ID2, "2026-06-01T12:02:04Z", "container", "second")))
            .willSetStateTo("quiet"));
    wm.stubFor(
        get(urlPathEqualTo(LOGS))
            .inScenario("drop")
            .whenScenarioStateIs("quiet")
            .willReturn(stream(": nothing new\n\n").withFixedDelay(1_000)));
    Recording listener = new Recording();

    PodLogStream stream = provider().streamLogs("p1", true, listener);
    assertThat(listener.twoLines.await(10, TimeUnit.SECONDS)).isTrue();
    stream.close();

    assertThat(listener.awaitClosed()).isSameAs(Recording.CLEAN);
    assertThat(listener.lines).extracting(PodLogLine::line).containsExactly("first", "second");
    assertThat(listener.reconnects).isNotEmpty();
    wm.verify(getRequestedFor(urlPathEqualTo(LOGS)).withHeader("Last-Event-ID", equalTo(ID1)));
  }

  @Test
  void streamLogs_withoutFollow_resumesAfterABrokenConnection() throws Exception {
    wm.stubFor(
        get(urlPathEqualTo(LOGS))
            .inScenario("broken")
            .whenScenarioStateIs(STARTED)
            .willReturn(
                stream(event(ID1, "2026-06-01T12:02:03Z", "container", "before the drop"))
                    .withHeader("Content-Length", "100000"))
            .willSetStateTo("fixed"));
    wm.stubFor(
        get(urlPathEqualTo(LOGS))
            .inScenario("broken")
            .whenScenarioStateIs("fixed")
            .withHeader("Last-Event-ID", equalTo(ID1))
            .willReturn(stream(event(ID2, "2026-06-01T12:02:04Z", "container", "after the drop"))));
    Recording listener = new Recording();

    provider().streamLogs("p1", false, listener);

    assertThat(listener.awaitClosed()).isSameAs(Recording.CLEAN);
    assertThat(listener.lines)
        .extracting(PodLogLine::line)
        .containsExactly("before the drop", "after the drop");
    assertThat(listener.reconnects).hasSize(1);
  }

  @Test
  void streamLogs_whenPodUnknown_closesWithAClearError() throws Exception {
    wm.stubFor(
        get(urlPathEqualTo(LOGS))
            .willReturn(
                aResponse().withStatus(404).withBody(problem(404, "Not Found", "pod not found"))));
    Recording listener = new Recording();

    provider().streamLogs("p1", true, listener);

    assertThat(listener.awaitClosed())
        .isInstanceOf(PodProvisioningException.class)
        .hasMessageContaining("no pod p1");
    wm.verify(1, getRequestedFor(urlPathEqualTo(LOGS)));
  }

  @Test
  void streamLogs_when401_closesWithoutReconnecting() throws Exception {
    wm.stubFor(
        get(urlPathEqualTo(LOGS))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withBody(problem(401, "Unauthorized", "missing bearer token"))));
    Recording listener = new Recording();

    provider().streamLogs("p1", true, listener);

    assertThat(listener.awaitClosed())
        .hasMessageContaining("HTTP 401")
        .hasMessageNotContaining(KEY);
    assertThat(listener.reconnects).isEmpty();
  }

  @Test
  void streamLogs_whenRunPodStaysDown_givesUpAfterMaxAttempts() throws Exception {
    wm.stubFor(get(urlPathEqualTo(LOGS)).willReturn(aResponse().withStatus(503).withBody("{}")));
    Recording listener = new Recording();

    provider().streamLogs("p1", true, listener);

    assertThat(listener.awaitClosed()).isInstanceOf(RemoteUnavailableException.class);
    assertThat(listener.reconnects).hasSize(2);
    wm.verify(3, getRequestedFor(urlPathEqualTo(LOGS)));
  }

  @Test
  void close_ofTheProvider_closesOpenStreams() throws Exception {
    wm.stubFor(get(urlPathEqualTo(LOGS)).willReturn(stream(": quiet\n\n").withFixedDelay(1_000)));
    Recording listener = new Recording();
    provider().streamLogs("p1", true, listener);

    provider.close();

    assertThat(listener.awaitClosed()).isSameAs(Recording.CLEAN);
    assertThat(listener.closedCalls).isEqualTo(1);
  }

  @Test
  void line_whenDataIsNotJson_keepsTheText() {
    assertThat(PodLogSse.line(null, "plain text"))
        .isEqualTo(new PodLogLine("", "", "", "plain text"));
  }
}
