package io.openavathar.comfy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.openavathar.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okio.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns ComfyUI WebSocket frames into {@link ComfyEvent}s. Never throws: a frame it cannot read
 * (bad JSON, a known type without its required fields) is logged at DEBUG and skipped. Unknown
 * types become {@link ComfyEvent.Unknown}. Node ids are strings on the wire; numbers (seen on odd
 * servers) are accepted and converted.
 *
 * <p>Why Jackson's tree and not polymorphic data binding ({@code @JsonTypeInfo} on {@code type}): a
 * frame must never throw and a known type without its required fields is skipped, not an error;
 * node ids arrive as strings or numbers; unknown types keep their raw data. With binding each rule
 * becomes a custom deserializer or a post-check of the bound record, so the decoder would not get
 * shorter.
 */
final class ComfyEventDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(ComfyEventDecoder.class);

  private ComfyEventDecoder() {}

  /** Decodes one text frame, or returns empty for a frame to skip. */
  static Optional<ComfyEvent> decode(String text) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(text);
    } catch (JsonProcessingException | RuntimeException e) {
      LOG.debug(
          "Skipped a WebSocket text frame that is not JSON [length={}]: {}",
          text.length(),
          e.getMessage());
      return Optional.empty();
    }
    if (root == null || !root.isObject() || !root.path("type").isTextual()) {
      LOG.debug(
          "Skipped a WebSocket text frame without a string 'type' [frame={}]", abbreviate(text));
      return Optional.empty();
    }
    String type = root.get("type").asText();
    JsonNode data = root.path("data");
    try {
      Optional<ComfyEvent> event = decode(type, data);
      if (event.isEmpty()) {
        LOG.debug(
            "Skipped a '{}' message that lacks a required field [frame={}]",
            type,
            abbreviate(text));
      }
      return event;
    } catch (RuntimeException e) {
      LOG.debug(
          "Skipped a '{}' message that could not be read [frame={}]", type, abbreviate(text), e);
      return Optional.empty();
    }
  }

  /**
   * Describes a binary frame (previews, streamed text) for logging; binary frames carry no events
   * the SDK uses. Safe for frames of any length.
   */
  static String describeBinary(ByteString bytes) {
    if (bytes.size() < 4) {
      return "binary frame of " + bytes.size() + " bytes (too short for an event type)";
    }
    long eventType = 0;
    for (int i = 0; i < 4; i++) {
      eventType = (eventType << 8) | (bytes.getByte(i) & 0xFFL);
    }
    return "binary frame of " + bytes.size() + " bytes, event type " + eventType;
  }

  private static Optional<ComfyEvent> decode(String type, JsonNode data) {
    if (!data.isObject()) {
      return known(type)
          ? Optional.empty()
          : Optional.of(new ComfyEvent.Unknown(type, nullIfMissing(data)));
    }
    switch (type) {
      case "status":
        return status(data);
      case "execution_start":
        return text(data, "prompt_id").map(ComfyEvent.ExecutionStart::new);
      case "execution_cached":
        return executionCached(data);
      case "executing":
        return Optional.of(
            new ComfyEvent.Executing(text(data, "prompt_id"), nodeId(data.path("node"))));
      case "progress":
        return progress(data);
      case "executed":
        return executed(data);
      case "progress_state":
        return progressState(data);
      case "execution_success":
        return text(data, "prompt_id").map(ComfyEvent.ExecutionSuccess::new);
      case "execution_error":
        return executionError(data).map(ComfyEvent.class::cast);
      case "execution_interrupted":
        return text(data, "prompt_id")
            .map(id -> new ComfyEvent.ExecutionInterrupted(id, nodeId(data.path("node_id"))));
      default:
        return Optional.of(new ComfyEvent.Unknown(type, data));
    }
  }

  /**
   * Reads the data of an {@code execution_error} message (also found in history status messages).
   * Requires {@code prompt_id}; descriptive fields that are absent become empty strings, so that an
   * error is never dropped.
   */
  static Optional<ComfyEvent.ExecutionError> executionError(JsonNode data) {
    return text(data, "prompt_id")
        .map(
            id ->
                new ComfyEvent.ExecutionError(
                    id,
                    nodeId(data.path("node_id")).orElse(""),
                    data.path("node_type").asText(""),
                    data.path("exception_type").asText(""),
                    data.path("exception_message").asText("")));
  }

  private static boolean known(String type) {
    switch (type) {
      case "status":
      case "execution_start":
      case "execution_cached":
      case "executing":
      case "progress":
      case "executed":
      case "progress_state":
      case "execution_success":
      case "execution_error":
      case "execution_interrupted":
        return true;
      default:
        return false;
    }
  }

  private static Optional<ComfyEvent> status(JsonNode data) {
    JsonNode remaining = data.path("status").path("exec_info").path("queue_remaining");
    if (!remaining.isNumber()) {
      return Optional.empty();
    }
    return Optional.of(new ComfyEvent.Status(remaining.asInt(), text(data, "sid")));
  }

  private static Optional<ComfyEvent> executionCached(JsonNode data) {
    Optional<String> id = text(data, "prompt_id");
    JsonNode nodes = data.path("nodes");
    if (id.isEmpty() || !(nodes.isArray() || nodes.isMissingNode() || nodes.isNull())) {
      return Optional.empty();
    }
    List<String> ids = new ArrayList<>();
    for (JsonNode node : nodes) {
      nodeId(node).ifPresent(ids::add);
    }
    return Optional.of(new ComfyEvent.ExecutionCached(id.get(), ids));
  }

  private static Optional<ComfyEvent> progress(JsonNode data) {
    JsonNode value = data.path("value");
    JsonNode max = data.path("max");
    Optional<String> node = nodeId(data.path("node"));
    if (!value.isNumber() || !max.isNumber() || node.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ComfyEvent.Progress(text(data, "prompt_id"), node.get(), value.asLong(), max.asLong()));
  }

  private static Optional<ComfyEvent> executed(JsonNode data) {
    Optional<String> id = text(data, "prompt_id");
    Optional<String> node = nodeId(data.path("node"));
    if (id.isEmpty() || node.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ComfyEvent.Executed(id.get(), node.get(), nullIfMissing(data.path("output"))));
  }

  /**
   * Requires {@code prompt_id} and a {@code nodes} object; an entry without a numeric {@code value}
   * and {@code max} is left out (the rest of the frame still counts), a missing or unknown {@code
   * state} reads as {@link ComfyEvent.NodeState#OTHER}.
   */
  private static Optional<ComfyEvent> progressState(JsonNode data) {
    Optional<String> id = text(data, "prompt_id");
    JsonNode nodes = data.path("nodes");
    if (id.isEmpty() || !nodes.isObject()) {
      return Optional.empty();
    }
    Map<String, ComfyEvent.NodeProgress> entries = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : nodes.properties()) {
      JsonNode n = e.getValue();
      if (n.path("value").isNumber() && n.path("max").isNumber()) {
        entries.put(
            e.getKey(),
            new ComfyEvent.NodeProgress(
                n.get("value").asDouble(),
                n.get("max").asDouble(),
                nodeState(n.path("state")),
                nodeId(n.path("display_node_id"))));
      }
    }
    return Optional.of(new ComfyEvent.ProgressState(id.get(), entries));
  }

  private static ComfyEvent.NodeState nodeState(JsonNode state) {
    switch (state.asText("")) {
      case "pending":
        return ComfyEvent.NodeState.PENDING;
      case "running":
        return ComfyEvent.NodeState.RUNNING;
      case "finished":
        return ComfyEvent.NodeState.FINISHED;
      case "error":
        return ComfyEvent.NodeState.ERROR;
      default:
        return ComfyEvent.NodeState.OTHER;
    }
  }

  private static Optional<String> text(JsonNode data, String field) {
    JsonNode node = data.path(field);
    return node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
  }

  /** A node id: a string, or a number from odd servers; null, absent or anything else is empty. */
  private static Optional<String> nodeId(JsonNode node) {
    if (node.isTextual()) {
      return Optional.of(node.asText());
    }
    if (node.isIntegralNumber()) {
      return Optional.of(node.bigIntegerValue().toString());
    }
    return Optional.empty();
  }

  private static JsonNode nullIfMissing(JsonNode node) {
    return node.isMissingNode() ? NullNode.getInstance() : node;
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
