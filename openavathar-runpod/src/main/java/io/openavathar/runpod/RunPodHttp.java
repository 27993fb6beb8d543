package io.openavathar.runpod;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.OpenAvatharException;
import io.openavathar.PodProvisioningException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.Setting;
import io.openavathar.internal.Json;
import io.openavathar.internal.Retries;
import io.openavathar.internal.RetryAfter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP machinery under {@link RunPodPodProvider}: routes below the API base URL, the bearer
 * key, one async exchange per request (OkHttp {@code enqueue}), the mapping of RunPod's problem
 * answers to SDK exceptions, retries, and the registry of in-flight futures that {@link #close()}
 * fails.
 */
final class RunPodHttp {
  private static final Logger LOG = LoggerFactory.getLogger(RunPodHttp.class);
  static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  final OkHttpClient http;
  private final HttpUrl root;
  private final ApiKey key;
  private final Clock clock;
  final Retries retries;
  final ScheduledExecutorService scheduler;
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * Reads a response (closed afterwards by the caller); an IOException means the connection broke
   * mid-body.
   */
  @FunctionalInterface
  interface ResponseHandler<T> {
    T handle(Response response) throws IOException;
  }

  RunPodHttp(
      OkHttpClient http,
      HttpUrl root,
      ApiKey key,
      Clock clock,
      Retries retries,
      ScheduledExecutorService scheduler) {
    this.http = http;
    this.root = root;
    this.key = key;
    this.clock = clock;
    this.retries = retries;
    this.scheduler = scheduler;
  }

  /** The URL of a route below the base URL, each segment encoded (never concatenated as text). */
  HttpUrl url(String... segments) {
    HttpUrl.Builder b = root.newBuilder();
    for (String segment : segments) {
      b.addPathSegment(segment);
    }
    return b.build();
  }

  /** A request builder for {@code url} carrying the API key as a bearer token. */
  Request.Builder request(HttpUrl url) {
    return new Request.Builder().url(url).header("Authorization", "Bearer " + key.reveal());
  }

  Request get(HttpUrl url) {
    return request(url).header("Accept", "application/json").get().build();
  }

  Request delete(HttpUrl url) {
    return request(url).header("Accept", "application/json").delete().build();
  }

  /**
   * A POST of {@code body} as JSON. The body is one-shot, so OkHttp itself never replays it on a
   * broken pooled connection: a create must not reach RunPod twice behind our back.
   */
  Request postJson(HttpUrl url, JsonNode body) {
    byte[] bytes;
    try {
      bytes = Json.mapper().writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot serialise the request body for " + display(url), e);
    }
    return request(url).header("Accept", "application/json").post(new OneShotJson(bytes)).build();
  }

  /** A one-field JSON object, for example {@code {"action":"stop"}}. */
  JsonNode postJsonBody(String field, String value) {
    return Json.mapper().createObjectNode().put(field, value);
  }

  /**
   * Runs {@code attempt} with the retry policy; the argument handed to it completes when the whole
   * operation ends, so calls still running then are cancelled. The result is tracked, so {@link
   * #close()} can fail it.
   */
  <T> CompletableFuture<T> retried(
      String operation, Function<CompletableFuture<?>, CompletionStage<T>> attempt) {
    if (closed) {
      return CompletableFuture.failedFuture(closedException(operation));
    }
    CompletableFuture<Void> ended = new CompletableFuture<>();
    CompletableFuture<T> result =
        retries.execute("RunPod " + operation, scheduler, () -> attempt.apply(ended));
    result.whenComplete((v, e) -> ended.complete(null));
    return track(operation, result);
  }

  /**
   * Sends {@code request} and applies {@code handler} to the response on OkHttp's callback thread,
   * closing the response afterwards. Connection failures and bodies broken mid-read become {@link
   * RemoteUnavailableException}. The call is cancelled when {@code until} completes.
   */
  <T> CompletableFuture<T> exchange(
      String operation, Request request, CompletableFuture<?> until, ResponseHandler<T> handler) {
    CompletableFuture<T> f = new CompletableFuture<>();
    Call call = http.newCall(request);
    until.whenComplete((v, e) -> call.cancel());
    call.enqueue(
        new Callback() {
          @Override
          public void onFailure(Call c, IOException e) {
            LOG.debug("RunPod {} failed: {}", operation, e.toString());
            f.completeExceptionally(unreachable(operation, e));
          }

          @Override
          public void onResponse(Call c, Response response) {
            LOG.debug("RunPod {} -> HTTP {}", operation, response.code());
            try (response) {
              f.complete(handler.handle(response));
            } catch (IOException e) {
              f.completeExceptionally(
                  new RemoteUnavailableException(
                      "The connection to RunPod broke while "
                          + operation
                          + ": "
                          + describe(e)
                          + ". Retry later.",
                      e));
            } catch (RuntimeException e) {
              f.completeExceptionally(e);
            }
          }
        });
    return f;
  }

  /**
   * Handler: the JSON body of a 200 or 201 response; any other status fails via {@link #failure}.
   */
  JsonNode json(String operation, Response response) throws IOException {
    if (response.code() != 200 && response.code() != 201) {
      throw failure(operation, response, problem(response));
    }
    String text = response.body().string();
    JsonNode node;
    try {
      node = Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      throw notRunPod(
          "While "
              + operation
              + ", RunPod answered HTTP "
              + response.code()
              + " with a body that is not a JSON object: '"
              + Problem.snippet(key.scrub(text))
              + "'",
          null);
    }
    return node;
  }

  /**
   * The failure for an answer that cannot come from RunPod's REST API v2: {@code what} happened, so
   * the API URL is probably wrong.
   */
  static OpenAvatharException notRunPod(String what, Throwable cause) {
    return new OpenAvatharException(
        what + ". Check that ", Setting.RUNPOD_API_URL, " points at RunPod's REST API v2.", cause);
  }

  /** The response's error body. */
  Problem problem(Response response) throws IOException {
    return Problem.parse(response.body().string(), key);
  }

  /**
   * The failure for a status the operation did not expect. 429, 408 and 5xx are transient ({@link
   * RemoteUnavailableException}, honouring {@code Retry-After}); 401, 402, 403 and 422 have fixed
   * meanings; the rest quote RunPod's detail. Callers handle 404 and 409 themselves where they mean
   * something.
   */
  OpenAvatharException failure(String operation, Response response, Problem problem) {
    int code = response.code();
    String detail = problem.describe();
    if (code == 429 || code == 408 || code >= 500) {
      return new RemoteUnavailableException(
          "While "
              + operation
              + ", RunPod answered HTTP "
              + code
              + " ("
              + detail
              + "): it is busy or failing. Retry "
              + "later.",
          null,
          RetryAfter.parse(response.header("Retry-After"), clock));
    }
    return switch (code) {
      case 401 ->
          new PodProvisioningException(
              "RunPod rejected the API key (HTTP 401) while " + operation + ". Check ",
              Setting.RUNPOD_API_KEY,
              ".",
              false,
              true);
      case 402 -> noBalance();
      case 403 ->
          new PodProvisioningException(
              "RunPod denied "
                  + operation
                  + " (HTTP 403: "
                  + detail
                  + "). Check that the API key may manage pods "
                  + "(permission All, or Restricted with pod access) and RUNPOD_API_KEY.",
              false,
              true);
      case 422 ->
          new PodProvisioningException(
              "While "
                  + operation
                  + ", RunPod refused the request as malformed (HTTP 422): "
                  + (problem.errors().isEmpty() ? detail : String.join("; ", problem.errors()))
                  + ". This is a bug in OpenAvathar; please report it with this message.",
              false,
              false);
      default ->
          new PodProvisioningException(
              "While " + operation + ", RunPod answered HTTP " + code + ": " + detail + ".",
              false,
              false);
    };
  }

  static PodProvisioningException noBalance() {
    return new PodProvisioningException(
        "RunPod account has no balance left; add funds at runpod.io, then try again.", false, true);
  }

  RemoteUnavailableException unreachable(String operation, IOException e) {
    return new RemoteUnavailableException(
        "Could not reach RunPod at "
            + display(root)
            + " while "
            + operation
            + ": "
            + describe(e)
            + ". Check the network and ",
        Setting.RUNPOD_API_URL,
        ".",
        e);
  }

  /**
   * Whether a request that failed at the connection level may have reached RunPod: a broken or
   * timed-out connection may have, a refused or unresolvable one has not. (Answers, such as a 5xx,
   * are judged by their caller.)
   */
  static boolean connectionMayHaveDelivered(Throwable failure) {
    Throwable t = Retries.unwrap(failure);
    return t instanceof RemoteUnavailableException
        && t.getCause() instanceof IOException cause
        && !(cause instanceof ConnectException || cause instanceof UnknownHostException);
  }

  /** The URL without query or fragment, safe for messages and logs. */
  static String display(HttpUrl url) {
    return url.newBuilder().query(null).fragment(null).build().toString();
  }

  static String describe(IOException e) {
    return io.openavathar.internal.IoErrors.describe(e);
  }

  /** Registers {@code future} so that {@link #close()} fails it if it is still running. */
  <T> CompletableFuture<T> track(String operation, CompletableFuture<T> future) {
    inFlight.add(future);
    future.whenComplete((v, e) -> inFlight.remove(future));
    if (closed) {
      future.completeExceptionally(closedException(operation));
    }
    return future;
  }

  /** Fails every in-flight future; later calls fail at once. Idempotent. */
  void close() {
    closed = true;
    for (CompletableFuture<?> f : inFlight) {
      f.completeExceptionally(
          new OpenAvatharException("The RunPod provider was closed before the call finished."));
    }
  }

  boolean isClosed() {
    return closed;
  }

  private static OpenAvatharException closedException(String operation) {
    return new OpenAvatharException(
        "The RunPod provider was closed; "
            + operation
            + " cannot run. Use a provider that is open.");
  }

  /**
   * The API base URL as an {@link HttpUrl}, without trailing slash; fails on anything but http(s)
   * without query.
   */
  static HttpUrl root(URI apiUrl) {
    String s = apiUrl.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    HttpUrl url = HttpUrl.parse(s);
    if (url == null || url.query() != null || url.fragment() != null) {
      throw new IllegalArgumentException(
          "apiUrl must be an http(s) URL without query, like https://api.runpod.io/v2, was "
              + apiUrl.getScheme()
              + "://"
              + apiUrl.getHost()
              + apiUrl.getRawPath());
    }
    return url;
  }

  /**
   * Completes with {@code stage}'s value, or with its failure stripped of {@code
   * CompletionException} wrappers.
   */
  static <T> CompletableFuture<T> unwrapped(CompletionStage<T> stage) {
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

  /** A JSON body OkHttp may write once only. */
  private static final class OneShotJson extends RequestBody {
    private final byte[] bytes;

    OneShotJson(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public MediaType contentType() {
      return JSON;
    }

    @Override
    public long contentLength() {
      return bytes.length;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      sink.write(bytes);
    }

    @Override
    public boolean isOneShot() {
      return true;
    }
  }
}
