package io.openavathar.comfy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.WorkflowRejectedException;
import io.openavathar.WorkflowRejectedException.NodeError;
import io.openavathar.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns ComfyUI's validation answers to {@code POST /prompt} into {@link
 * WorkflowRejectedException}. Handles every shape of the reference (§2.1): {@code
 * prompt_outputs_failed_validation} with {@code node_errors}, {@code invalid_prompt} (an
 * uninstalled node class; {@code node_errors} is {@code {}}), {@code prompt_no_outputs}, {@code
 * no_prompt}, the pre-2025 shape where {@code error} is a plain string and {@code node_errors} is
 * {@code []}, and bodies that are not JSON at all.
 */
final class PromptErrors {
  private static final String FIX_NODES =
      "Install the missing model or custom nodes on the server, or fix the workflow.";

  private PromptErrors() {}

  /** Whether a 200 answer still carries validation errors (some outputs were dropped). */
  static boolean hasNodeErrors(JsonNode body) {
    JsonNode nodeErrors = body.path("node_errors");
    return nodeErrors.isContainerNode() && !nodeErrors.isEmpty();
  }

  /** The exception for a rejection answered with {@code status} and body {@code text}. */
  static WorkflowRejectedException rejected(int status, String text) {
    JsonNode body;
    try {
      body = Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      body = null;
    }
    if (body == null || !body.isObject()) {
      return new WorkflowRejectedException(
          "ComfyUI rejected the workflow with HTTP "
              + status
              + " and a body that is not JSON: '"
              + ComfyHttp.snippet(text)
              + "'. Check that the URL points at ComfyUI and not at a proxy.",
          List.of());
    }
    return rejected(body);
  }

  /** The exception for a JSON rejection body. */
  static WorkflowRejectedException rejected(JsonNode body) {
    List<NodeError> nodeErrors = nodeErrors(body.path("node_errors"));
    if (!nodeErrors.isEmpty()) {
      String listed =
          nodeErrors.stream()
              .map(e -> "node " + e.nodeId() + " (" + e.classType() + "): " + e.message())
              .collect(Collectors.joining("; "));
      return new WorkflowRejectedException(
          "ComfyUI rejected the workflow: " + stripDot(listed) + ". " + FIX_NODES, nodeErrors);
    }
    JsonNode error = body.path("error");
    String type = error.path("type").asText("");
    String reason =
        error.isTextual() ? error.asText() : joined(error.path("message"), error.path("details"));
    if (reason.isEmpty()) {
      reason = "no reason given";
    }
    String next =
        switch (type) {
          case "prompt_no_outputs" ->
              "Add an output node (for example VHS_VideoCombine or SaveImage) to the workflow.";
          case "no_prompt" -> "Send a non-empty API-format workflow.";
          case "invalid_prompt" ->
              "Install the missing custom nodes on the server, or fix the workflow's class_type values.";
          default ->
              error.isTextual() && reason.contains("no prompt")
                  ? "Send a non-empty API-format workflow."
                  : FIX_NODES;
        };
    return new WorkflowRejectedException(
        "ComfyUI rejected the workflow: " + stripDot(reason) + ". " + next, List.of());
  }

  /**
   * Each error of each node, in the server's order; node errors without an error list still yield
   * one entry.
   */
  private static List<NodeError> nodeErrors(JsonNode nodes) {
    List<NodeError> out = new ArrayList<>();
    if (!nodes.isObject()) {
      return out;
    }
    for (Map.Entry<String, JsonNode> node : nodes.properties()) {
      String classType = node.getValue().path("class_type").asText("unknown class");
      JsonNode errors = node.getValue().path("errors");
      if (!errors.isArray() || errors.isEmpty()) {
        out.add(new NodeError(node.getKey(), classType, "failed validation"));
        continue;
      }
      for (JsonNode error : errors) {
        String message =
            error.isTextual()
                ? error.asText()
                : joined(error.path("message"), error.path("details"));
        out.add(
            new NodeError(
                node.getKey(), classType, message.isEmpty() ? "failed validation" : message));
      }
    }
    return out;
  }

  private static String joined(JsonNode message, JsonNode details) {
    String m = message.isValueNode() ? message.asText("").trim() : "";
    String d = details.isValueNode() ? details.asText("").trim() : "";
    if (d.isEmpty()) {
      return m;
    }
    return m.isEmpty() ? d : stripDot(m) + ": " + d;
  }

  private static String stripDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
