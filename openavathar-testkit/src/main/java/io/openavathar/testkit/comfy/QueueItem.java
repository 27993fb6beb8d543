package io.openavathar.testkit.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;

/**
 * One queued prompt: ComfyUI's positional tuple {@code [number, prompt_id, prompt, extra_data,
 * outputs]}.
 *
 * @param number the queue number: a {@code Long} from the server's counter or the {@code Double}
 *     the client sent
 * @param seq insertion order, to break ties the way a stable heap would
 */
record QueueItem(
    Number number,
    String promptId,
    ObjectNode graph,
    ObjectNode extraData,
    List<String> outputs,
    long seq) {

  /** Lower number first, then prompt id, then insertion order (Python compares the tuples). */
  static final Comparator<QueueItem> ORDER =
      Comparator.<QueueItem>comparingDouble(item -> item.number().doubleValue())
          .thenComparing(QueueItem::promptId)
          .thenComparingLong(QueueItem::seq);

  /** The owner's client id from {@code extra_data.client_id}, or null. */
  String clientId() {
    JsonNode clientId = extraData.get("client_id");
    return clientId != null && clientId.isTextual() ? clientId.asText() : null;
  }

  ArrayNode toJson() {
    ArrayNode array = Json.array();
    if (number instanceof Double) {
      array.add(number.doubleValue());
    } else {
      array.add(number.longValue());
    }
    array.add(promptId);
    array.add(graph.deepCopy());
    array.add(extraData.deepCopy());
    ArrayNode outputsJson = array.addArray();
    outputs.forEach(outputsJson::add);
    return array;
  }
}
