package io.openavathar.testkit.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one prompt on the worker thread, sending the events of reference §3.3 in order and
 * writing the history entry only after {@code execution_success}/{@code execution_error}/{@code
 * execution_interrupted}.
 */
final class PromptRun {

  private static final Logger LOG = LoggerFactory.getLogger(PromptRun.class);

  /** An interrupt took effect inside a node. */
  private static final class Interrupted extends Exception {
    private static final long serialVersionUID = 1L;
  }

  /** A restart abandoned the prompt: nothing more is sent or written. */
  private static final class Abandoned extends Exception {
    private static final long serialVersionUID = 1L;
  }

  /** A node raised an exception. */
  private static final class NodeFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final String type;

    NodeFailure(String type, String message) {
      super(message);
      this.type = type;
    }
  }

  private final RunContext ctx;
  private final PromptQueue.Started started;
  private final QueueItem item;
  private final String clientId;
  private final Graph graph;
  private final ArrayNode messages = Json.array();
  private final ObjectNode outputs = Json.object();
  private final ObjectNode meta = Json.object();
  private final List<String> executed = new ArrayList<>();
  private final Map<String, ObjectNode> progress = new LinkedHashMap<>();
  private final Map<String, OutputCache.Entry> completed = new HashMap<>();
  private RunPlan plan;

  PromptRun(RunContext ctx, PromptQueue.Started started) {
    this.ctx = ctx;
    this.started = started;
    this.item = started.item();
    this.clientId = item.clientId();
    this.graph = new Graph(item.graph());
  }

  void run() throws InterruptedException {
    List<String> order = graph.executionOrder(item.outputs());
    Map<String, String> signatures = ctx.cache().signatures(graph, ctx.directories());
    plan = RunPlan.of(graph, order, this::audioSeconds);
    LOG.debug("Prompt starts [promptId={}, plan={}]", item.promptId(), plan);
    long startedAt = System.currentTimeMillis();
    addMessage("execution_start", data(), false, startedAt);
    Set<String> cached = new LinkedHashSet<>();
    ObjectNode cachedData = Json.object();
    ArrayNode cachedNodes = cachedData.putArray("nodes");
    for (String id : graph.ids()) {
      if (ctx.cache().get(signatures.get(id)).isPresent()) {
        cached.add(id);
        cachedNodes.add(id);
      }
    }
    cachedData.put("prompt_id", item.promptId());
    addMessage("execution_cached", cachedData, false);
    String current = null;
    boolean success = false;
    try {
      for (String id : order) {
        current = id;
        Optional<OutputCache.Entry> hit =
            cached.contains(id) ? ctx.cache().get(signatures.get(id)) : Optional.empty();
        if (hit.isPresent()) {
          replayCached(id, hit.get());
        } else {
          runNode(id, signatures.get(id));
        }
      }
      // The simulated GPU's time: the history spans it although this run took milliseconds.
      long endedAt =
          cached.size() == order.size()
              ? System.currentTimeMillis()
              : startedAt + ctx.speed().nextRunMillis(plan.videoFrames());
      addMessage("execution_success", data(), false, Math.max(endedAt, System.currentTimeMillis()));
      success = true;
    } catch (Abandoned abandoned) {
      LOG.debug("Prompt abandoned by a restart [promptId={}]", item.promptId());
      return;
    } catch (Interrupted interrupted) {
      ObjectNode data = nodeData(current);
      addMessage("execution_interrupted", data, true);
    } catch (NodeFailure failure) {
      addMessage("execution_error", errorData(current, failure), false);
    }
    ctx.cache().update(signatures.values(), completed);
    finish(success);
  }

  private void runNode(String id, String signature)
      throws Interrupted, Abandoned, NodeFailure, InterruptedException {
    ctx.queue().setCurrentNode(started, id);
    sendOwner("executing", nodeEvent(id));
    progressState(id, 0, 1, "running");
    checkpoint(); // ComfyUI checks for an interrupt as a node starts, then only at progress ticks
    Optional<NodeHold> hold = ctx.queue().takeHold(id);
    if (hold.isPresent()) {
      hold.get().hold();
    }
    Faults.ExecutionFailure failure = ctx.faults().takeExecutionFailure(id);
    if (failure != null) {
      throw new NodeFailure(failure.exceptionType(), failure.exceptionMessage());
    }
    ObjectNode ui;
    try {
      ui = execute(id);
    } catch (IOException e) {
      throw new NodeFailure(
          e instanceof java.io.FileNotFoundException ? "FileNotFoundError" : "OSError",
          e.getMessage());
    } catch (RuntimeException e) {
      LOG.debug("Simulated node failed [node={}]", id, e);
      throw new NodeFailure("RuntimeError", e.toString());
    }
    if (ui != null) {
      recordUi(id, ui);
      ObjectNode data = nodeEvent(id);
      data.set("output", ui);
      sendOwner("executed", promptIdLast(data));
    }
    progressState(id, 1, 1, "finished");
    executed.add(id);
    if (signature != null) {
      completed.put(signature, new OutputCache.Entry(ui));
    }
  }

  /**
   * Cached output nodes get only an {@code executed} with the cached UI; other cached nodes get
   * nothing.
   */
  private void replayCached(String id, OutputCache.Entry entry) {
    if (entry.ui() != null) {
      recordUi(id, entry.ui());
    }
    if (NodeClasses.isOutput(graph.classType(id))) {
      ObjectNode data = nodeEvent(id);
      data.set("output", entry.ui());
      sendOwner("executed", promptIdLast(data));
    }
  }

  private ObjectNode execute(String id)
      throws Interrupted, Abandoned, IOException, InterruptedException {
    String classType = graph.classType(id);
    ObjectNode ui = Json.object();
    switch (classType) {
      case NodeClasses.SIZE_AND_COUNT:
        ui.putArray("text").add("1x" + plan.width() + "x" + plan.height());
        return ui;
      case NodeClasses.PREVIEW_ANY:
        ui.putArray("text").add(previewText(id));
        return ui;
      case NodeClasses.SAMPLER:
        sample(id);
        return null;
      case NodeClasses.VIDEO_COMBINE:
        ui.putArray("gifs").add(combine(id));
        return ui;
      case NodeClasses.SAVE_VIDEO:
        return ctx.files().saveVideo(graph.textInput(id, "filename_prefix"), plan.portrait());
      case NodeClasses.SAVE_IMAGE:
      case NodeClasses.PREVIEW_IMAGE:
        boolean temp = classType.equals(NodeClasses.PREVIEW_IMAGE);
        String prefix =
            temp
                ? "ComfyUI_temp"
                : Optional.ofNullable(graph.textInput(id, "filename_prefix")).orElse("ComfyUI");
        ui.putArray("images")
            .add(ctx.files().writeImage(prefix, temp, plan.width(), plan.height()));
        return ui;
      default:
        return null;
    }
  }

  /**
   * Sampler progress: one tick per step across all windows, against the (possibly too high)
   * estimate.
   */
  private void sample(String id) throws Interrupted, Abandoned, InterruptedException {
    int value = 0;
    for (int window = 0; window < plan.windows(); window++) {
      for (int step = 0; step < plan.steps(); step++) {
        ctx.queue().pause(started, ctx.stepDelay().toNanos());
        checkpoint();
        value++;
        tick(id, value, plan.progressMax());
        if (ctx.previews().getAsBoolean()) {
          ctx.hub().sendPreview(clientId, item.promptId(), id, ctx.previewJpeg());
        }
      }
    }
  }

  /** VHS: progress in four chunks over the video's frames, then the file. */
  private ObjectNode combine(String id)
      throws Interrupted, Abandoned, IOException, InterruptedException {
    int frames = plan.videoFrames();
    int chunks = Math.min(4, frames);
    for (int chunk = 1; chunk <= chunks; chunk++) {
      ctx.queue().pause(started, ctx.stepDelay().toNanos());
      checkpoint();
      tick(id, (int) ((long) frames * chunk / chunks), frames);
    }
    String prefix =
        Optional.ofNullable(graph.textInput(id, "filename_prefix")).orElse("AnimateDiff");
    String format = Optional.ofNullable(graph.textInput(id, "format")).orElse("video/h264-mp4");
    boolean withAudio = graph.inputs(id).has("audio");
    double frameRate = graph.numberInput(id, "frame_rate").orElse(8);
    return ctx.files()
        .writeVideo(
            prefix,
            graph.booleanInput(id, "save_output", true),
            withAudio,
            plan.portrait(),
            format,
            frameRate);
  }

  private String previewText(String id) {
    JsonNode source = graph.inputs(id).get("source");
    if (Graph.isLink(source)) {
      String from = source.get(0).asText();
      if (NodeClasses.EMBEDS.equals(graph.classType(from)) && source.get(1).asInt() == 2) {
        return String.valueOf(plan.frames());
      }
      OptionalDouble number = graph.numberInput(id, "source");
      if (number.isPresent()) {
        return String.valueOf((long) number.getAsDouble());
      }
      return "None";
    }
    return source == null ? "None" : source.asText();
  }

  private OptionalDouble audioSeconds(String loadAudioId) {
    String value = graph.textInput(loadAudioId, "audio");
    return value == null
        ? OptionalDouble.empty()
        : ctx.directories()
            .resolveAnnotated(value)
            .map(AudioDuration::seconds)
            .orElse(OptionalDouble.empty());
  }

  private void tick(String id, int value, int max) {
    progressState(id, value, max, "running");
    ObjectNode data = Json.object();
    data.put("value", value);
    data.put("max", max);
    data.put("prompt_id", item.promptId());
    data.put("node", id);
    ctx.hub().sendOrBroadcast(clientId, "progress", data);
  }

  private void progressState(String id, double value, double max, String state) {
    ObjectNode node = Json.object();
    node.put("value", value);
    node.put("max", max);
    node.put("state", state);
    node.put("node_id", id);
    node.put("prompt_id", item.promptId());
    node.put("display_node_id", id);
    node.putNull("parent_node_id");
    node.put("real_node_id", id);
    progress.put(id, node);
    ObjectNode data = data();
    ObjectNode nodes = data.putObject("nodes");
    progress.forEach((nodeId, entry) -> nodes.set(nodeId, entry.deepCopy()));
    ctx.hub().sendOrBroadcast(clientId, "progress_state", data);
  }

  /**
   * Interrupts take effect here, as ComfyUI's do: when a node starts and at each progress tick
   * (sampler step, video chunk), never in the middle of a node's work; until then the prompt stays
   * in {@code queue_running}. A restart abandons the run.
   */
  private void checkpoint() throws Interrupted, Abandoned {
    if (!ctx.queue().isCurrent(started)) {
      throw new Abandoned();
    }
    if (ctx.queue().isInterrupted()) {
      throw new Interrupted();
    }
  }

  private void finish(boolean success) throws InterruptedException {
    if (!ctx.historyDelay().isZero()) {
      ctx.queue().pause(started, ctx.historyDelay().toNanos());
    }
    ObjectNode entry = Json.object();
    entry.set("prompt", item.toJson());
    entry.set("outputs", outputs);
    ObjectNode status = entry.putObject("status");
    status.put("status_str", success ? "success" : "error");
    status.put("completed", success);
    status.set("messages", messages);
    entry.set("meta", meta);
    if (!ctx.queue().finish(started, entry)) {
      return;
    }
    LOG.debug(
        "Prompt finished, history written [promptId={}, success={}]", item.promptId(), success);
    ctx.hub().broadcastStatus();
    if (clientId != null) {
      ObjectNode done = Json.object();
      done.putNull("node");
      done.put("prompt_id", item.promptId());
      ctx.hub().send(clientId, "executing", done);
    }
  }

  private void recordUi(String id, ObjectNode ui) {
    outputs.set(id, ui);
    ObjectNode nodeMeta = meta.putObject(id);
    nodeMeta.put("node_id", id);
    nodeMeta.put("display_node", id);
    nodeMeta.putNull("parent_node");
    nodeMeta.put("real_node_id", id);
  }

  /**
   * {@code add_message}: timestamped, kept for history, sent to the owner (or to all when broadcast
   * and unowned).
   */
  private void addMessage(String event, ObjectNode data, boolean broadcast) {
    addMessage(event, data, broadcast, System.currentTimeMillis());
  }

  private void addMessage(String event, ObjectNode data, boolean broadcast, long timestamp) {
    data.put("timestamp", timestamp);
    ArrayNode message = messages.addArray();
    message.add(event);
    message.add(data);
    if (clientId != null || broadcast) {
      ctx.hub().sendOrBroadcast(clientId, event, data.deepCopy());
    }
  }

  private void sendOwner(String type, ObjectNode data) {
    if (clientId != null) {
      ctx.hub().send(clientId, type, data);
    }
  }

  private ObjectNode data() {
    ObjectNode data = Json.object();
    data.put("prompt_id", item.promptId());
    return data;
  }

  private ObjectNode nodeEvent(String id) {
    ObjectNode data = Json.object();
    data.put("node", id);
    data.put("display_node", id);
    data.put("prompt_id", item.promptId());
    return data;
  }

  /** Moves {@code prompt_id} to the end, the key order ComfyUI's {@code executed} has. */
  private static ObjectNode promptIdLast(ObjectNode data) {
    JsonNode promptId = data.remove("prompt_id");
    data.set("prompt_id", promptId);
    return data;
  }

  private ObjectNode nodeData(String nodeId) {
    ObjectNode data = data();
    data.put("node_id", nodeId);
    data.put("node_type", graph.classType(nodeId));
    ArrayNode done = data.putArray("executed");
    executed.forEach(done::add);
    return data;
  }

  private ObjectNode errorData(String nodeId, NodeFailure failure) {
    ObjectNode data = nodeData(nodeId);
    data.put("exception_message", failure.getMessage());
    data.put("exception_type", failure.type);
    data.putArray("traceback")
        .add(
            "  File \"/ComfyUI/execution.py\", line 496, in execute\n"
                + "    output_data, output_ui, has_subgraph, has_pending_tasks = await get_output_data(...)\n")
        .add(
            "  File \"/ComfyUI/custom_nodes/simulated.py\", line 1, in process\n"
                + "    raise "
                + failure.type
                + "("
                + failure.getMessage()
                + ")\n");
    ObjectNode inputs = data.putObject("current_inputs");
    for (Map.Entry<String, JsonNode> input : graph.inputs(nodeId).properties()) {
      if (!Graph.isLink(input.getValue())) {
        inputs.putArray(input.getKey()).add(input.getValue().asText());
      }
    }
    ArrayNode currentOutputs = data.putArray("current_outputs");
    executed.forEach(currentOutputs::add);
    return data;
  }
}
