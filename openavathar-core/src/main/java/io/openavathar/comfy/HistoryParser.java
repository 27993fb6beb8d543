package io.openavathar.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.comfy.HistoryEntry.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Reads {@code GET /history/{id}} and {@code GET /history} (reference §2.2). {@code {}} means "not
 * finished or unknown". Unknown fields are ignored; of the positional {@code prompt} array only
 * positions 0 (the queue number) and 2 (the graph) are read, because newer servers append elements.
 *
 * <p>Outcome: {@code execution_interrupted} in the status messages is {@link Outcome#INTERRUPTED}
 * (such runs also say {@code status_str: "error"}); {@code execution_error} is {@link
 * Outcome#ERROR} with the error's details; {@code status_str: "success"} is {@link
 * Outcome#SUCCESS}. An entry without a status block (servers before 2024-01) is {@link
 * Outcome#UNKNOWN} even when it lists files, because failed runs keep the outputs of the nodes that
 * finished: the caller decides whether files are enough.
 *
 * <p>Why Jackson's tree and not data binding into records: the entry is keyed by prompt id and node
 * id (maps of maps), {@code prompt} is a positional array that newer servers extend, and the
 * outcome is read from a list of {@code [name, data]} pairs; records would need custom
 * deserializers for each, and then the same walk. The other ComfyUI readers ({@code QueueParser},
 * {@code StatsParser}) are a few lines of tree reads each.
 */
final class HistoryParser {
  /** The history output keys that list files; VHS uses {@code gifs} even for MP4. */
  private static final List<String> FILE_KEYS = List.of("gifs", "videos", "video", "images");

  private HistoryParser() {}

  static Optional<HistoryEntry> parse(String promptId, JsonNode root) {
    JsonNode entry = root.path(promptId);
    if (!entry.isObject()) {
      return Optional.empty();
    }
    Map<String, List<OutputFile>> files = new LinkedHashMap<>();
    Map<String, List<String>> texts = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> node : entry.path("outputs").properties()) {
      List<OutputFile> nodeFiles = files(node.getValue());
      if (!nodeFiles.isEmpty()) {
        files.put(node.getKey(), nodeFiles);
      }
      List<String> nodeTexts = texts(node.getValue().path("text"));
      if (!nodeTexts.isEmpty()) {
        texts.put(node.getKey(), nodeTexts);
      }
    }
    JsonNode status = entry.path("status");
    ComfyEvent.ExecutionError error = null;
    Outcome outcome;
    if (!status.isObject()) {
      outcome = Outcome.UNKNOWN;
    } else if (message(status, "execution_interrupted") != null) {
      outcome = Outcome.INTERRUPTED;
    } else if (message(status, "execution_error") != null) {
      outcome = Outcome.ERROR;
      error = error(promptId, message(status, "execution_error"));
    } else {
      outcome =
          switch (status.path("status_str").asText("")) {
            case "success" -> Outcome.SUCCESS;
            case "error" -> Outcome.ERROR;
            default -> Outcome.UNKNOWN;
          };
    }
    JsonNode graph = entry.path("prompt").path(2);
    return Optional.of(
        new HistoryEntry(
            promptId,
            outcome,
            files,
            texts,
            error,
            graph.isObject() ? (ObjectNode) graph : null,
            timestamp(status, "execution_start"),
            endedAt(status)));
  }

  /**
   * Reads {@code GET /history?max_items=N}: every entry, in the server's order (oldest first).
   * Entries that are not objects are skipped.
   */
  static List<HistoryEntry> parseAll(JsonNode root) {
    List<HistoryEntry> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : root.properties()) {
      parse(entry.getKey(), root).ifPresent(out::add);
    }
    return out;
  }

  private static Instant endedAt(JsonNode status) {
    for (String type : List.of("execution_success", "execution_error", "execution_interrupted")) {
      Instant at = timestamp(status, type);
      if (at != null) {
        return at;
      }
    }
    return null;
  }

  /**
   * The {@code timestamp} (epoch milliseconds) of the first status message of {@code type}, or
   * null.
   */
  private static Instant timestamp(JsonNode status, String type) {
    JsonNode data = message(status, type);
    return data != null && data.path("timestamp").isNumber()
        ? Instant.ofEpochMilli(data.path("timestamp").asLong())
        : null;
  }

  /** The queue number an entry was run with ({@code prompt[0]}), if readable. */
  static OptionalDouble number(JsonNode root, String promptId) {
    JsonNode number = root.path(promptId).path("prompt").path(0);
    return number.isNumber() ? OptionalDouble.of(number.asDouble()) : OptionalDouble.empty();
  }

  private static List<OutputFile> files(JsonNode output) {
    List<OutputFile> out = new ArrayList<>();
    for (String key : FILE_KEYS) {
      for (JsonNode f : output.path(key)) {
        JsonNode filename = f.path("filename");
        if (filename.isTextual() && !filename.asText().isEmpty()) {
          out.add(
              new OutputFile(
                  filename.asText(),
                  f.path("subfolder").isTextual() ? f.path("subfolder").asText() : "",
                  f.path("type").isTextual() && !f.path("type").asText().isEmpty()
                      ? f.path("type").asText()
                      : "output"));
        }
      }
    }
    return out;
  }

  private static List<String> texts(JsonNode text) {
    List<String> out = new ArrayList<>();
    if (text.isArray()) {
      for (JsonNode t : text) {
        if (t.isValueNode() && !t.isNull()) {
          out.add(t.asText());
        }
      }
    } else if (text.isTextual()) {
      out.add(text.asText());
    }
    return out;
  }

  /**
   * The data of the first status message of {@code type}, or null. Messages are {@code [type,
   * data]} pairs.
   */
  private static JsonNode message(JsonNode status, String type) {
    for (JsonNode m : status.path("messages")) {
      if (type.equals(m.path(0).asText(null))) {
        return m.path(1);
      }
    }
    return null;
  }

  private static ComfyEvent.ExecutionError error(String promptId, JsonNode data) {
    return new ComfyEvent.ExecutionError(
        data.path("prompt_id").asText(promptId),
        data.path("node_id").asText(""),
        data.path("node_type").asText(""),
        data.path("exception_type").asText(""),
        data.path("exception_message").asText(""));
  }
}
