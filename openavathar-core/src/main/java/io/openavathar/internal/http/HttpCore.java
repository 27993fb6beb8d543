package io.openavathar.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.OpenAvatharException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.internal.IoErrors;
import io.openavathar.internal.Json;
import io.openavathar.internal.Retries;
import io.openavathar.internal.RetryAfter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP machinery every remote client of the SDK shares: routes below a base URL, one async
 * exchange per request (OkHttp {@code enqueue}, no blocking thread; the call is cancelled when the
 * operation ends), the retry policy, the registry of calls in flight that {@link #close()} fails,
 * and the reading of answers the operation did not expect. What a failure says is the service's
 * {@link ErrorMapper}'s business; clients extend this class with their own requests.
 *
 * <p>Only what OkHttp 4.12 and 5.x both offer is used. Thread-safe.
 */
public class HttpCore {
  private static final Logger LOG = LoggerFactory.getLogger(HttpCore.class);

  /** The media type of every JSON request body. */
  public static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private static final int SNIPPET_CHARS = 200;

  /** How much of an unexpected answer's body is read for its message. */
  private static final long ANSWER_BYTES = 64 * 1024;

  private final OkHttpClient http;

  /**
   * The same client without a read timeout, for large bodies: Okio's timeout bookkeeping on every 8
   * KiB read costs a fifth of the throughput on loopback. Callers that use it must watch for stalls
   * themselves.
   */
  private final OkHttpClient streaming;

  private final HttpUrl root;
  private final String authorization;
  private final Clock clock;
  private final Retries retries;
  private final ScheduledExecutorService scheduler;
  private final ErrorMapper errors;

  /** Calls in flight, each with its operation's name. */
  private final Map<CompletableFuture<?>, String> inFlight = new ConcurrentHashMap<>();

  private volatile boolean closed;

  /**
   * Reads a response (closed afterwards by the core); an IOException means the connection broke
   * mid-body.
   */
  @FunctionalInterface
  public interface ResponseHandler<T> {
    /** The value of {@code response}, or an {@link OpenAvatharException} refusing it. */
    T handle(Response response) throws IOException;
  }

  /**
   * A core for the service below {@code root}. User info in {@code root} (such as {@code
   * https://user:pass@host/comfy}) becomes HTTP basic auth on every request, since OkHttp ignores
   * it; it never appears in URLs or messages.
   *
   * @param http the client for every call; shared, never shut down here
   * @param retries the policy of {@link #retried}, built once for the client
   * @param scheduler where retries wait; shared, never shut down here
   * @param errors how the service words its failures
   */
  public HttpCore(
      OkHttpClient http,
      HttpUrl root,
      Clock clock,
      Retries retries,
      ScheduledExecutorService scheduler,
      ErrorMapper errors) {
    this.http = Objects.requireNonNull(http, "http");
    this.streaming = http.newBuilder().readTimeout(Duration.ZERO).build();
    this.root = root.newBuilder().username("").password("").build();
    this.authorization =
        root.username().isEmpty() ? null : Credentials.basic(root.username(), root.password());
    this.clock = Objects.requireNonNull(clock, "clock");
    this.retries = retries;
    this.scheduler = scheduler;
    this.errors = Objects.requireNonNull(errors, "errors");
  }

  /** The client every call goes through. */
  public OkHttpClient http() {
    return http;
  }

  /** The retry policy of {@link #retried}. */
  public Retries retries() {
    return retries;
  }

  /** The scheduler retries wait on. */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** How the service words its failures. */
  public ErrorMapper errors() {
    return errors;
  }

  /**
   * The URL of a route below the base URL, each segment encoded (never concatenated as text),
   * without user info.
   */
  public HttpUrl url(String... segments) {
    HttpUrl.Builder b = root.newBuilder();
    for (String segment : segments) {
      b.addPathSegment(segment);
    }
    return b.build();
  }

  /**
   * A request builder for {@code url} carrying the base URL's credentials, if any. No Origin
   * header, ever. Clients that authenticate otherwise add their header here.
   */
  public Request.Builder request(HttpUrl url) {
    Request.Builder b = new Request.Builder().url(url);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  /** A GET of {@code url} accepting JSON. */
  public Request get(HttpUrl url) {
    return request(url).header("Accept", "application/json").get().build();
  }

  /** A DELETE of {@code url} accepting JSON. */
  public Request delete(HttpUrl url) {
    return request(url).header("Accept", "application/json").delete().build();
  }

  /**
   * A POST of {@code body} written as JSON by Jackson. OkHttp may replay it on a broken pooled
   * connection: use {@link #postJsonOnce} for a request that must not reach the server twice.
   */
  public Request postJson(HttpUrl url, Object body) {
    return request(url)
        .header("Accept", "application/json")
        .post(RequestBody.create(bytes(url, body), JSON))
        .build();
  }

  /**
   * Like {@link #postJson} with a one-shot body, so OkHttp itself never replays it on a broken
   * pooled connection: a create must not reach the server twice behind our back.
   */
  public Request postJsonOnce(HttpUrl url, Object body) {
    return request(url)
        .header("Accept", "application/json")
        .post(oneShotJson(bytes(url, body)))
        .build();
  }

  private static byte[] bytes(HttpUrl url, Object body) {
    try {
      return Json.mapper().writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot serialise the request body for " + display(url), e);
    }
  }

  /** A JSON request body OkHttp may write once only. */
  public static RequestBody oneShotJson(byte[] bytes) {
    return new OneShotJson(bytes);
  }

  /**
   * Runs {@code attempt} with the retry policy; the argument handed to it completes when the whole
   * operation ends, so that calls still running then are cancelled. The result is tracked, so
   * {@link #close()} can fail it.
   */
  public <T> CompletableFuture<T> retried(
      String operation, Function<CompletableFuture<?>, CompletionStage<T>> attempt) {
    if (closed) {
      return closedFailure(operation);
    }
    CompletableFuture<Void> ended = new CompletableFuture<>();
    CompletableFuture<T> result =
        retries.execute(errors.service() + " " + operation, scheduler, () -> attempt.apply(ended));
    result.whenComplete((v, e) -> ended.complete(null));
    return track(operation, result);
  }

  /**
   * Sends {@code request} and applies {@code handler} to the response on OkHttp's callback thread,
   * closing the response afterwards. A request without answer fails with the mapper's {@link
   * ErrorMapper#unreachable}, a body broken mid-read with its {@link ErrorMapper#broken}. The call
   * is cancelled when {@code until} completes.
   */
  public <T> CompletableFuture<T> exchange(
      String operation, Request request, CompletableFuture<?> until, ResponseHandler<T> handler) {
    return exchange(http, operation, request, until, handler);
  }

  /**
   * Like {@link #exchange(String, Request, CompletableFuture, ResponseHandler)} with no read
   * timeout: the caller watches for a stalled transfer.
   */
  public <T> CompletableFuture<T> exchangeStreaming(
      String operation, Request request, CompletableFuture<?> until, ResponseHandler<T> handler) {
    return exchange(streaming, operation, request, until, handler);
  }

  private <T> CompletableFuture<T> exchange(
      OkHttpClient client,
      String operation,
      Request request,
      CompletableFuture<?> until,
      ResponseHandler<T> handler) {
    CompletableFuture<T> f = new CompletableFuture<>();
    Call call = client.newCall(request);
    until.whenComplete((v, e) -> call.cancel());
    call.enqueue(
        new Callback() {
          @Override
          public void onFailure(Call c, IOException e) {
            LOG.debug(
                "{} {} {} failed: {}",
                errors.service(),
                request.method(),
                display(request.url()),
                e.toString());
            f.completeExceptionally(errors.unreachable(operation, request, e));
          }

          @Override
          public void onResponse(Call c, Response response) {
            LOG.debug(
                "{} {} {} -> HTTP {}",
                errors.service(),
                request.method(),
                display(request.url()),
                response.code());
            try (response) {
              f.complete(handler.handle(response));
            } catch (IOException e) {
              f.completeExceptionally(errors.broken(operation, request, e));
            } catch (RuntimeException e) {
              f.completeExceptionally(e);
            }
          }
        });
    return f;
  }

  /**
   * Handler: the JSON body of a 200 or 201 answer (a missing node for an empty body); any other
   * status fails with the mapper's {@link ErrorMapper#status}, a body that is not JSON with its
   * {@link ErrorMapper#notJson}.
   */
  public JsonNode json(String operation, Response response) throws IOException {
    return json(operation, response, false);
  }

  /** Handler: like {@link #json} for an answer that must be a JSON object. */
  public JsonNode jsonObject(String operation, Response response) throws IOException {
    return json(operation, response, true);
  }

  private JsonNode json(String operation, Response response, boolean object) throws IOException {
    if (response.code() != 200 && response.code() != 201) {
      throw failure(operation, response);
    }
    String text = response.body().string();
    JsonNode node;
    try {
      node = Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw errors.notJson(operation, answer(response, text), e);
    }
    if (object && (node == null || !node.isObject())) {
      throw errors.notJson(operation, answer(response, text), null);
    }
    return node == null ? Json.mapper().missingNode() : node;
  }

  /** Handler: any 2xx answer, body ignored; any other status fails via {@link #failure}. */
  public Void ok(String operation, Response response) {
    if (!response.isSuccessful()) {
      throw failure(operation, response);
    }
    return null;
  }

  /** The mapper's failure for a status {@code operation} did not expect. */
  public OpenAvatharException failure(String operation, Response response) {
    return errors.status(operation, answer(response));
  }

  /**
   * {@code response} as an {@link Answer}: its body is peeked (at most 64 KiB), so the caller may
   * still read it. An unreadable body reads as empty: it must not hide the status.
   */
  public Answer answer(Response response) {
    String body;
    try {
      body = response.peekBody(ANSWER_BYTES).string();
    } catch (IOException | IllegalStateException e) {
      body = "";
    }
    return answer(response, body);
  }

  /** {@code response} as an {@link Answer} with {@code body}, the body as the caller read it. */
  public Answer answer(Response response, String body) {
    return new Answer(
        response.request().url(),
        response.code(),
        body,
        RetryAfter.parse(response.header("Retry-After"), clock));
  }

  /** Registers {@code future} so that {@link #close()} fails it if it is still running. */
  public <T> CompletableFuture<T> track(String operation, CompletableFuture<T> future) {
    inFlight.put(future, operation);
    future.whenComplete((v, e) -> inFlight.remove(future));
    if (closed) {
      future.completeExceptionally(errors.closed(operation, true));
    }
    return future;
  }

  /** Fails every call in flight; later calls fail at once. Idempotent. */
  public void close() {
    closed = true;
    inFlight.forEach((f, operation) -> f.completeExceptionally(errors.closed(operation, true)));
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** A future failed with the mapper's failure for a call after {@link #close()}. */
  public <T> CompletableFuture<T> closedFailure(String operation) {
    return CompletableFuture.failedFuture(errors.closed(operation, false));
  }

  /**
   * Completes with {@code stage}'s value, or with its failure stripped of {@code
   * CompletionException} wrappers.
   */
  public static <T> CompletableFuture<T> unwrapped(CompletionStage<T> stage) {
    CompletableFuture<T> f = new CompletableFuture<>();
    stage.whenComplete(
        (v, e) -> {
          if (e == null) {
            f.complete(v);
          } else {
            f.completeExceptionally(Retries.unwrap(e));
          }
        });
    return f;
  }

  /**
   * Whether a failed request may have reached the server: any {@link RemoteUnavailableException} (a
   * broken connection, a busy proxy) but a refused or unresolvable connection.
   */
  public static boolean mayHaveArrived(Throwable failure) {
    Throwable t = Retries.unwrap(failure);
    return t instanceof RemoteUnavailableException && !neverSent(t.getCause());
  }

  /**
   * Whether a request that failed at the connection level may have reached the server: a broken or
   * timed-out connection may have, a refused or unresolvable one has not. Answers, such as a 5xx,
   * are for the caller to judge.
   */
  public static boolean connectionMayHaveDelivered(Throwable failure) {
    Throwable t = Retries.unwrap(failure);
    return t instanceof RemoteUnavailableException
        && t.getCause() instanceof IOException cause
        && !neverSent(cause);
  }

  private static boolean neverSent(Throwable cause) {
    return cause instanceof ConnectException || cause instanceof UnknownHostException;
  }

  /** The URL without user info, query or fragment, safe for messages and logs. */
  public static String display(HttpUrl url) {
    return url.newBuilder().username("").password("").query(null).fragment(null).build().toString();
  }

  /** A short, human description of why a connection failed. */
  public static String describe(IOException e) {
    return IoErrors.describe(e);
  }

  /** The start of a body for an error message, on one line. */
  public static String snippet(String text) {
    String flat = text.replaceAll("\\s+", " ").trim();
    return flat.length() <= SNIPPET_CHARS ? flat : flat.substring(0, SNIPPET_CHARS) + "...";
  }

  /**
   * A configured base URL as an {@link HttpUrl} without trailing slash.
   *
   * @param setting the builder method's or setting's name, for the message
   * @param example a valid value, for the message
   * @throws IllegalArgumentException for anything but an http(s) URL without query or fragment
   */
  public static HttpUrl root(URI baseUrl, String setting, String example) {
    String s = baseUrl.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    HttpUrl url = HttpUrl.parse(s);
    if (url == null || url.query() != null || url.fragment() != null) {
      throw new IllegalArgumentException(
          setting
              + " must be an absolute http or https URL without query, like "
              + example
              + ", was "
              + (baseUrl.getScheme() == null ? "" : baseUrl.getScheme() + "://")
              + (baseUrl.getHost() == null ? "" : baseUrl.getHost())
              + (baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath()));
    }
    return url;
  }
}
