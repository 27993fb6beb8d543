package io.openavathar.comfy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.InvalidInputException;
import io.openavathar.OpenAvatharException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.internal.Json;
import io.openavathar.internal.Retries;
import io.openavathar.internal.RetryAfter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
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
 * The HTTP machinery under {@link ComfyUiClient}: route URLs below the base URL, one async exchange
 * per request (OkHttp {@code enqueue}, no blocking thread), the mapping of failures to SDK
 * exceptions, retries, and the registry of in-flight futures that {@link #close()} fails.
 */
final class ComfyHttp {
  private static final Logger LOG = LoggerFactory.getLogger(ComfyHttp.class);
  static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final int SNIPPET_CHARS = 200;

  private final OkHttpClient http;

  /**
   * The same client without a read timeout, for large bodies: Okio's timeout bookkeeping on every 8
   * KiB read costs a fifth of the throughput on loopback. Callers that use it must watch for stalls
   * themselves.
   */
  private final OkHttpClient streaming;

  private final java.time.Duration stallTimeout;
  private final HttpUrl root;
  private final String authorization;
  private final Clock clock;
  private final Retries retries;
  private final ScheduledExecutorService scheduler;
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

  ComfyHttp(
      OkHttpClient http,
      HttpUrl root,
      Clock clock,
      Retries retries,
      ScheduledExecutorService scheduler,
      java.time.Duration stallTimeout) {
    this.http = http;
    this.stallTimeout = stallTimeout;
    this.streaming = http.newBuilder().readTimeout(java.time.Duration.ZERO).build();
    this.root = root;
    // OkHttp ignores user info in URLs; a base URL such as https://user:pass@host/comfy means HTTP
    // basic auth.
    this.authorization =
        root.username().isEmpty() ? null : Credentials.basic(root.username(), root.password());
    this.clock = clock;
    this.retries = retries;
    this.scheduler = scheduler;
  }

  /** The URL of a route below the base URL, each segment encoded (never concatenated as text). */
  HttpUrl url(String... segments) {
    HttpUrl.Builder b = root.newBuilder().username("").password("");
    for (String segment : segments) {
      b.addPathSegment(segment);
    }
    return b.build();
  }

  /**
   * A request builder for {@code url} carrying the base URL's credentials, if any. No Origin
   * header, ever.
   */
  Request.Builder request(HttpUrl url) {
    Request.Builder b = new Request.Builder().url(url);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  Request get(HttpUrl url) {
    return request(url).get().build();
  }

  Request postJson(HttpUrl url, JsonNode body) {
    try {
      return request(url)
          .post(RequestBody.create(Json.mapper().writeValueAsBytes(body), JSON))
          .build();
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot serialise the request body for " + display(url), e);
    }
  }

  /**
   * Runs {@code attempt} with the retry policy; the argument handed to it completes when the whole
   * operation ends, so that calls still running then are cancelled. The result is tracked, so
   * {@link #close()} can fail it.
   */
  <T> CompletableFuture<T> retried(
      String operation, Function<CompletableFuture<?>, CompletionStage<T>> attempt) {
    CompletableFuture<Void> ended = new CompletableFuture<>();
    if (closed) {
      return closedFailure(operation);
    }
    CompletableFuture<T> result =
        retries.execute("ComfyUI " + operation, scheduler, () -> attempt.apply(ended));
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
    return exchange(http, operation, request, until, handler);
  }

  /**
   * Like {@link #exchange(String, Request, CompletableFuture, ResponseHandler)} with no read
   * timeout.
   */
  <T> CompletableFuture<T> exchangeStreaming(
      String operation, Request request, CompletableFuture<?> until, ResponseHandler<T> handler) {
    return exchange(streaming, operation, request, until, handler);
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /**
   * How long a streaming transfer may move no byte before it is cut (the client's read timeout).
   */
  java.time.Duration stallTimeout() {
    return stallTimeout;
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
                "ComfyUI {} {} failed: {}", request.method(), display(request.url()), e.toString());
            if (e instanceof ProgressRequestBody.FileReadException) {
              f.completeExceptionally(
                  new InvalidInputException(
                      e.getMessage() + ". Check that the file stays readable.", e));
            } else {
              f.completeExceptionally(unreachable(request.url(), e));
            }
          }

          @Override
          public void onResponse(Call c, Response response) {
            LOG.debug(
                "ComfyUI {} {} -> {}", request.method(), display(request.url()), response.code());
            try (response) {
              f.complete(handler.handle(response));
            } catch (IOException e) {
              f.completeExceptionally(
                  new RemoteUnavailableException(
                      "The connection to ComfyUI at "
                          + display(request.url())
                          + " broke while reading the answer to "
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

  /** Handler: a 200 response's JSON body; any other status fails. */
  JsonNode json(String operation, Response response) throws IOException {
    if (response.code() != 200) {
      throw unexpectedStatus(operation, response);
    }
    return parseJson(operation, response);
  }

  /**
   * The response body as JSON, or an {@link OpenAvatharException} quoting it when it is not JSON.
   */
  JsonNode parseJson(String operation, Response response) throws IOException {
    String text = response.body().string();
    try {
      JsonNode node = Json.mapper().readTree(text);
      return node == null ? Json.mapper().missingNode() : node;
    } catch (JsonProcessingException e) {
      throw new OpenAvatharException(
          "ComfyUI answered "
              + operation
              + " at "
              + display(response.request().url())
              + " with HTTP "
              + response.code()
              + " and a body that is not JSON: '"
              + snippet(text)
              + "'. Check that the URL points at ComfyUI and not at a proxy or another service.",
          e);
    }
  }

  /** Handler: any 200 response, body ignored. */
  Void ok(String operation, Response response) {
    if (response.code() != 200) {
      throw unexpectedStatus(operation, response);
    }
    return null;
  }

  /**
   * The failure for a status the operation did not expect: 429, 502, 503 and 504 are transient
   * ({@link RemoteUnavailableException}, honouring {@code Retry-After}); the rest are not.
   */
  OpenAvatharException unexpectedStatus(String operation, Response response) {
    int code = response.code();
    String where = display(response.request().url());
    if (code == 429 || code == 502 || code == 503 || code == 504) {
      return new RemoteUnavailableException(
          "ComfyUI at "
              + where
              + " is unavailable for "
              + operation
              + " (HTTP "
              + code
              + "): the server or a proxy in front of it is busy or starting. Try again later.",
          null,
          retryAfter(response.header("Retry-After")));
    }
    return new OpenAvatharException(
        "ComfyUI answered "
            + operation
            + " at "
            + where
            + " with unexpected HTTP "
            + code
            + ". Check the ComfyUI server log and that the URL points at ComfyUI.");
  }

  /**
   * The {@code Retry-After} header as a delay: delta seconds or an HTTP date; null when absent or
   * unreadable.
   */
  Duration retryAfter(String header) {
    return RetryAfter.parse(header, clock);
  }

  /**
   * Whether a failed request may have reached the server (everything but a refused or unresolvable
   * connection).
   */
  static boolean mayHaveArrived(Throwable failure) {
    Throwable t = Retries.unwrap(failure);
    if (!(t instanceof RemoteUnavailableException)) {
      return false;
    }
    Throwable cause = t.getCause();
    return !(cause instanceof ConnectException || cause instanceof UnknownHostException);
  }

  RemoteUnavailableException unreachable(HttpUrl url, IOException e) {
    return new RemoteUnavailableException(
        "Could not reach ComfyUI at "
            + display(url)
            + ": "
            + describe(e)
            + ". Check that the server is running and the URL is right.",
        e);
  }

  /** The URL without user info, query or fragment, safe for messages and logs. */
  static String display(HttpUrl url) {
    return url.newBuilder().username("").password("").query(null).fragment(null).build().toString();
  }

  static String describe(IOException e) {
    return io.openavathar.internal.IoErrors.describe(e);
  }

  /** The start of a body for an error message, on one line. */
  static String snippet(String text) {
    String flat = text.replaceAll("\\s+", " ").trim();
    return flat.length() <= SNIPPET_CHARS ? flat : flat.substring(0, SNIPPET_CHARS) + "...";
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
          new OpenAvatharException(
              "The ComfyUI client for " + display(root) + " was closed before the call finished."));
    }
  }

  boolean isClosed() {
    return closed;
  }

  <T> CompletableFuture<T> closedFailure(String operation) {
    return CompletableFuture.failedFuture(closedException(operation));
  }

  private OpenAvatharException closedException(String operation) {
    return new OpenAvatharException(
        "The ComfyUI client for "
            + display(root)
            + " was closed; "
            + operation
            + " cannot run. Use a client that is open.");
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
}
