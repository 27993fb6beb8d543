package io.openavathar.license.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests to the endpoints and turns anything a client can send into a 4xx: bodies are read
 * without holding a thread and capped at 64 KiB, malformed JSON or HTTP framing is a 400,
 * validate/activate/deactivate are rate-limited per client address, and check/track per address and
 * per device ({@link GenerationLimits}).
 */
final class LicenseHandler extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(LicenseHandler.class);
  static final int MAX_BODY_BYTES = 64 * 1024;
  private static final HttpField JSON =
      new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");
  private static final HttpField TEXT =
      new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
  // Not Jetty's CrossOriginHandler: the protocol puts these exact headers (origin "*") on every
  // answer but the
  // webhook's, with or without an Origin header, and answers OPTIONS on any path; that handler adds
  // headers only to
  // requests with an Origin, echoes the origin, names the methods only in preflights and covers the
  // webhook too.
  private static final HttpField ALLOW_ORIGIN =
      new PreEncodedHttpField(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
  private static final HttpField ALLOW_METHODS =
      new PreEncodedHttpField(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS");
  private static final HttpField ALLOW_HEADERS =
      new PreEncodedHttpField(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type");

  private final LicenseApi api;
  private final GumroadWebhook webhook;
  private final RateLimiter limiter;
  private final GenerationLimits generationLimits;
  private final long bodyTimeoutMillis;

  /** The body could not be read within the limits, or is not what the endpoint needs. */
  private static final class BodyException extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Reply reply;

    BodyException(Reply reply) {
      super(null, null, false, false);
      this.reply = reply;
    }
  }

  /** An endpoint's answer to a request body. */
  private interface BodyEndpoint {
    Reply answer(byte[] body) throws BodyException;
  }

  /**
   * @param bodyTimeoutMillis how long after its headers a request body must have arrived in full
   */
  LicenseHandler(
      LicenseApi api,
      GumroadWebhook webhook,
      RateLimiter limiter,
      GenerationLimits generationLimits,
      long bodyTimeoutMillis) {
    this.api = api;
    this.webhook = webhook;
    this.limiter = limiter;
    this.generationLimits = generationLimits;
    this.bodyTimeoutMillis = bodyTimeoutMillis;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Reply reply;
    try {
      reply = route(request, response, callback);
    } catch (RuntimeException e) {
      reply = failed(request, e);
    }
    if (reply != null) {
      send(response, reply, callback);
    }
    return true;
  }

  /** The answer, or null when it is sent later, once the request body has arrived. */
  private Reply route(Request request, Response response, Callback callback) {
    String method = request.getMethod();
    String path = request.getHttpURI().getPath();
    if ("OPTIONS".equals(method)) {
      return new Reply(204, false, new byte[0], true, 0);
    }
    boolean get = "GET".equals(method);
    boolean post = "POST".equals(method);
    switch (path) {
      case "/api/generation/check":
        return get ? check(request) : Reply.NOT_FOUND;
      case "/api/generation/track":
        return post ? track(request, response, callback) : Reply.NOT_FOUND;
      case "/api/license/validate":
        return post
            ? limited(
                request,
                "valid",
                () ->
                    withBody(
                        request,
                        response,
                        callback,
                        "valid",
                        body -> api.validate(json(body, "valid"))))
            : Reply.NOT_FOUND;
      case "/api/license/activate":
        return post
            ? limited(
                request,
                "success",
                () ->
                    withBody(
                        request,
                        response,
                        callback,
                        "success",
                        body -> api.activate(json(body, "success"))))
            : Reply.NOT_FOUND;
      case "/api/license/deactivate":
        return post
            ? limited(
                request,
                "success",
                () ->
                    withBody(
                        request,
                        response,
                        callback,
                        "success",
                        body -> api.deactivate(json(body, "success"))))
            : Reply.NOT_FOUND;
      case "/api/gumroad/webhook":
        return post
            ? withBody(
                request,
                response,
                callback,
                null,
                body ->
                    webhook.handle(
                        body,
                        request.getHeaders().get(HttpHeader.CONTENT_TYPE),
                        request.getHeaders().get("X-Gumroad-Signature")))
            : Reply.NOT_FOUND;
      default:
        return Reply.NOT_FOUND;
    }
  }

  private Reply check(Request request) {
    String raw = queryParameter(request.getHttpURI().getQuery(), "fingerprint");
    Reply limited =
        generationLimits.check(Request.getRemoteAddr(request), LicenseApi.fingerprint(raw));
    return limited != null ? limited : api.check(raw);
  }

  private Reply track(Request request, Response response, Callback callback) {
    String address = Request.getRemoteAddr(request);
    Reply limited = generationLimits.trackFrom(address);
    if (limited != null) {
      return limited;
    }
    return withBody(
        request,
        response,
        callback,
        "error",
        body -> {
          JsonNode json = json(body, "error");
          JsonNode field = json.get("fingerprint");
          String fingerprint =
              field != null && field.isTextual() ? LicenseApi.fingerprint(field.asText()) : null;
          Reply deviceLimited =
              fingerprint == null ? null : generationLimits.track(address, fingerprint);
          return deviceLimited != null ? deviceLimited : api.track(json);
        });
  }

  private interface Endpoint {
    Reply answer();
  }

  private Reply limited(Request request, String flag, Endpoint endpoint) {
    long retryAfter = limiter.acquire(Request.getRemoteAddr(request));
    if (retryAfter > 0) {
      return Reply.json(
              429, flag, false, "error", "Too many requests; try again in " + retryAfter + " s")
          .withRetryAfter(retryAfter);
    }
    return endpoint.answer();
  }

  /**
   * Reads the body (at most {@link #MAX_BODY_BYTES}) without holding a thread while it arrives, so
   * slow clients cannot starve the pool, then sends the endpoint's answer. Answers null (sent
   * later) or, at once, a 413 for a declared length over the cap.
   *
   * @param flag the endpoint's error flag ({@code valid}, {@code success} or {@code error}); null
   *     for the webhook, whose errors are plain text
   */
  private Reply withBody(
      Request request, Response response, Callback callback, String flag, BodyEndpoint endpoint) {
    if (request.getLength() > MAX_BODY_BYTES) {
      return tooLarge(flag);
    }
    // Jetty 12.1 no longer enforces a minimum request data rate: a deadline for the whole body
    // stops a trickle.
    Scheduler.Task deadline =
        request
            .getComponents()
            .getScheduler()
            .schedule(
                () ->
                    request.fail(
                        new TimeoutException(
                            "request body incomplete after " + bodyTimeoutMillis + " ms")),
                bodyTimeoutMillis,
                TimeUnit.MILLISECONDS);
    Content.Source.asByteArrayAsync(
        request,
        MAX_BODY_BYTES,
        Promise.Invocable.from(
            InvocationType.BLOCKING,
            (body, failure) -> {
              deadline.cancel();
              Reply reply;
              try {
                reply =
                    failure == null ? endpoint.answer(body) : unreadable(request, failure, flag);
              } catch (BodyException e) {
                reply = e.reply;
              } catch (RuntimeException e) {
                reply = failed(request, e);
              }
              send(response, reply, callback);
            }));
    return null;
  }

  /**
   * The answer to a body that could not be read: malformed framing, too slow, too large or cut off.
   */
  private static Reply unreadable(Request request, Throwable failure, String flag) {
    log.debug(
        "Reading the body of {} {} failed: {}",
        request.getMethod(),
        request.getHttpURI().getPath(),
        failure.toString());
    int status =
        failure instanceof HttpException h
            ? h.getCode()
            : failure instanceof TimeoutException
                ? 408
                : failure instanceof IllegalStateException
                    ? 413 // asByteArrayAsync's "Max size exceeded" (tested)
                    : 400;
    if (status == 413) {
      return tooLarge(flag);
    }
    if (status == 408) {
      return flag == null
          ? Reply.text(408, "Request Timeout", false)
          : error(408, flag, "The request body arrived too slowly; send it at once");
    }
    return flag == null
        ? Reply.text(400, "Bad Request", false)
        : error(400, flag, "The request body could not be read: malformed or cut off");
  }

  private static Reply tooLarge(String flag) {
    return flag == null
        ? Reply.text(413, "Payload Too Large", false)
        : error(413, flag, "The request body is larger than 64 KiB");
  }

  private static Reply failed(Request request, RuntimeException e) {
    log.debug(
        "Request {} {} failed: {}",
        request.getMethod(),
        request.getHttpURI().getPath(),
        e.toString(),
        e);
    return Reply.json(
        503, "error", "The license server could not complete the request; try again shortly.");
  }

  /**
   * The body as a JSON object; a 400 naming the problem if it is not one (with the endpoint's flag
   * false).
   */
  private static JsonNode json(byte[] body, String flag) throws BodyException {
    try {
      JsonNode node = Reply.MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw new BodyException(error(400, flag, "The request body must be a JSON object"));
      }
      return node;
    } catch (JacksonException e) {
      throw new BodyException(error(400, flag, "Malformed JSON: " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new BodyException(error(400, flag, "Malformed JSON: " + e.getMessage()));
    }
  }

  private static Reply error(int status, String flag, String message) {
    return "error".equals(flag)
        ? Reply.json(status, "error", message)
        : Reply.json(status, flag, false, "error", message);
  }

  /**
   * The first value of a query parameter, decoded, or null. No allocation beyond the value itself.
   */
  static String queryParameter(String query, String name) {
    if (query == null) {
      return null;
    }
    int start = 0;
    while (start <= query.length()) {
      int end = query.indexOf('&', start);
      if (end < 0) {
        end = query.length();
      }
      if (query.startsWith(name, start)
          && start + name.length() < end
          && query.charAt(start + name.length()) == '=') {
        String raw = query.substring(start + name.length() + 1, end);
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
          return raw;
        }
        try {
          return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          return null;
        }
      }
      start = end + 1;
    }
    return null;
  }

  private static void send(Response response, Reply reply, Callback callback) {
    response.setStatus(reply.status());
    HttpFields.Mutable headers = response.getHeaders();
    if (reply.body().length > 0) {
      headers.put(reply.json() ? JSON : TEXT);
    }
    if (reply.cors()) {
      headers.put(ALLOW_ORIGIN);
      headers.put(ALLOW_METHODS);
      headers.put(ALLOW_HEADERS);
    }
    if (reply.retryAfterSeconds() > 0) {
      headers.put(HttpHeader.RETRY_AFTER, Long.toString(reply.retryAfterSeconds()));
    }
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
  }
}
