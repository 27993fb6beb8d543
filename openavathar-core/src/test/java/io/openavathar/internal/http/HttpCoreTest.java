package io.openavathar.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.OpenAvatharException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.internal.Retries;
import io.openavathar.internal.Schedulers;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP core against a real socket, with a recording error mapper. */
class HttpCoreTest {
  private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /**
   * An hour between attempts unless the server says otherwise: a test that finishes quickly proves
   * that {@code Retry-After} was honoured.
   */
  private static final Retries SLOW_UNLESS_TOLD =
      Retries.of(3, Duration.ofHours(1), Duration.ofHours(1));

  private final MockWebServer server = new MockWebServer();

  /** No read timeout: a stalled call ends only when it is cancelled. */
  private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ZERO).build();

  private final ScheduledExecutorService scheduler = Schedulers.daemon("http-core-test");
  private final Recorder errors = new Recorder();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    server.close();
  }

  private HttpCore core(Retries retries) {
    return new HttpCore(http, server.url("/api"), CLOCK, retries, scheduler, errors);
  }

  private CompletableFuture<JsonNode> getThing(HttpCore core) {
    return core.retried(
        "GET /thing",
        until ->
            core.exchange(
                "GET /thing", core.get(core.url("thing")), until, r -> core.json("GET /thing", r)));
  }

  @Test
  void retriesBusyAnswers_afterTheirRetryAfter_readAgainstTheInjectedClock() throws Exception {
    String now = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.atZone(ZoneOffset.UTC));
    server.enqueue(new MockResponse.Builder().code(503).setHeader("Retry-After", now).build());
    server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "0").build());
    server.enqueue(new MockResponse.Builder().code(200).body("{\"ok\":true}").build());

    JsonNode answer = getThing(core(SLOW_UNLESS_TOLD)).get(10, TimeUnit.SECONDS);

    assertThat(answer.path("ok").asBoolean()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(errors.statuses).extracting(Answer::code).containsExactly(503, 429);
    assertThat(errors.statuses)
        .extracting(Answer::retryAfter)
        .containsExactly(Duration.ZERO, Duration.ZERO);
  }

  @Test
  void doesNotRetryA4xx_andHandsTheMapperTheStatusAndASnippetOfTheBody() {
    String body = "  line one\n\n  line two " + "x".repeat(300);
    server.enqueue(
        new MockResponse.Builder().code(404).setHeader("Retry-After", "7").body(body).build());

    assertThatThrownBy(() -> getThing(core(SLOW_UNLESS_TOLD)).get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(OpenAvatharException.class)
        .hasMessage("refused GET /thing: HTTP 404");
    assertThat(server.getRequestCount()).isEqualTo(1);
    Answer seen = errors.statuses.get(0);
    assertThat(seen.url().encodedPath()).isEqualTo("/api/thing");
    assertThat(seen.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(seen.snippet()).startsWith("line one line two xxx").endsWith("...").hasSize(203);
  }

  @Test
  void aBodyThatIsNotJsonGoesToTheMapper() {
    server.enqueue(new MockResponse.Builder().code(200).body("<html>login</html>").build());

    assertThatThrownBy(() -> getThing(core(SLOW_UNLESS_TOLD)).get(10, TimeUnit.SECONDS))
        .cause()
        .hasMessage("not JSON from GET /thing: <html>login</html>");
  }

  @Test
  void cancellingTheOperationCancelsTheCall() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    CompletableFuture<JsonNode> call = getThing(core(SLOW_UNLESS_TOLD));
    assertThat(server.takeRequest(10, TimeUnit.SECONDS)).isNotNull();

    call.cancel(true);

    // The server never answers and nothing times out: only the cancel can end the call.
    assertThat(errors.connectionFailures.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void closeFailsCallsInFlight_cancelsThem_andRefusesLaterOnes() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    HttpCore core = core(SLOW_UNLESS_TOLD);
    CompletableFuture<JsonNode> call = getThing(core);
    assertThat(server.takeRequest(10, TimeUnit.SECONDS)).isNotNull();

    core.close();

    assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .hasMessage("closed while GET /thing ran");
    assertThat(errors.connectionFailures.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    assertThat(core.isClosed()).isTrue();
    assertThatThrownBy(() -> getThing(core).get(10, TimeUnit.SECONDS))
        .cause()
        .hasMessage("closed before GET /thing");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void userInfoInTheBaseUrlIsBasicAuth_andNeverShown() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
    HttpUrl withUser = server.url("/comfy").newBuilder().username("me").password("s3cret").build();
    HttpCore core = new HttpCore(http, withUser, CLOCK, SLOW_UNLESS_TOLD, scheduler, errors);

    getThing(core).get(10, TimeUnit.SECONDS);

    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Basic bWU6czNjcmV0");
    assertThat(core.url("thing").toString()).doesNotContain("s3cret");
    assertThat(HttpCore.display(withUser.newBuilder().query("q=1").build()))
        .isEqualTo(server.url("/comfy").toString());
  }

  @Test
  void rootRefusesAQuery_andDropsTrailingSlashes() {
    assertThat(
            HttpCore.root(URI.create("https://h.example/v2//"), "apiUrl", "https://x").toString())
        .isEqualTo("https://h.example/v2");
    assertThatThrownBy(
            () -> HttpCore.root(URI.create("https://h.example/v2?key=abc"), "apiUrl", "https://x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "apiUrl must be an absolute http or https URL without query, like https://x, was"
                + " https://h.example/v2");
  }

  /** Words every failure in a way the tests can match, and records what it was given. */
  private static final class Recorder implements ErrorMapper {
    final List<Answer> statuses = new CopyOnWriteArrayList<>();
    final CompletableFuture<IOException> connectionFailures = new CompletableFuture<>();

    @Override
    public String service() {
      return "Test";
    }

    @Override
    public OpenAvatharException status(String operation, Answer answer) {
      statuses.add(answer);
      if (answer.code() == 429 || answer.code() >= 500) {
        return new RemoteUnavailableException(
            "busy " + operation + ": HTTP " + answer.code(), null, answer.retryAfter());
      }
      return new OpenAvatharException("refused " + operation + ": HTTP " + answer.code());
    }

    @Override
    public OpenAvatharException notJson(String operation, Answer answer, Throwable cause) {
      return new OpenAvatharException("not JSON from " + operation + ": " + answer.snippet());
    }

    @Override
    public OpenAvatharException unreachable(String operation, Request request, IOException e) {
      connectionFailures.complete(e);
      return new RemoteUnavailableException("unreachable " + operation, e);
    }

    @Override
    public OpenAvatharException broken(String operation, Request request, IOException e) {
      connectionFailures.complete(e);
      return new RemoteUnavailableException("broken " + operation, e);
    }

    @Override
    public OpenAvatharException closed(String operation, boolean inFlight) {
      return new OpenAvatharException(
          inFlight ? "closed while " + operation + " ran" : "closed before " + operation);
    }
  }
}
