package io.openavathar.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code GET /object_info} (reference §2.9). Every key of the top-level object is an
 * installed class, whatever its entry looks like. Combo inputs come in two encodings and both are
 * read: legacy {@code "model": [["a.safetensors", ...], {...}]} and V3 {@code "model": ["COMBO",
 * {"options": [...]}]}. Shapes this does not know (a spec that is not an array, options that are
 * not an array, non-text values) are skipped, never fatal: a newer server must not stop jobs from
 * running.
 */
final class ObjectInfoParser {
  private ObjectInfoParser() {}

  static ObjectInfo parse(JsonNode root) {
    Set<String> classes = new TreeSet<>();
    Map<String, Map<String, List<String>>> choices = new HashMap<>();
    if (!root.isObject()) {
      return ObjectInfo.of(classes, choices);
    }
    for (Map.Entry<String, JsonNode> node : root.properties()) {
      classes.add(node.getKey());
      JsonNode input = node.getValue().path("input");
      Map<String, List<String>> lists = new HashMap<>();
      for (String section : new String[] {"required", "optional"}) {
        JsonNode specs = input.path(section);
        if (!specs.isObject()) {
          continue;
        }
        for (Map.Entry<String, JsonNode> spec : specs.properties()) {
          List<String> values = choiceList(spec.getValue());
          if (values != null) {
            lists.put(spec.getKey(), values);
          }
        }
      }
      if (!lists.isEmpty()) {
        choices.put(node.getKey(), lists);
      }
    }
    return ObjectInfo.of(classes, choices);
  }

  /**
   * The values of a checked combo spec, or null when the spec is something else (or a combo not
   * checked).
   */
  private static List<String> choiceList(JsonNode spec) {
    if (!spec.isArray() || spec.isEmpty()) {
      return null;
    }
    JsonNode type = spec.get(0);
    JsonNode options = spec.path(1);
    JsonNode values;
    if (type.isArray()) {
      values = type;
    } else if (type.isTextual()
        && type.asText().equals("COMBO")
        && options.path("options").isArray()) {
      values = options.path("options");
    } else {
      return null;
    }
    if (options.isObject() && (options.has("remote") || isUpload(options))) {
      return null;
    }
    List<String> out = new ArrayList<>(values.size());
    for (JsonNode value : values) {
      if (value.isValueNode() && !value.isNull()) {
        out.add(value.asText());
      }
    }
    return out;
  }

  /**
   * {@code image_upload: true}, {@code audio_upload: true}, {@code video_upload: true} and the
   * like.
   */
  private static boolean isUpload(JsonNode options) {
    for (Map.Entry<String, JsonNode> option : options.properties()) {
      if (option.getKey().endsWith("_upload") && option.getValue().asBoolean(false)) {
        return true;
      }
    }
    return false;
  }
}
