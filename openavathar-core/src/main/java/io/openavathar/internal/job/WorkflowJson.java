package io.openavathar.internal.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.OpenAvatharException;
import io.openavathar.internal.Json;
import io.openavathar.workflow.InfiniteTalkWorkflow;
import io.openavathar.workflow.WorkflowBinding;
import io.openavathar.workflow.WorkflowTemplate;
import java.util.Map;

/**
 * A job's {@link WorkflowTemplate} as the store keeps it, inside the request's JSON: the bundled
 * InfiniteTalk template as the word {@code "infinitetalk"}, any other as its whole graph with
 * bindings, output and sampler node, fps and windows. The whole graph, not the file it came from: a
 * workflow file edited, moved or deleted after the job was accepted cannot change what a resume or
 * retry runs.
 */
final class WorkflowJson {
  static final String BUNDLED = "infinitetalk";

  private WorkflowJson() {}

  static JsonNode write(WorkflowTemplate t) {
    if (t.equals(InfiniteTalkWorkflow.template())) {
      return Json.mapper().getNodeFactory().textNode(BUNDLED);
    }
    ObjectNode o = Json.mapper().createObjectNode();
    o.set("graph", t.graph());
    ObjectNode bindings = o.putObject("bindings");
    t.bindings()
        .forEach(
            (b, in) ->
                bindings.putObject(b.name()).put("node", in.nodeId()).put("input", in.inputName()));
    t.outputNodeId().ifPresent(v -> o.put("outputNode", v));
    t.samplerNodeId().ifPresent(v -> o.put("samplerNode", v));
    o.put("fps", t.fps());
    o.put("frameWindow", t.frameWindow());
    o.put("motionFrames", t.motionFrames());
    return o;
  }

  /**
   * The stored template.
   *
   * @throws OpenAvatharException if it cannot be read (callers report the job as not resumable)
   */
  static WorkflowTemplate read(JsonNode o) {
    if (o.isTextual() && o.asText().equals(BUNDLED)) {
      return InfiniteTalkWorkflow.template();
    }
    if (!o.path("graph").isObject() || !o.path("bindings").isObject()) {
      throw new OpenAvatharException("A stored job workflow has no graph or bindings.");
    }
    try {
      WorkflowTemplate.Builder b = WorkflowTemplate.builder().graph((ObjectNode) o.get("graph"));
      for (Map.Entry<String, JsonNode> e : o.get("bindings").properties()) {
        b.bind(
            WorkflowBinding.valueOf(e.getKey()),
            e.getValue().path("node").asText(),
            e.getValue().path("input").asText());
      }
      if (o.hasNonNull("outputNode")) {
        b.outputNode(o.get("outputNode").asText());
      }
      if (o.hasNonNull("samplerNode")) {
        b.samplerNode(o.get("samplerNode").asText());
      }
      return b.fps(o.path("fps").asInt(25))
          .windows(o.path("frameWindow").asInt(81), o.path("motionFrames").asInt(9))
          .build();
    } catch (IllegalArgumentException e) {
      // An unknown binding name, or fps or windows out of range; an InvalidInputException (a bad
      // binding) passes.
      throw new OpenAvatharException("A stored job workflow cannot be read: " + e.getMessage(), e);
    }
  }
}
