package io.openavathar.testkit.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a prompt the way ComfyUI 0.3.64's {@code validate_prompt} does, for the checks a
 * simulator can make: class presence, output presence, uploaded files of loaders, dangling links,
 * and scripted node errors.
 *
 * <p>Only nodes reachable from an output are validated; an output whose dependencies fail is
 * dropped, and the prompt is rejected only when no output survives.
 */
final class PromptValidator {

  private final Set<String> installed;
  private final Directories directories;

  PromptValidator(Set<String> installed, Directories directories) {
    this.installed = installed;
    this.directories = directories;
  }

  Validation validate(Graph graph, ScriptedNodeError scripted) {
    List<String> outputs = new ArrayList<>();
    for (String id : graph.ids()) {
      String classType = graph.classType(id);
      if (classType == null) {
        return reject(
            error(
                "invalid_prompt",
                "Cannot execute because a node is missing the class_type property.",
                "Node ID '#" + id + "'"));
      }
      if (!installed.contains(classType)) {
        return reject(
            error(
                "invalid_prompt",
                "Cannot execute because node " + classType + " does not exist.",
                "Node ID '#" + id + "'"));
      }
      if (NodeClasses.isOutput(classType)) {
        outputs.add(id);
      }
    }
    if (outputs.isEmpty()) {
      return reject(error("prompt_no_outputs", "Prompt has no outputs", ""));
    }

    Map<String, List<ObjectNode>> ownReasons = new LinkedHashMap<>();
    Map<String, List<ObjectNode>> outputReasons = new HashMap<>();
    Map<String, Boolean> valid = new HashMap<>();
    ObjectNode nodeErrors = Json.object();
    List<String> good = new ArrayList<>();
    for (String output : outputs) {
      String missing = firstMissingLink(graph, output);
      if (missing != null) {
        outputReasons.put(output, List.of(exceptionDuringValidation(missing)));
        ownReasons.put(output, outputReasons.get(output));
        continue;
      }
      if (isValid(graph, output, scripted, ownReasons, valid)) {
        good.add(output);
      } else {
        outputReasons.put(output, ownReasons.getOrDefault(output, List.of()));
      }
    }
    if (scripted != null) {
      ownReasons.computeIfAbsent(scripted.nodeId(), id -> List.of(scriptedReason(graph, scripted)));
      if (scripted.reject()) {
        good.clear();
      }
    }
    for (Map.Entry<String, List<ObjectNode>> entry : ownReasons.entrySet()) {
      if (entry.getValue().isEmpty()) {
        continue;
      }
      String id = entry.getKey();
      ArrayNode dependents = Json.array();
      for (String output : outputs) {
        if (graph.closure(output).contains(id)) {
          dependents.add(output);
        }
      }
      if (dependents.isEmpty() && isScripted(scripted, id) && scripted.reject()) {
        outputs.forEach(dependents::add);
      }
      ObjectNode nodeError = nodeErrors.putObject(id);
      ArrayNode errors = nodeError.putArray("errors");
      entry.getValue().forEach(errors::add);
      nodeError.set("dependent_outputs", dependents);
      String classType = graph.classType(id);
      nodeError.put("class_type", classType != null ? classType : scripted.classType());
    }
    if (good.isEmpty()) {
      List<String> lines = new ArrayList<>();
      for (String output : outputs) {
        for (ObjectNode reason : outputReasons.getOrDefault(output, List.of())) {
          lines.add(reason.get("message").asText() + ": " + reason.get("details").asText());
        }
      }
      ObjectNode error =
          error(
              "prompt_outputs_failed_validation",
              "Prompt outputs failed validation",
              String.join("\n", lines));
      return new Validation(error, nodeErrors, List.of());
    }
    return new Validation(null, nodeErrors, List.copyOf(good));
  }

  private static boolean isScripted(ScriptedNodeError scripted, String id) {
    return scripted != null && scripted.nodeId().equals(id);
  }

  private boolean isValid(
      Graph graph,
      String id,
      ScriptedNodeError scripted,
      Map<String, List<ObjectNode>> ownReasons,
      Map<String, Boolean> valid) {
    Boolean known = valid.get(id);
    if (known != null) {
      return known;
    }
    valid.put(id, Boolean.TRUE); // guards against cycles
    List<ObjectNode> reasons = reasonsOf(graph, id, scripted);
    ownReasons.put(id, reasons);
    boolean ok = reasons.isEmpty();
    for (String source : graph.linkSources(id)) {
      ok &= isValid(graph, source, scripted, ownReasons, valid);
    }
    valid.put(id, ok);
    return ok;
  }

  private List<ObjectNode> reasonsOf(Graph graph, String id, ScriptedNodeError scripted) {
    List<ObjectNode> reasons = new ArrayList<>();
    if (isScripted(scripted, id)) {
      reasons.add(scriptedReason(graph, scripted));
    }
    String classType = graph.classType(id);
    if (NodeClasses.LOAD_IMAGE.equals(classType)) {
      checkFile(graph, id, "image", "Invalid image file: ", reasons);
    } else if (NodeClasses.LOAD_AUDIO.equals(classType)) {
      checkFile(graph, id, "audio", "Invalid audio file: ", reasons);
    }
    return reasons;
  }

  private void checkFile(
      Graph graph, String id, String input, String prefix, List<ObjectNode> reasons) {
    JsonNode value = graph.inputs(id).get(input);
    if (value == null) {
      ObjectNode reason = reason("required_input_missing", "Required input is missing", input);
      reason.putObject("extra_info").put("input_name", input);
      reasons.add(reason);
      return;
    }
    if (Graph.isLink(value) || directories.existsAnnotated(value.asText())) {
      return;
    }
    ObjectNode reason =
        reason(
            "custom_validation_failed",
            "Custom validation failed for node",
            input + " - " + prefix + value.asText());
    reason.putObject("extra_info").put("input_name", input);
    reasons.add(reason);
  }

  private static ObjectNode scriptedReason(Graph graph, ScriptedNodeError scripted) {
    ObjectNode reason = reason(scripted.type(), scripted.message(), scripted.details());
    ObjectNode extra = reason.putObject("extra_info");
    int colon = scripted.details().indexOf(':');
    if (colon > 0) {
      String input = scripted.details().substring(0, colon).trim();
      extra.put("input_name", input);
      extra.putNull("input_config");
      JsonNode received = graph.inputs(scripted.nodeId()).get(input);
      if (received != null && !Graph.isLink(received)) {
        extra.set("received_value", received);
      }
    }
    return reason;
  }

  /**
   * The first link (depth-first) from the output's dependencies to a node that is not in the
   * prompt.
   */
  private static String firstMissingLink(Graph graph, String output) {
    for (String id : graph.closure(output)) {
      for (String source : graph.linkSources(id)) {
        if (!graph.contains(source)) {
          return source;
        }
      }
    }
    return null;
  }

  private static ObjectNode exceptionDuringValidation(String missingId) {
    ObjectNode reason =
        reason(
            "exception_during_validation", "Exception when validating node", "'" + missingId + "'");
    ObjectNode extra = reason.putObject("extra_info");
    extra.put("exception_type", "KeyError");
    extra
        .putArray("traceback")
        .add("  File \"/ComfyUI/execution.py\", line 1088, in validate_prompt\n");
    return reason;
  }

  private static ObjectNode reason(String type, String message, String details) {
    ObjectNode reason = Json.object();
    reason.put("type", type);
    reason.put("message", message);
    reason.put("details", details);
    return reason;
  }

  static ObjectNode error(String type, String message, String details) {
    ObjectNode error = reason(type, message, details);
    error.putObject("extra_info");
    return error;
  }

  private static Validation reject(ObjectNode error) {
    return new Validation(error, Json.object(), List.of());
  }
}
