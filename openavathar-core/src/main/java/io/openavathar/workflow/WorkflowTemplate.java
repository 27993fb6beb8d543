package io.openavathar.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.InvalidInputException;
import io.openavathar.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An API-format ComfyUI graph plus named {@link WorkflowBinding bindings}: which node input receives the image, the
 * audio, the prompt, the size, the frame count, the seed and so on. Immutable and thread-safe.
 *
 * <p>Every binding is checked when the template is built: a binding that points at a missing node, a missing input,
 * or an input fed by a link (which patching would cut) is rejected with a message naming it.
 *
 * <pre>{@code
 * WorkflowTemplate mine = WorkflowTemplate.load(Path.of("my-infinitetalk-api.json"), Map.of(
 *     WorkflowBinding.IMAGE, NodeInput.of("313", "image"),
 *     WorkflowBinding.AUDIO, NodeInput.of("125", "audio"),
 *     ...));
 * }</pre>
 */
public final class WorkflowTemplate {
  private final ObjectNode graph;
  private final Map<WorkflowBinding, NodeInput> bindings;
  private final String outputNodeId;
  private final String samplerNodeId;
  private final int fps;
  private final int frameWindow;
  private final int motionFrames;

  private WorkflowTemplate(Builder b) {
    this.graph = Objects.requireNonNull(b.graph, "graph is required, but was not set").deepCopy();
    this.bindings = Collections.unmodifiableMap(new EnumMap<>(b.bindings));
    this.outputNodeId = b.outputNodeId;
    this.samplerNodeId = b.samplerNodeId;
    this.fps = b.fps;
    this.frameWindow = b.frameWindow;
    this.motionFrames = b.motionFrames;
    validate();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads an API-format graph ("Save (API Format)" in ComfyUI) from {@code file} and binds it.
   *
   * @throws InvalidInputException if the file is unreadable, not JSON, a UI-format workflow, or a binding is wrong
   */
  public static WorkflowTemplate load(Path file, Map<WorkflowBinding, NodeInput> bindings) {
    JsonNode json;
    try {
      json = Json.mapper().readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          "Workflow file '" + file + "' is not valid JSON (" + e.getOriginalMessage()
              + "). Export it from ComfyUI with 'Save (API Format)'.", e);
    } catch (IOException e) {
      throw new InvalidInputException("Cannot read workflow file '" + file + "': " + e + ".", e);
    }
    if (!(json instanceof ObjectNode obj)) {
      throw new InvalidInputException(
          "Workflow file '" + file + "' is not a JSON object. Export it from ComfyUI with 'Save (API Format)'.");
    }
    if (obj.has("nodes") && obj.has("links")) {
      throw new InvalidInputException(
          "Workflow file '" + file + "' is a UI-format workflow (it has 'nodes' and 'links'). "
              + "Export it from ComfyUI with 'Save (API Format)' instead.");
    }
    try {
      return builder().graph(obj).bindAll(bindings).build();
    } catch (InvalidInputException e) {
      throw new InvalidInputException("Workflow file '" + file + "': " + e.getMessage(), e);
    }
  }

  private void validate() {
    if (graph.isEmpty()) {
      throw new InvalidInputException("The workflow graph is empty.");
    }
    for (WorkflowBinding b : WorkflowBinding.values()) {
      if (b.isRequired() && !bindings.containsKey(b)) {
        throw new InvalidInputException(
            "Binding " + b + " is missing: every template must say which node input receives it, "
                + "for example bind(WorkflowBinding." + b + ", \"125\", \"audio\").");
      }
    }
    for (Map.Entry<WorkflowBinding, NodeInput> e : bindings.entrySet()) {
      NodeInput in = e.getValue();
      JsonNode node = graph.get(in.nodeId());
      if (node == null || !node.isObject()) {
        throw new InvalidInputException(
            "Binding " + e.getKey() + " points at node " + in.nodeId() + ", which is not in the graph.");
      }
      JsonNode inputs = node.get("inputs");
      if (inputs == null || !inputs.has(in.inputName())) {
        throw new InvalidInputException(
            "Binding " + e.getKey() + " points at input '" + in.inputName() + "' of node " + in.nodeId()
                + " (" + node.path("class_type").asText("?") + "), which has no such input.");
      }
      if (inputs.get(in.inputName()).isArray()) {
        throw new InvalidInputException(
            "Binding " + e.getKey() + " points at input '" + in.inputName() + "' of node " + in.nodeId()
                + ", which is fed by a link; bind the node that produces the value instead "
                + "(for example its INTConstant).");
      }
    }
    for (String id : new String[] {outputNodeId, samplerNodeId}) {
      if (id != null && !graph.has(id)) {
        throw new InvalidInputException("Node " + id + " named as output or sampler node is not in the graph.");
      }
    }
  }

  /** A deep copy of the unpatched graph. */
  public ObjectNode graph() {
    return graph.deepCopy();
  }

  public Map<WorkflowBinding, NodeInput> bindings() {
    return bindings;
  }

  /** The node whose output file is the video; when empty, the first file any node produced is used. */
  public Optional<String> outputNodeId() {
    return Optional.ofNullable(outputNodeId);
  }

  /** The sampler node whose {@code progress} events count denoising steps; empty if unknown. */
  public Optional<String> samplerNodeId() {
    return Optional.ofNullable(samplerNodeId);
  }

  /** Sampler steps per frame window, read from the sampler node's literal {@code steps} input; 0 if unknown. */
  public int samplerSteps() {
    if (samplerNodeId == null) {
      return 0;
    }
    JsonNode steps = graph.path(samplerNodeId).path("inputs").path("steps");
    return steps.isNumber() ? steps.asInt() : 0;
  }

  /** Frames per second of the generated video (25 for InfiniteTalk). */
  public int fps() {
    return fps;
  }

  /** Frames per generation window (81 for InfiniteTalk). */
  public int frameWindow() {
    return frameWindow;
  }

  /** Frames by which consecutive windows overlap (9 in the bundled workflow). */
  public int motionFrames() {
    return motionFrames;
  }

  /** How many windows the sampler runs for {@code frames} frames: the smallest k with window + (k-1)·stride >= frames. */
  public int windowsFor(int frames) {
    int stride = frameWindow - motionFrames;
    if (frames <= frameWindow || stride <= 0) {
      return 1;
    }
    return 1 + (frames - frameWindow + stride - 1) / stride;
  }

  /** A copy of the graph with every bound input set from {@code params}. The template itself is unchanged. */
  public ObjectNode patch(WorkflowParameters params) {
    ObjectNode g = graph.deepCopy();
    set(g, WorkflowBinding.IMAGE, params.image());
    set(g, WorkflowBinding.AUDIO, params.audio());
    set(g, WorkflowBinding.PROMPT, params.prompt());
    params.negativePrompt().ifPresent(v -> set(g, WorkflowBinding.NEGATIVE_PROMPT, v));
    set(g, WorkflowBinding.WIDTH, params.width());
    set(g, WorkflowBinding.HEIGHT, params.height());
    set(g, WorkflowBinding.MAX_FRAMES, params.maxFrames());
    params.audioCfgScale().ifPresent(v -> inputs(g, WorkflowBinding.AUDIO_CFG_SCALE)
        .ifPresent(in -> in.put(bindings.get(WorkflowBinding.AUDIO_CFG_SCALE).inputName(), v)));
    set(g, WorkflowBinding.SEED, params.seed());
    set(g, WorkflowBinding.OUTPUT_PREFIX, params.outputPrefix());
    return g;
  }

  private Optional<ObjectNode> inputs(ObjectNode g, WorkflowBinding b) {
    NodeInput in = bindings.get(b);
    return in == null ? Optional.empty() : Optional.of((ObjectNode) g.get(in.nodeId()).get("inputs"));
  }

  private void set(ObjectNode g, WorkflowBinding b, String value) {
    inputs(g, b).ifPresent(in -> in.put(bindings.get(b).inputName(), value));
  }

  private void set(ObjectNode g, WorkflowBinding b, long value) {
    inputs(g, b).ifPresent(in -> in.put(bindings.get(b).inputName(), value));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WorkflowTemplate t
        && graph.equals(t.graph)
        && bindings.equals(t.bindings)
        && Objects.equals(outputNodeId, t.outputNodeId)
        && Objects.equals(samplerNodeId, t.samplerNodeId)
        && fps == t.fps
        && frameWindow == t.frameWindow
        && motionFrames == t.motionFrames;
  }

  @Override
  public int hashCode() {
    return Objects.hash(graph, bindings, outputNodeId, samplerNodeId, fps, frameWindow, motionFrames);
  }

  @Override
  public String toString() {
    return "WorkflowTemplate{nodes=" + graph.size() + ", bindings=" + bindings + ", output=" + outputNodeId
        + ", sampler=" + samplerNodeId + "}";
  }

  /** Builds a {@link WorkflowTemplate}; {@link #build()} checks every binding. */
  public static final class Builder {
    private ObjectNode graph;
    private final Map<WorkflowBinding, NodeInput> bindings = new EnumMap<>(WorkflowBinding.class);
    private String outputNodeId;
    private String samplerNodeId;
    private int fps = 25;
    private int frameWindow = 81;
    private int motionFrames = 9;

    private Builder() {}

    /** The API-format graph (copied). Required. */
    public Builder graph(ObjectNode graph) {
      this.graph = Objects.requireNonNull(graph, "graph").deepCopy();
      return this;
    }

    public Builder bind(WorkflowBinding binding, String nodeId, String inputName) {
      bindings.put(Objects.requireNonNull(binding, "binding"), NodeInput.of(nodeId, inputName));
      return this;
    }

    public Builder bindAll(Map<WorkflowBinding, NodeInput> all) {
      all.forEach((k, v) -> bindings.put(Objects.requireNonNull(k, "binding"), Objects.requireNonNull(v, "input")));
      return this;
    }

    /** The node whose file output is the video (optional; default: the first file of any node). */
    public Builder outputNode(String nodeId) {
      this.outputNodeId = Objects.requireNonNull(nodeId, "nodeId");
      return this;
    }

    /** The sampler node, for step progress (optional). */
    public Builder samplerNode(String nodeId) {
      this.samplerNodeId = Objects.requireNonNull(nodeId, "nodeId");
      return this;
    }

    /** Frames per second (default 25). */
    public Builder fps(int fps) {
      if (fps <= 0) {
        throw new IllegalArgumentException("fps must be positive, was " + fps);
      }
      this.fps = fps;
      return this;
    }

    /** Frames per window and overlap (defaults 81 and 9), for progress and length estimates. */
    public Builder windows(int frameWindow, int motionFrames) {
      if (frameWindow <= 0 || motionFrames < 0 || motionFrames >= frameWindow) {
        throw new IllegalArgumentException(
            "need 0 <= motionFrames < frameWindow, were " + motionFrames + " and " + frameWindow);
      }
      this.frameWindow = frameWindow;
      this.motionFrames = motionFrames;
      return this;
    }

    /**
     * Builds the template.
     *
     * @throws InvalidInputException naming the first binding that points at a missing node or input
     */
    public WorkflowTemplate build() {
      return new WorkflowTemplate(this);
    }
  }
}
