package io.openavathar.internal.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.GenerationRequest;
import io.openavathar.OpenAvatharException;
import io.openavathar.Orientation;
import io.openavathar.internal.Json;
import java.nio.file.Path;

/**
 * A {@link GenerationRequest} as the JSON the store keeps, and back (for resuming after a restart),
 * with the workflow the job runs ({@link WorkflowJson}). Rows written before workflows were stored
 * have none: they run the studio's.
 */
final class RequestJson {
  private RequestJson() {}

  static String write(GenerationRequest r, io.openavathar.workflow.WorkflowTemplate workflow) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("v", 1);
    o.put("image", r.image().toAbsolutePath().toString());
    o.put("audio", r.audio().toAbsolutePath().toString());
    o.put("prompt", r.prompt());
    r.negativePrompt().ifPresent(v -> o.put("negativePrompt", v));
    o.put("orientation", r.orientation().name());
    r.maxFrames().ifPresent(v -> o.put("maxFrames", v));
    r.audioCfgScale().ifPresent(v -> o.put("audioCfgScale", v));
    r.seed().ifPresent(v -> o.put("seed", v));
    r.targetPod().ifPresent(v -> o.put("targetPod", v));
    r.maxCostUsd().ifPresent(v -> o.put("maxCostUsd", v));
    r.outputFile().ifPresent(v -> o.put("outputFile", v.toAbsolutePath().toString()));
    o.set("workflow", WorkflowJson.write(workflow));
    return o.toString();
  }

  static GenerationRequest read(String json) {
    JsonNode o;
    try {
      o = Json.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new OpenAvatharException(
          "A stored job request is not valid JSON: " + e.getOriginalMessage(), e);
    }
    // An unknown orientation, a NUL in a path or a value the builder refuses is an
    // IllegalArgumentException; callers
    // (resuming, retrying) handle OpenAvatharException, so it becomes one.
    try {
      GenerationRequest.Builder b =
          GenerationRequest.builder()
              .image(Path.of(o.path("image").asText()))
              .audio(Path.of(o.path("audio").asText()))
              .prompt(o.path("prompt").asText())
              .orientation(Orientation.valueOf(o.path("orientation").asText("AUTO")));
      if (o.hasNonNull("negativePrompt")) {
        b.negativePrompt(o.get("negativePrompt").asText());
      }
      if (o.hasNonNull("maxFrames")) {
        b.maxFrames(o.get("maxFrames").asInt());
      }
      if (o.hasNonNull("audioCfgScale")) {
        b.audioCfgScale(o.get("audioCfgScale").asDouble());
      }
      if (o.hasNonNull("seed")) {
        b.seed(o.get("seed").asLong());
      }
      if (o.hasNonNull("maxCostUsd")) {
        b.maxCostUsd(o.get("maxCostUsd").asDouble());
      }
      if (o.hasNonNull("targetPod")) {
        b.targetPod(o.get("targetPod").asText());
      }
      if (o.hasNonNull("outputFile")) {
        b.outputFile(Path.of(o.get("outputFile").asText()));
      }
      if (o.hasNonNull("workflow")) {
        b.workflow(WorkflowJson.read(o.get("workflow")));
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new OpenAvatharException(
          "A stored job request cannot be read ("
              + e.getMessage()
              + "), so the job cannot be resumed or retried. Start a new job with the same files.",
          e);
    }
  }
}
