package io.openavathar.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Reads {@code GET /queue} (reference §2.6). Each item is the positional array {@code [number,
 * prompt_id, graph, extra_data, outputs, ...]}; only positions 0 and 1 are read. Pending items come
 * in heap order, so they are sorted by number (an int counter, or the float a client sent).
 */
final class QueueParser {
  private QueueParser() {}

  static QueueSnapshot parse(JsonNode root) {
    List<JsonNode> pending = new ArrayList<>();
    root.path("queue_pending").forEach(pending::add);
    pending.sort(Comparator.comparingDouble(item -> item.path(0).asDouble(Double.MAX_VALUE)));
    return new QueueSnapshot(ids(root.path("queue_running")), ids(pending));
  }

  /** The queue number of {@code promptId} if it is running or pending. */
  static OptionalDouble numberOf(JsonNode root, String promptId) {
    for (String list : List.of("queue_running", "queue_pending")) {
      for (JsonNode item : root.path(list)) {
        if (promptId.equals(item.path(1).asText(null))) {
          JsonNode number = item.path(0);
          return number.isNumber() ? OptionalDouble.of(number.asDouble()) : OptionalDouble.of(-1);
        }
      }
    }
    return OptionalDouble.empty();
  }

  private static List<String> ids(Iterable<JsonNode> items) {
    List<String> ids = new ArrayList<>();
    for (JsonNode item : items) {
      JsonNode id = item.path(1);
      if (id.isTextual()) {
        ids.add(id.asText());
      }
    }
    return ids;
  }
}
