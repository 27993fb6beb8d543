package io.openavathar.testkit.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * One request as a route sees it: method, route path below prefix and {@code /api}, query, body.
 */
final class Exchange {

  private final Request request;
  private final String route;
  private final Fields query;

  Exchange(Request request, String route) {
    this.request = request;
    this.route = route;
    this.query = Request.extractQueryParameters(request);
  }

  Request request() {
    return request;
  }

  String method() {
    return request.getMethod();
  }

  String route() {
    return route;
  }

  /** A query parameter, or null. */
  String query(String name) {
    return query.getValue(name);
  }

  boolean hasQuery(String name) {
    return query.get(name) != null;
  }

  InputStream body() {
    return Request.asInputStream(request);
  }

  byte[] bodyBytes() throws IOException {
    try (InputStream in = body()) {
      return in.readAllBytes();
    }
  }

  /**
   * The body as JSON, for handlers that call {@code await request.json()}; a bad body throws
   * (giving 500).
   */
  JsonNode bodyJson() throws IOException {
    return Json.parse(bodyBytes());
  }
}
