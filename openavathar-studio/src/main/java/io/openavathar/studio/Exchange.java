package io.openavathar.studio;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One API call: the request, its path split at slashes after {@code /api/}, and the means to answer
 * it.
 */
record Exchange(Request request, Response response, Callback callback, List<String> path) {
  /** The largest JSON body the API reads (settings, ids): small. */
  static final int MAX_JSON_BYTES = 64 * 1024;

  String method() {
    return request.getMethod();
  }

  boolean is(String method, String... segments) {
    return method().equals(method) && path.size() == segments.length && matches(segments);
  }

  private boolean matches(String[] segments) {
    for (int i = 0; i < segments.length; i++) {
      if (!segments[i].equals("*") && !segments[i].equals(path.get(i))) {
        return false;
      }
    }
    return true;
  }

  String segment(int i) {
    return path.get(i);
  }

  String query(String name) {
    return Request.extractQueryParameters(request).getValue(name);
  }

  JsonNode json() throws IOException {
    long length = request.getLength();
    if (length > MAX_JSON_BYTES) {
      throw new InvalidInputException("The request is too large.");
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] body = in.readNBytes(MAX_JSON_BYTES + 1);
      if (body.length > MAX_JSON_BYTES) {
        throw new InvalidInputException("The request is too large.");
      }
      return body.length == 0 ? Http.JSON.createObjectNode() : Http.JSON.readTree(body);
    }
  }

  InputStream body() {
    return Content.Source.asInputStream(request);
  }

  void json(int status, Object body) {
    Http.json(response, callback, status, body);
  }

  void ok(Object body) {
    json(200, body);
  }
}
