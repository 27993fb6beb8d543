package io.openavathar.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.InvalidInputException;
import io.openavathar.Setting;
import io.openavathar.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An API-format ComfyUI graph plus named {@link WorkflowBinding bindings}: which node input
 * receives the image, the audio, the prompt, the size, the frame count, the seed and so on.
 * Immutable and thread-safe.
 *
 * <p>Only {@link WorkflowBinding#IMAGE} and {@link WorkflowBinding#AUDIO} must be bound; a value
 * without a binding is not patched. Every binding is checked when the template is built: a binding
 * that points at a missing node, a missing input, or an input fed by a link (which patching would
 * cut) is rejected with a message naming it.
 *
 * <p>The output node (whose file is the video) is found in the graph unless {@link
 * Builder#outputNode named}: the one node of a class that saves a video ({@code SaveVideo}, {@code
 * VHS_VideoCombine}, {@code SaveWEBM}). A graph with several such nodes must name one; a graph with
 * none takes the first video file any node reports.
 *
 * <pre>{@code
 * WorkflowTemplate mine = WorkflowTemplate.load(Path.of("my-workflow-api.json"), Map.of(
 *     WorkflowBinding.IMAGE, NodeInput.of("1", "image"),
 *     WorkflowBinding.AUDIO, NodeInput.of("2", "audio")));
 * }</pre>
 */
public final class WorkflowTemplate {
  /** Classes of nodes that save a video, for finding the output node. */
  static final Set<String> VIDEO_SAVERS = Set.of("SaveVideo", "VHS_VideoCombine", "SaveWEBM");

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
    this.outputNodeId = b.outputNodeId != null ? b.outputNodeId : videoSaver(graph);
    this.samplerNodeId = b.samplerNodeId;
    this.fps = b.fps;
    this.frameWindow = b.frameWindow;
    this.motionFrames = b.motionFrames;
    validate();
  }

  /**
   * A new builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads an API-format graph ("Save (API Format)" in ComfyUI) from {@code file} and binds it.
   *
   * @param file the graph file
   * @param bindings which node input each value is written to
   * @return the template
   * @throws InvalidInputException if the file is unreadable, not JSON, a UI-format workflow, or a
   *     binding is wrong
   */
  public static WorkflowTemplate load(Path file, Map<WorkflowBinding, NodeInput> bindings) {
    return builder().graph(readGraph(file)).bindAll(bindings).build();
  }

  /**
   * Reads an API-format graph ("Save (API Format)" in ComfyUI) from {@code file}, for {@link
   * Builder#graph}.
   *
   * @param file the graph file
   * @return the graph
   * @throws InvalidInputException (about {@link Setting#WORKFLOW}) if the file is unreadable, not
   *     JSON, or a UI-format workflow
   */
  public static ObjectNode readGraph(Path file) {
    JsonNode json;
    try {
      json = Json.mapper().readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          Setting.WORKFLOW,
          "Workflow file '"
              + file
              + "' is not valid JSON ("
              + e.getOriginalMessage()
              + "). Export it from ComfyUI with 'Save (API Format)'.",
          e);
    } catch (IOException e) {
      throw new InvalidInputException(
          Setting.WORKFLOW, "Cannot read workflow file '" + file + "': " + e + ".", e);
    }
    if (!(json instanceof ObjectNode obj)) {
      throw new InvalidInputException(
          Setting.WORKFLOW,
          "Workflow file '"
              + file
              + "' is not a JSON object. Export it from ComfyUI with 'Save (API Format)'.",
          null);
    }
    if (obj.has("nodes") && obj.has("links")) {
      throw new InvalidInputException(
          Setting.WORKFLOW,
          "Workflow file '"
              + file
              + "' is a UI-format workflow (it has 'nodes' and 'links'). "
              + "Export it from ComfyUI with 'Save (API Format)' instead.",
          null);
    }
    return obj;
  }

  /** The one node that saves a video, null if none; several are an error asking to name one. */
  private static String videoSaver(ObjectNode graph) {
    List<String> savers = new ArrayList<>();
    graph
        .properties()
        .forEach(
            e -> {
              if (VIDEO_SAVERS.contains(e.getValue().path("class_type").asText(""))) {
                savers.add(e.getKey());
              }
            });
    if (savers.size() > 1) {
      List<String> described = new ArrayList<>();
      savers.forEach(
          id -> described.add(id + " (" + graph.path(id).path("class_type").asText() + ")"));
      throw new InvalidInputException(
          "Nodes "
              + String.join(", ", described)
              + " all save a video; say which one"
              + " makes the result, for example with ",
          Setting.OUTPUT_NODE,
          " " + savers.get(0) + ".");
    }
    return savers.isEmpty() ? null : savers.get(0);
  }

  private void validate() {
    if (graph.isEmpty()) {
      throw new InvalidInputException(Setting.WORKFLOW, "The workflow graph is empty.", null);
    }
    for (WorkflowBinding b : WorkflowBinding.values()) {
      if (b.isRequired() && !bindings.containsKey(b)) {
        throw missing(b);
      }
    }
    for (Map.Entry<WorkflowBinding, NodeInput> e : bindings.entrySet()) {
      String key = e.getKey().key();
      NodeInput in = e.getValue();
      JsonNode node = graph.get(in.nodeId());
      if (node == null || !node.isObject()) {
        throw new InvalidInputException(
            Setting.WORKFLOW_BINDING,
            "Binding "
                + key
                + "="
                + in
                + " points at node "
                + in.nodeId()
                + ", which is not in the graph.",
            null);
      }
      JsonNode inputs = node.get("inputs");
      if (inputs == null || !inputs.has(in.inputName())) {
        throw new InvalidInputException(
            Setting.WORKFLOW_BINDING,
            "Binding "
                + key
                + "="
                + in
                + " points at input '"
                + in.inputName()
                + "' of node "
                + in.nodeId()
                + " ("
                + node.path("class_type").asText("?")
                + "), which has no such input"
                + inputNames(inputs)
                + ".",
            null);
      }
      JsonNode value = inputs.get(in.inputName());
      if (value.isArray()) {
        String source = value.path(0).asText("?");
        JsonNode sourceInputs = graph.path(source).path("inputs");
        String example =
            sourceInputs.path("value").isValueNode()
                ? ", for example " + key + "=" + source + ".value"
                : "";
        throw new InvalidInputException(
            Setting.WORKFLOW_BINDING,
            "Binding "
                + key
                + "="
                + in
                + " points at input '"
                + in.inputName()
                + "' of node "
                + in.nodeId()
                + ", which is fed by a link from node "
                + source
                + " ("
                + graph.path(source).path("class_type").asText("?")
                + "); bind the input that holds the value"
                + " instead"
                + example
                + ".",
            null);
      }
    }
    if (samplerNodeId != null && !graph.has(samplerNodeId)) {
      throw new InvalidInputException(
          "Node " + samplerNodeId + " named as sampler node is not in the graph.");
    }
    if (outputNodeId != null && !graph.has(outputNodeId)) {
      throw new InvalidInputException(
          Setting.OUTPUT_NODE,
          "Node " + outputNodeId + " named as output node is not in the graph.",
          null);
    }
  }

  /** ", its inputs are a, b, c" for a message; empty when the node has none. */
  private static String inputNames(JsonNode inputs) {
    if (inputs == null || inputs.isEmpty()) {
      return "";
    }
    List<String> names = new ArrayList<>();
    inputs.fieldNames().forEachRemaining(names::add);
    return "; its inputs are " + String.join(", ", names);
  }

  /**
   * A required binding is missing: the example names the graph's own loader node when it has one.
   */
  private InvalidInputException missing(WorkflowBinding b) {
    String loader = b == WorkflowBinding.IMAGE ? "LoadImage" : "LoadAudio";
    String input = b == WorkflowBinding.IMAGE ? "image" : "audio";
    String node = null;
    for (Map.Entry<String, JsonNode> e : graph.properties()) {
      if (loader.equals(e.getValue().path("class_type").asText(""))) {
        node = e.getKey();
        break;
      }
    }
    String example =
        node != null
            ? " "
                + b.key()
                + "="
                + node
                + "."
                + input
                + " (node "
                + node
                + " is the graph's "
                + loader
                + ")."
            : " "
                + b.key()
                + "=NODE."
                + input
                + " for the '"
                + input
                + "' input of a "
                + loader
                + " node.";
    return new InvalidInputException(
        "The workflow does not say which node input receives the "
            + b.key()
            + " file. Name it, for example with ",
        Setting.WORKFLOW_BINDING,
        example);
  }

  /**
   * A deep copy of the unpatched graph.
   *
   * @return a copy of the graph
   */
  public ObjectNode graph() {
    return graph.deepCopy();
  }

  /**
   * Which node input each value is written to.
   *
   * @return the bindings, immutable
   */
  public Map<WorkflowBinding, NodeInput> bindings() {
    return bindings;
  }

  /**
   * The node whose output file is the video: the one {@link Builder#outputNode named}, else the
   * graph's one node that saves a video; when empty, the first video file any node produced is
   * used.
   *
   * @return the node id, or empty
   */
  public Optional<String> outputNodeId() {
    return Optional.ofNullable(outputNodeId);
  }

  /**
   * The sampler node whose {@code progress} events count denoising steps; empty if unknown.
   *
   * @return the node id, or empty
   */
  public Optional<String> samplerNodeId() {
    return Optional.ofNullable(samplerNodeId);
  }

  /**
   * Sampler steps per frame window, read from the sampler node's literal {@code steps} input; 0 if
   * unknown.
   *
   * @return the steps, or 0
   */
  public int samplerSteps() {
    if (samplerNodeId == null) {
      return 0;
    }
    JsonNode steps = graph.path(samplerNodeId).path("inputs").path("steps");
    return steps.isNumber() ? steps.asInt() : 0;
  }

  /**
   * Frames per second of the generated video (25 for InfiniteTalk).
   *
   * @return the frame rate
   */
  public int fps() {
    return fps;
  }

  /**
   * Frames per generation window (81 for InfiniteTalk).
   *
   * @return the frames per window
   */
  public int frameWindow() {
    return frameWindow;
  }

  /**
   * Frames by which consecutive windows overlap (9 in the bundled workflow).
   *
   * @return the overlap in frames
   */
  public int motionFrames() {
    return motionFrames;
  }

  /**
   * How many windows the sampler runs for {@code frames} frames: the smallest k with window +
   * (k-1)·stride >= frames.
   *
   * @param frames the video's frames
   * @return the number of windows, at least 1
   */
  public int windowsFor(int frames) {
    int stride = frameWindow - motionFrames;
    if (frames <= frameWindow || stride <= 0) {
      return 1;
    }
    return 1 + (frames - frameWindow + stride - 1) / stride;
  }

  /**
   * A copy of the graph with every bound input set from {@code params}; values without a binding
   * are not patched. The template itself is unchanged.
   *
   * @param params the values to write
   * @return the patched copy, ready to submit
   */
  public ObjectNode patch(WorkflowParameters params) {
    ObjectNode g = graph.deepCopy();
    set(g, WorkflowBinding.IMAGE, params.image());
    set(g, WorkflowBinding.AUDIO, params.audio());
    set(g, WorkflowBinding.PROMPT, params.prompt());
    params.negativePrompt().ifPresent(v -> set(g, WorkflowBinding.NEGATIVE_PROMPT, v));
    set(g, WorkflowBinding.WIDTH, params.width());
    set(g, WorkflowBinding.HEIGHT, params.height());
    set(g, WorkflowBinding.MAX_FRAMES, params.maxFrames());
    params
        .audioCfgScale()
        .ifPresent(
            v ->
                inputs(g, WorkflowBinding.AUDIO_CFG_SCALE)
                    .ifPresent(
                        in ->
                            in.put(bindings.get(WorkflowBinding.AUDIO_CFG_SCALE).inputName(), v)));
    set(g, WorkflowBinding.SEED, params.seed());
    set(g, WorkflowBinding.OUTPUT_PREFIX, params.outputPrefix());
    return g;
  }

  private Optional<ObjectNode> inputs(ObjectNode g, WorkflowBinding b) {
    NodeInput in = bindings.get(b);
    return in == null
        ? Optional.empty()
        : Optional.of((ObjectNode) g.get(in.nodeId()).get("inputs"));
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
    return Objects.hash(
        graph, bindings, outputNodeId, samplerNodeId, fps, frameWindow, motionFrames);
  }

  @Override
  public String toString() {
    return "WorkflowTemplate{nodes="
        + graph.size()
        + ", bindings="
        + bindings
        + ", output="
        + outputNodeId
        + ", sampler="
        + samplerNodeId
        + "}";
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

    /**
     * The API-format graph (copied). Required.
     *
     * @param graph the graph
     * @return this builder
     */
    public Builder graph(ObjectNode graph) {
      this.graph = Objects.requireNonNull(graph, "graph").deepCopy();
      return this;
    }

    /**
     * Writes {@code binding}'s value to input {@code inputName} of node {@code nodeId}, replacing
     * an earlier binding of it.
     *
     * @param binding the value to bind
     * @param nodeId the node id
     * @param inputName the input's name
     * @return this builder
     */
    public Builder bind(WorkflowBinding binding, String nodeId, String inputName) {
      bindings.put(Objects.requireNonNull(binding, "binding"), NodeInput.of(nodeId, inputName));
      return this;
    }

    /**
     * Adds every binding of {@code all}, replacing earlier bindings of the same values.
     *
     * @param all the bindings
     * @return this builder
     */
    public Builder bindAll(Map<WorkflowBinding, NodeInput> all) {
      all.forEach(
          (k, v) ->
              bindings.put(
                  Objects.requireNonNull(k, "binding"), Objects.requireNonNull(v, "input")));
      return this;
    }

    /**
     * The node whose file output is the video (optional; default: the graph's one node of a class
     * that saves a video, such as {@code SaveVideo} or {@code VHS_VideoCombine}, else the first
     * video file of any node).
     *
     * @param nodeId the node id
     * @return this builder
     */
    public Builder outputNode(String nodeId) {
      this.outputNodeId = Objects.requireNonNull(nodeId, "nodeId");
      return this;
    }

    /**
     * The sampler node, for step progress (optional).
     *
     * @param nodeId the node id
     * @return this builder
     */
    public Builder samplerNode(String nodeId) {
      this.samplerNodeId = Objects.requireNonNull(nodeId, "nodeId");
      return this;
    }

    /**
     * Frames per second (default 25).
     *
     * @param fps the frame rate, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code fps} is not positive
     */
    public Builder fps(int fps) {
      if (fps <= 0) {
        throw new IllegalArgumentException("fps must be positive, was " + fps);
      }
      this.fps = fps;
      return this;
    }

    /**
     * Frames per window and overlap (defaults 81 and 9), for progress and length estimates.
     *
     * @param frameWindow frames per window, positive
     * @param motionFrames overlap in frames, 0 or more and below {@code frameWindow}
     * @return this builder
     * @throws IllegalArgumentException if the values are out of range
     */
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
     * @return the template, immutable
     * @throws InvalidInputException naming the first binding that points at a missing node or
     *     input, a missing image or audio binding, or the several nodes that save a video when none
     *     is named
     */
    public WorkflowTemplate build() {
      return new WorkflowTemplate(this);
    }
  }
}
