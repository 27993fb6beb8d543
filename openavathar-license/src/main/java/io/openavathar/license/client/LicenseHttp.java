package io.openavathar.license.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.OpenAvatharException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.Setting;
import io.openavathar.internal.Json;
import io.openavathar.internal.Retries;
import io.openavathar.internal.http.Answer;
import io.openavathar.internal.http.ErrorMapper;
import io.openavathar.internal.http.HttpCore;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * The HTTP core under {@link HttpLicenseClient}: the transient failures (connection errors, 408,
 * 429, 502, 503, 504) as retryable {@link RemoteUnavailableException}s; everything else an answer
 * says is judged by the caller from a {@link Reply}. Nothing it says quotes a license key.
 * Thread-safe.
 */
final class LicenseHttp extends HttpCore {
  /** Anything shaped like a license key, with or without dashes, any case. */
  private static final Pattern KEY_LIKE = Pattern.compile("(?i)OAVR(?:[-\\s]?[A-Z0-9]{4}){3,4}");

  /** A whole answer and its body as JSON, if it is a JSON object. */
  record Reply(Answer answer, Optional<JsonNode> json) {
    /** The HTTP status. */
    int code() {
      return answer.code();
    }

    /**
     * The body for a message: the JSON {@code error} if there is one, else the body, keys masked.
     */
    String detail() {
      return scrub(
          json.map(n -> n.get("error"))
              .filter(JsonNode::isValueNode)
              .map(JsonNode::asText)
              .orElse(answer.body().isBlank() ? "empty body" : answer.body()));
    }
  }

  LicenseHttp(
      OkHttpClient http,
      HttpUrl root,
      Clock clock,
      Retries retries,
      ScheduledExecutorService scheduler) {
    super(http, root, clock, retries, scheduler, new Errors(root.toString()));
  }

  /** The base URL, for messages. */
  String base() {
    return url().toString();
  }

  /**
   * The URL of {@code path} (slash-separated segments) below the base URL, with query parameters.
   */
  HttpUrl url(String path, Map<String, String> query) {
    HttpUrl.Builder b = url(path.split("/")).newBuilder();
    query.forEach(b::addQueryParameter);
    return b.build();
  }

  /**
   * Sends {@code request} with the retry policy and maps each whole answer with {@code handler}
   * (which throws {@link OpenAvatharException}s for answers it refuses). Transient failures are
   * retried; the future fails with the last.
   */
  <T> CompletableFuture<T> call(String operation, Request request, Function<Reply, T> handler) {
    return retried(
        operation,
        until ->
            exchange(
                operation,
                request,
                until,
                response -> {
                  String body = response.body().string();
                  Reply reply = new Reply(answer(response, body), parse(body));
                  if (isTransient(reply.code())) {
                    throw unexpected(operation, reply);
                  }
                  return handler.apply(reply);
                }));
  }

  /** The failure for an answer the operation does not expect. */
  OpenAvatharException unexpected(String operation, Reply reply) {
    return errors().status(operation, reply.answer());
  }

  private static boolean isTransient(int code) {
    return code == 408 || code == 429 || code == 502 || code == 503 || code == 504;
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

  /**
   * The base URL as an {@link HttpUrl} without trailing slash; fails on anything but http(s)
   * without query.
   */
  static HttpUrl root(URI baseUrl) {
    return root(baseUrl, "baseUrl", "https://license.example.workers.dev");
  }

  /** The license server's failures, each naming the server at {@code base}. */
  private record Errors(String base) implements ErrorMapper {
    @Override
    public String service() {
      return "license server";
    }

    @Override
    public OpenAvatharException status(String operation, Answer answer) {
      int code = answer.code();
      Reply reply = new Reply(answer, parse(answer.body()));
      if (isTransient(code)) {
        return new RemoteUnavailableException(
            "The license server could not serve "
                + operation
                + " right now (HTTP "
                + code
                + ": "
                + snippet(reply.detail())
                + ").",
            null,
            answer.retryAfter());
      }
      if (code == 404 && reply.json().isEmpty()) {
        return new OpenAvatharException(
            "There is no license API at " + base + " (HTTP 404 for " + operation + "). Check ",
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

    @Override
    public OpenAvatharException notJson(String operation, Answer answer, Throwable cause) {
      return status(operation, answer);
    }

    @Override
    public OpenAvatharException unreachable(String operation, Request request, IOException e) {
      return new RemoteUnavailableException(
          "Could not reach the license server at "
              + base
              + " for "
              + operation
              + ": "
              + describe(e)
              + ". Check the network and ",
          Setting.LICENSE_URL,
          ".",
          e);
    }

    @Override
    public OpenAvatharException broken(String operation, Request request, IOException e) {
      return new RemoteUnavailableException(
          "The connection to the license server broke while reading the answer to "
              + operation
              + ": "
              + describe(e)
              + ".",
          e);
    }

    @Override
    public OpenAvatharException closed(String operation, boolean inFlight) {
      return new OpenAvatharException("This license client is closed; build a new one.");
    }
  }
}
