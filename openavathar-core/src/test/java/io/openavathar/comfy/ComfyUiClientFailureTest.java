package io.openavathar.comfy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.openavathar.comfy.TestClients.PREFIX;
import static io.openavathar.comfy.TestClients.await;
import static io.openavathar.comfy.TestClients.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.openavathar.OpenAvatharException;
import io.openavathar.RemoteUnavailableException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Routing, retries, Retry-After, failure messages and the client's life cycle. */
class ComfyUiClientFailureTest {
  private static final String QUEUE = PREFIX + "/queue";
  private static final String EMPTY_QUEUE = "{\"queue_running\": [], \"queue_pending\": []}";

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private final RecordingScheduler scheduler = new RecordingScheduler();
  private ComfyUiClient client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    scheduler.shutdownNow();
  }

  @Test
  void routes_resolveBelowThePathPrefix_evenWithTrailingSlash() {
    client = ComfyUiClient.builder().baseUrl(URI.create(wm.baseUrl() + PREFIX + "/")).build();
    wm.stubFor(get(urlPathEqualTo(QUEUE)).willReturn(okJson(EMPTY_QUEUE)));

    await(client.queue());

    assertThat(client.baseUrl()).isEqualTo(URI.create(wm.baseUrl() + PREFIX));
    wm.verify(1, getRequestedFor(urlPathEqualTo(QUEUE)).withHeader("Origin", absent()));
  }

  @Test
  void routes_withoutPrefix_startAtTheRoot() {
    client = ComfyUiClient.create(URI.create(wm.baseUrl()));
    wm.stubFor(get(urlPathEqualTo("/history/a%20b")).willReturn(okJson("{}")));

    assertThat(await(client.history("a b"))).isEmpty();
  }

  @Test
  void queue_when503ThenOk_retriesOnce() {
    client = TestClients.fast(wm.baseUrl(), 4);
    wm.stubFor(
        get(urlPathEqualTo(QUEUE))
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("up"));
    wm.stubFor(
        get(urlPathEqualTo(QUEUE))
            .inScenario("flaky")
            .whenScenarioStateIs("up")
            .willReturn(okJson(EMPTY_QUEUE)));

    await(client.queue());

    wm.verify(2, getRequestedFor(urlPathEqualTo(QUEUE)));
  }

  @Test
  void queue_whenAlwaysUnavailable_stopsAtMaxAttempts() {
    client = TestClients.fast(wm.baseUrl(), 3);
    wm.stubFor(get(urlPathEqualTo(QUEUE)).willReturn(aResponse().withStatus(502)));

    Throwable failure = failureOf(client.queue());

    assertThat(failure)
        .isInstanceOf(RemoteUnavailableException.class)
        .hasMessageContaining("HTTP 502")
        .hasMessageContaining(wm.baseUrl() + PREFIX + "/queue");
    wm.verify(3, getRequestedFor(urlPathEqualTo(QUEUE)));
  }

  @Test
  void queue_whenUnexpectedStatus_failsNamingMethodRouteAndStatus_withoutRetry() {
    client = TestClients.fast(wm.baseUrl(), 3);
    wm.stubFor(get(urlPathEqualTo(QUEUE)).willReturn(aResponse().withStatus(500)));

    Throwable failure = failureOf(client.queue());

    assertThat(failure)
        .isExactlyInstanceOf(OpenAvatharException.class)
        .hasMessageContaining("GET /queue")
        .hasMessageContaining(wm.baseUrl() + PREFIX + "/queue")
        .hasMessageContaining("HTTP 500");
    wm.verify(1, getRequestedFor(urlPathEqualTo(QUEUE)));
  }

  @Test
  void retryAfterInSeconds_isHonoured() {
    client = withScheduler(Clock.systemUTC());
    stubBusyThenOk("3");

    await(client.queue());

    assertThat(scheduler.delaysMillis).containsExactly(3000L);
  }

  @Test
  void retryAfterAsHttpDate_isHonouredAgainstTheClock() {
    Instant now = Instant.parse("2026-01-02T03:04:05Z");
    client = withScheduler(Clock.fixed(now, ZoneOffset.UTC));
    stubBusyThenOk(
        DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(5).atOffset(ZoneOffset.UTC)));

    await(client.queue());

    assertThat(scheduler.delaysMillis).containsExactly(5000L);
  }

  @Test
  void retryAfterFarAway_isCappedAtFourTimesMaxBackoff() {
    client = withScheduler(Clock.systemUTC());
    stubBusyThenOk("86400");

    await(client.queue());

    assertThat(scheduler.delaysMillis).containsExactly(40_000L);
  }

  @Test
  void unreachableServer_failsRetryably_namingTheUrlButNotTheSecret() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    client =
        ComfyUiClient.builder()
            .baseUrl(URI.create("http://alice:s3cr3t@127.0.0.1:" + port + "/comfy"))
            .maxAttempts(2)
            .initialBackoff(Duration.ofMillis(1))
            .build();

    Throwable failure = failureOf(client.queue());

    assertThat(failure)
        .isInstanceOf(RemoteUnavailableException.class)
        .hasMessage(
            "Could not reach ComfyUI at http://127.0.0.1:"
                + port
                + "/comfy/queue: connection refused. Check that"
                + " the server is running and the URL is right.")
        .hasMessageNotContaining("s3cr3t");
    assertThat(client.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void userInfoInBaseUrl_isSentAsBasicAuth_andNeverPrinted() {
    client =
        ComfyUiClient.builder()
            .baseUrl(URI.create(wm.baseUrl().replace("://", "://alice:s3cr3t@") + PREFIX))
            .maxAttempts(1)
            .build();
    wm.stubFor(get(urlPathEqualTo(QUEUE)).willReturn(aResponse().withStatus(500)));

    Throwable failure = failureOf(client.queue());

    assertThat(failure).hasMessageNotContaining("s3cr3t").hasMessageNotContaining("alice");
    wm.verify(
        getRequestedFor(urlPathEqualTo(QUEUE))
            .withHeader("Authorization", equalTo("Basic YWxpY2U6czNjcjN0")));
  }

  @Test
  void close_failsCallsInFlight_andLaterCalls_andStopsOnlyItsOwnScheduler() {
    client = TestClients.fast(wm.baseUrl(), 2);
    wm.stubFor(get(urlPathEqualTo(QUEUE)).willReturn(okJson(EMPTY_QUEUE).withFixedDelay(5000)));
    ComfyUiClient withCallersScheduler =
        ComfyUiClient.builder().baseUrl(URI.create(wm.baseUrl())).scheduler(scheduler).build();

    CompletableFuture<QueueSnapshot> running = client.queue();
    client.close();
    client.close();
    withCallersScheduler.close();

    assertThat(failureOf(running))
        .isInstanceOf(OpenAvatharException.class)
        .hasMessageContaining("closed");
    assertThat(failureOf(client.queue()))
        .isInstanceOf(OpenAvatharException.class)
        .hasMessageContaining("closed");
    assertThat(client.scheduler.isShutdown()).isTrue();
    assertThat(scheduler.isShutdown()).isFalse();
  }

  @Test
  void defaultScheduler_isOneNamedDaemonThread() throws Exception {
    client = ComfyUiClient.create(URI.create(wm.baseUrl()));

    Thread thread = client.scheduler.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);

    assertThat(thread.getName()).matches("openavathar-comfy-scheduler-\\d+");
    assertThat(thread.isDaemon()).isTrue();
    assertThat(client.ownsScheduler).isTrue();
  }

  @Test
  void retryOptions_setTheAttemptsOfEachCall() {
    client =
        ComfyUiClient.builder()
            .baseUrl(URI.create(wm.baseUrl() + PREFIX))
            .retryOptions(
                io.openavathar.RetryOptions.builder()
                    .maxAttempts(2)
                    .initialBackoff(Duration.ofMillis(1))
                    .build())
            .build();
    wm.stubFor(get(urlPathEqualTo(QUEUE)).willReturn(aResponse().withStatus(503)));

    assertThat(failureOf(client.queue())).isInstanceOf(RemoteUnavailableException.class);
    wm.verify(2, getRequestedFor(urlPathEqualTo(QUEUE)));
  }

  @Test
  void builder_rejectsBadArguments() {
    assertThatThrownBy(() -> ComfyUiClient.builder().build())
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("baseUrl");
    assertThatThrownBy(() -> ComfyUiClient.create(URI.create("ftp://host/x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ComfyUiClient.create(URI.create("http://host/x?token=s3cr3t")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> ComfyUiClient.builder().maxAttempts(0)).hasMessageContaining("was 0");
  }

  private ComfyUiClient withScheduler(Clock clock) {
    return ComfyUiClient.builder()
        .baseUrl(URI.create(wm.baseUrl() + PREFIX))
        .scheduler(scheduler)
        .clock(clock)
        .maxAttempts(3)
        .initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofSeconds(10))
        .build();
  }

  private void stubBusyThenOk(String retryAfter) {
    wm.stubFor(
        get(urlPathEqualTo(QUEUE))
            .inScenario("busy")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", retryAfter))
            .willSetStateTo("free"));
    wm.stubFor(
        get(urlPathEqualTo(QUEUE))
            .inScenario("busy")
            .whenScenarioStateIs("free")
            .willReturn(okJson(EMPTY_QUEUE)));
  }

  /**
   * Runs scheduled tasks at once and records the delays asked for, so tests never wait for real.
   */
  private static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
    final List<Long> delaysMillis = new CopyOnWriteArrayList<>();

    RecordingScheduler() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      delaysMillis.add(unit.toMillis(delay));
      return super.schedule(command, 0, TimeUnit.MILLISECONDS);
    }
  }
}
