package io.openavathar.license.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.OpenAvatharException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.Setting;
import io.openavathar.internal.Json;
import io.openavathar.internal.Retries;
import io.openavathar.internal.RetryAfter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP machinery under {@link HttpLicenseClient}: routes below the base URL, one async exchange
 * per attempt (OkHttp {@code enqueue}), the transient failures (connection errors, 408, 429, 502,
 * 503, 504) as retryable {@link RemoteUnavailableException}s, and the retry policy. Everything an
 * answer says is judged by the caller from a {@link Reply}. Thread-safe.
 */
final class LicenseHttp {
  private static final Logger LOG = LoggerFactory.getLogger(LicenseHttp.class);
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final int SNIPPET_CHARS = 200;

  /** Anything shaped like a license key, with or without dashes, any case. */
  private static final Pattern KEY_LIKE = Pattern.compile("(?i)OAVR(?:[-\\s]?[A-Z0-9]{4}){3,4}");

  private volatile boolean closed;
  private final OkHttpClient http;
  private final HttpUrl root;
  private final Clock clock;
  private final Retries retries;
  private final ScheduledExecutorService scheduler;

  /**
   * A whole answer: the status, the body text, the body as JSON if it is a JSON object, and {@code
   * Retry-After}.
   */
  record Reply(int code, String body, Optional<JsonNode> json, String retryAfter) {
    /** A text field of the JSON body, if present. */
    Optional<String> text(String field) {
      return json.map(n -> n.get(field)).filter(JsonNode::isValueNode).map(JsonNode::asText);
    }

    /**
     * The body for a message: the JSON {@code error} if there is one, else a short snippet, keys
     * masked.
     */
    String detail() {
      return scrub(text("error").orElse(body.isBlank() ? "empty body" : body));
    }
  }

  LicenseHttp(
      OkHttpClient http,
      HttpUrl root,
      Clock clock,
      Retries retries,
      ScheduledExecutorService scheduler) {
    this.http = http;
    this.root = root;
    this.clock = clock;
    this.retries = retries;
    this.scheduler = scheduler;
  }

  /** The base URL, for messages. */
  String base() {
    return root.toString();
  }

  /**
   * The URL of {@code path} (slash-separated segments) below the base URL, with query parameters.
   */
  HttpUrl url(String path, Map<String, String> query) {
    HttpUrl.Builder b = root.newBuilder();
    for (String segment : path.split("/")) {
      b.addPathSegment(segment);
    }
    query.forEach(b::addQueryParameter);
    return b.build();
  }

  Request get(HttpUrl url) {
    return new Request.Builder().url(url).header("Accept", "application/json").get().build();
  }

  Request post(HttpUrl url, Map<String, String> fields) {
    byte[] bytes;
    try {
      bytes = Json.mapper().writeValueAsBytes(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot serialise the request body for " + url.encodedPath(), e);
    }
    return new Request.Builder()
        .url(url)
        .header("Accept", "application/json")
        .post(RequestBody.create(bytes, JSON))
        .build();
  }

  /**
   * Sends {@code request} with the retry policy and maps each whole answer with {@code handler}
   * (which throws {@link OpenAvatharException}s for answers it refuses). Transient failures are
   * retried; the future fails with the last.
   */
  <T> CompletableFuture<T> call(String operation, Request request, Function<Reply, T> handler) {
    if (closed) {
      return CompletableFuture.failedFuture(
          new OpenAvatharException("This license client is closed; build a new one."));
    }
    return retries.execute(
        "license " + operation,
        scheduler,
        () ->
            exchange(operation, request)
                .thenApply(
                    reply -> {
                      failIfTransient(operation, reply);
                      return handler.apply(reply);
                    }));
  }

  /**
   * Refuses calls from now on (the client shuts down its own HTTP client and scheduler after this).
   */
  void close() {
    closed = true;
  }

  private CompletableFuture<Reply> exchange(String operation, Request request) {
    CompletableFuture<Reply> f = new CompletableFuture<>();
    http.newCall(request)
        .enqueue(
            new Callback() {
              @Override
              public void onFailure(Call c, IOException e) {
                LOG.debug("License {} failed: {}", operation, e.toString());
                f.completeExceptionally(
                    new RemoteUnavailableException(
                        "Could not reach the license server at "
                            + base()
                            + " for "
                            + operation
                            + ": "
                            + describe(e)
                            + ". Check the network and ",
                        Setting.LICENSE_URL,
                        ".",
                        e));
              }

              @Override
              public void onResponse(Call c, Response response) {
                try (response) {
                  String body = response.body().string();
                  LOG.debug("License {} -> HTTP {}", operation, response.code());
                  f.complete(
                      new Reply(
                          response.code(), body, parse(body), response.header("Retry-After")));
                } catch (IOException e) {
                  f.completeExceptionally(
                      new RemoteUnavailableException(
                          "The connection to the license server broke "
                              + "while reading the answer to "
                              + operation
                              + ": "
                              + describe(e)
                              + ".",
                          e));
                }
              }
            });
    return f;
  }

  private void failIfTransient(String operation, Reply reply) {
    int code = reply.code();
    if (code == 408 || code == 429 || code == 502 || code == 503 || code == 504) {
      throw new RemoteUnavailableException(
          "The license server could not serve "
              + operation
              + " right now (HTTP "
              + code
              + ": "
              + snippet(reply.detail())
              + ").",
          null,
          RetryAfter.parse(reply.retryAfter(), clock));
    }
  }

  /** The failure for an answer the operation does not expect: any status but the transient ones. */
  OpenAvatharException unexpected(String operation, Reply reply) {
    int code = reply.code();
    if (code == 404 && reply.json().isEmpty()) {
      return new OpenAvatharException(
          "There is no license API at " + base() + " (HTTP 404 for " + operation + "). Check ",
          Setting.LICENSE_URL,
          ": it is the license server's root, without /api.",
          null);
    }
    if (code == 400) {
      return new OpenAvatharException(
          "The license server refused "
              + operation
              + " as malformed (HTTP 400: "
              + snippet(reply.detail())
              + "). This is a bug in OpenAvathar or the server; please report it.");
    }
    return new OpenAvatharException(
        "The license server answered "
            + operation
            + " with HTTP "
            + code
            + ": '"
            + snippet(reply.detail())
            + "'. If this persists, contact the license server's operator.");
  }

  static Optional<JsonNode> parse(String body) {
    try {
      JsonNode node = Json.mapper().readTree(body);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** {@code text} with anything shaped like a license key masked. */
  static String scrub(String text) {
    return KEY_LIKE.matcher(text).replaceAll("OAVR-****");
  }

  static String snippet(String text) {
    String flat = text.replaceAll("\\s+", " ").trim();
    return flat.length() <= SNIPPET_CHARS ? flat : flat.substring(0, SNIPPET_CHARS) + "...";
  }

  static String describe(IOException e) {
    if (e instanceof ConnectException) {
      return "connection refused";
    } else if (e instanceof UnknownHostException) {
      return "unknown host";
    } else if (e instanceof InterruptedIOException) {
      return "timed out";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /**
   * The base URL as an {@link HttpUrl} without trailing slash; fails on anything but http(s)
   * without query.
   */
  static HttpUrl root(URI baseUrl) {
    String s = baseUrl.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    HttpUrl url = HttpUrl.parse(s);
    if (url == null || url.query() != null || url.fragment() != null) {
      throw new IllegalArgumentException(
          "baseUrl must be an http(s) URL without query, like "
              + "https://license.example.workers.dev, was "
              + baseUrl.getScheme()
              + "://"
              + baseUrl.getHost()
              + baseUrl.getRawPath());
    }
    return url;
  }
}
