package io.openavathar.license.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests to the endpoints and turns anything a client can send into a 4xx: bodies are capped at 64 KiB,
 * malformed JSON is a 400, and validate/activate are rate-limited per client address.
 */
final class LicenseHandler extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(LicenseHandler.class);
  static final int MAX_BODY_BYTES = 64 * 1024;
  private static final HttpField JSON = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");
  private static final HttpField TEXT = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
  private static final HttpField ALLOW_ORIGIN =
      new PreEncodedHttpField(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
  private static final HttpField ALLOW_METHODS =
      new PreEncodedHttpField(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS");
  private static final HttpField ALLOW_HEADERS =
      new PreEncodedHttpField(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type");

  private final LicenseApi api;
  private final GumroadWebhook webhook;
  private final RateLimiter limiter;

  /** The body could not be read within the limits. */
  private static final class BodyException extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Reply reply;

    BodyException(Reply reply) {
      super(null, null, false, false);
      this.reply = reply;
    }
  }

  LicenseHandler(LicenseApi api, GumroadWebhook webhook, RateLimiter limiter) {
    this.api = api;
    this.webhook = webhook;
    this.limiter = limiter;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Reply reply;
    try {
      reply = route(request);
    } catch (BodyException e) {
      reply = e.reply;
    } catch (RuntimeException | IOException e) {
      log.debug("Request {} {} failed: {}", request.getMethod(), request.getHttpURI().getPath(), e.toString(), e);
      reply = Reply.json(503, "error", "The license server could not complete the request; try again shortly.");
    }
    send(response, reply, callback);
    return true;
  }

  private Reply route(Request request) throws BodyException, IOException {
    String method = request.getMethod();
    String path = request.getHttpURI().getPath();
    if ("OPTIONS".equals(method)) {
      return new Reply(204, false, new byte[0], true, 0);
    }
    boolean get = "GET".equals(method);
    boolean post = "POST".equals(method);
    switch (path) {
      case "/api/generation/check":
        return get ? api.check(queryParameter(request.getHttpURI().getQuery(), "fingerprint")) : Reply.NOT_FOUND;
      case "/api/generation/track":
        return post ? api.track(json(request, "error")) : Reply.NOT_FOUND;
      case "/api/license/validate":
        return post ? limited(request, "valid", () -> api.validate(json(request, "valid"))) : Reply.NOT_FOUND;
      case "/api/license/activate":
        return post ? limited(request, "success", () -> api.activate(json(request, "success"))) : Reply.NOT_FOUND;
      case "/api/license/deactivate":
        return post ? limited(request, "success", () -> api.deactivate(json(request, "success"))) : Reply.NOT_FOUND;
      case "/api/gumroad/webhook":
        if (!post) {
          return Reply.NOT_FOUND;
        }
        byte[] body;
        try {
          body = body(request);
        } catch (BodyException e) {
          return Reply.text(e.reply.status(), e.reply.status() == 413 ? "Payload Too Large" : "Bad Request", false);
        }
        return webhook.handle(body, request.getHeaders().get(HttpHeader.CONTENT_TYPE),
            request.getHeaders().get("X-Gumroad-Signature"));
      default:
        return Reply.NOT_FOUND;
    }
  }

  private interface Endpoint {
    Reply answer() throws BodyException, IOException;
  }

  private Reply limited(Request request, String flag, Endpoint endpoint) throws BodyException, IOException {
    long retryAfter = limiter.acquire(Request.getRemoteAddr(request));
    if (retryAfter > 0) {
      return Reply.json(429, flag, false, "error", "Too many requests; try again in " + retryAfter + " s")
          .withRetryAfter(retryAfter);
    }
    return endpoint.answer();
  }

  /** The body as a JSON object; a 400 naming the problem if it is not one (with the endpoint's flag false). */
  private static JsonNode json(Request request, String flag) throws BodyException, IOException {
    byte[] body = body(request);
    try {
      JsonNode node = Reply.MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw new BodyException(error(400, flag, "The request body must be a JSON object"));
      }
      return node;
    } catch (JacksonException e) {
      throw new BodyException(error(400, flag, "Malformed JSON: " + e.getOriginalMessage()));
    }
  }

  private static Reply error(int status, String flag, String message) {
    return "error".equals(flag) ? Reply.json(status, "error", message) : Reply.json(status, flag, false, "error",
        message);
  }

  /** Reads at most {@link #MAX_BODY_BYTES}; more is a 413, whatever the declared length. */
  private static byte[] body(Request request) throws BodyException, IOException {
    long declared = request.getLength();
    if (declared > MAX_BODY_BYTES) {
      throw new BodyException(Reply.json(413, "error", "The request body is larger than 64 KiB"));
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        throw new BodyException(Reply.json(413, "error", "The request body is larger than 64 KiB"));
      }
      return bytes;
    }
  }

  /** The first value of a query parameter, decoded, or null. No allocation beyond the value itself. */
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
      if (query.startsWith(name, start) && start + name.length() < end && query.charAt(start + name.length()) == '=') {
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
