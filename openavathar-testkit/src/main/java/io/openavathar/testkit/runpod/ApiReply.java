package io.openavathar.testkit.runpod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What an endpoint answers: a status, headers, and a small body or a writer for a streamed (or
 * withheld) body.
 */
final class ApiReply {

  /** Writes the body and completes the callback. */
  interface BodyWriter {
    void write(Request request, Response response, Callback callback) throws Exception;
  }

  private final int status;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final byte[] body;
  private final BodyWriter writer;

  private ApiReply(int status, byte[] body, BodyWriter writer) {
    this.status = status;
    this.body = body;
    this.writer = writer;
  }

  static ApiReply empty(int status) {
    return new ApiReply(status, new byte[0], null);
  }

  static ApiReply json(int status, JsonNode json) {
    return new ApiReply(status, Json.write(json).getBytes(StandardCharsets.UTF_8), null)
        .header("Content-Type", "application/json");
  }

  static ApiReply text(int status, String contentType, String text) {
    return new ApiReply(status, text.getBytes(StandardCharsets.UTF_8), null)
        .header("Content-Type", contentType);
  }

  /** An RFC 9457 problem ({@code ErrorResponse}) with the standard title for the status. */
  static ApiReply problem(int status, String detail) {
    return problem(status, detail, List.of());
  }

  /** A problem listing validation failures in {@code errors}. */
  static ApiReply problem(int status, String detail, List<String> errors) {
    ObjectNode json = Json.object();
    json.put("title", HttpStatus.getMessage(status));
    json.put("status", status);
    json.put("detail", detail);
    if (!errors.isEmpty()) {
      ArrayNode list = json.putArray("errors");
      errors.forEach(list::add);
    }
    return new ApiReply(status, Json.write(json).getBytes(StandardCharsets.UTF_8), null)
        .header("Content-Type", "application/problem+json");
  }

  /** A reply whose writer decides the body, and may delay it or drop the connection instead. */
  static ApiReply streamed(int status, BodyWriter writer) {
    return new ApiReply(status, null, writer);
  }

  ApiReply header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  int status() {
    return status;
  }

  /** A copy of this reply's status, headers and body, written by {@code writer} instead. */
  ApiReply withWriter(BodyWriter replacement) {
    ApiReply copy = new ApiReply(status, body, replacement);
    copy.headers.putAll(headers);
    return copy;
  }

  /** Writes the buffered body; for replies built with a writer, only the status and headers. */
  void sendBuffered(Response response, Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  void send(Request request, Response response, Callback callback) throws Exception {
    response.setStatus(status);
    headers.forEach((name, value) -> response.getHeaders().put(name, value));
    if (writer != null) {
      writer.write(request, response, callback);
      return;
    }
    sendBuffered(response, callback);
  }
}
