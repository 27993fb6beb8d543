package io.openavathar.testkit.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What a route answers: a status, headers, and either a small body or a body writer for streamed
 * files.
 */
final class Reply {

  /** Writes a streamed body and completes the callback. */
  interface BodyWriter {
    void write(Request request, Response response, Callback callback) throws Exception;
  }

  private final int status;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final byte[] body;
  private final BodyWriter writer;

  private Reply(int status, byte[] body, BodyWriter writer) {
    this.status = status;
    this.body = body;
    this.writer = writer;
  }

  /** A status with an empty body, as most aiohttp error answers in ComfyUI are. */
  static Reply empty(int status) {
    return new Reply(status, new byte[0], null);
  }

  static Reply json(int status, JsonNode json) {
    return new Reply(status, Json.bytes(json), null)
        .header("Content-Type", "application/json; charset=utf-8");
  }

  static Reply json(JsonNode json) {
    return json(200, json);
  }

  static Reply streamed(int status, BodyWriter writer) {
    return new Reply(status, null, writer);
  }

  Reply header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  int status() {
    return status;
  }

  void send(Request request, Response response, Callback callback) throws Exception {
    response.setStatus(status);
    headers.forEach((name, value) -> response.getHeaders().put(name, value));
    if (writer != null) {
      writer.write(request, response, callback);
      return;
    }
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
