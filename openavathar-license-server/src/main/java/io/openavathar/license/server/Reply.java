package io.openavathar.license.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP answer: status, body and whether it carries CORS headers.
 *
 * @param retryAfterSeconds the {@code Retry-After} value, or 0 for none
 */
record Reply(int status, boolean json, byte[] body, boolean cors, long retryAfterSeconds) {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final Reply NOT_FOUND = text(404, "Not Found", true);

  static Reply text(int status, String body, boolean cors) {
    return new Reply(status, false, body.getBytes(StandardCharsets.UTF_8), cors, 0);
  }

  /** A JSON object of alternating names and values, in that order. */
  static Reply json(int status, Object... namesAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    try {
      return new Reply(status, true, MAPPER.writeValueAsBytes(map), true, 0);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a reply of plain values could not be written as JSON", e);
    }
  }

  Reply withRetryAfter(long seconds) {
    return new Reply(status, json, body, cors, seconds);
  }
}
