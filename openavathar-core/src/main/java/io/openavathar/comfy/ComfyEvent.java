package io.openavathar.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One decoded message of ComfyUI's WebSocket ({@code /ws?clientId=}). Unknown message types (custom
 * nodes) arrive as {@link Unknown}, never as an error; binary preview frames are skipped.
 *
 * <p>The end of a prompt is {@link Executing} with no node for that prompt id ({@link
 * Executing#isPromptDone()}), sent after history is written; {@link ExecutionSuccess} comes
 * earlier, before history exists.
 */
public sealed interface ComfyEvent {

  /**
   * The prompt this event belongs to, if it names one ({@code status} and reconnect hints do not).
   *
   * @return the prompt id, or empty
   */
  Optional<String> promptId();

  /**
   * {@code status}: the queue changed; {@code sid} is present only on the first message after a
   * (re)connect.
   */
  record Status(int queueRemaining, Optional<String> sid) implements ComfyEvent {
    @Override
    public Optional<String> promptId() {
      return Optional.empty();
    }
  }

  /** {@code execution_start}. */
  record ExecutionStart(String id) implements ComfyEvent {
    @Override
    public Optional<String> promptId() {
      return Optional.of(id);
    }
  }

  /** {@code execution_cached}: nodes whose outputs are reused. */
  record ExecutionCached(String id, List<String> nodes) implements ComfyEvent {
    /**
     * Copies the node list.
     *
     * @param id the prompt id
     * @param nodes the ids of the cached nodes
     */
    public ExecutionCached {
      nodes = List.copyOf(nodes);
    }

    @Override
    public Optional<String> promptId() {
      return Optional.of(id);
    }
  }

  /**
   * {@code executing}: a node starts, or with no node the prompt is finished (success, error or
   * interrupt). The reconnect hint carries a node but no prompt id.
   */
  record Executing(Optional<String> promptId, Optional<String> node) implements ComfyEvent {
    /**
     * True for {@code executing{node:null}} of a named prompt: history is now written.
     *
     * @return true when the prompt is finished
     */
    public boolean isPromptDone() {
      return promptId.isPresent() && node.isEmpty();
    }
  }

  /**
   * {@code progress}: a node reports {@code value} of {@code max} (sampler steps, encoded frames,
   * ...).
   */
  record Progress(Optional<String> promptId, String node, long value, long max)
      implements ComfyEvent {}

  /**
   * {@code progress_state} (ComfyUI 0.3.44 and later): the progress of every node of the prompt
   * that has started so far, sent whenever one of them starts, moves or ends. A graph of core nodes
   * sends only this, never {@link Progress}. Entries the decoder could not read are left out.
   */
  record ProgressState(String id, Map<String, NodeProgress> nodes) implements ComfyEvent {
    /**
     * Copies the node map, keeping its order.
     *
     * @param id the prompt id
     * @param nodes each started node's progress, by node id
     */
    public ProgressState {
      nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
    }

    @Override
    public Optional<String> promptId() {
      return Optional.of(id);
    }
  }

  /**
   * One node's entry in {@link ProgressState}: {@code value} of {@code max} (floats on the wire),
   * and its state. {@code displayNode} is the node the UI shows for it (differs from the key inside
   * subgraphs), if named.
   */
  record NodeProgress(double value, double max, NodeState state, Optional<String> displayNode) {}

  /** A node's state in {@link ProgressState}; {@link #OTHER} for a state this SDK does not know. */
  enum NodeState {
    /** Not started yet. */
    PENDING,
    /** Running now. */
    RUNNING,
    /** Finished. */
    FINISHED,
    /** Failed. */
    ERROR,
    /** A state this SDK does not know. */
    OTHER
  }

  /**
   * {@code executed}: a node produced UI output ({@code output} may be JSON null for cached nodes).
   */
  record Executed(String id, String node, JsonNode output) implements ComfyEvent {
    @Override
    public Optional<String> promptId() {
      return Optional.of(id);
    }
  }

  /** {@code execution_success}: sent before history is written; do not fetch history on it. */
  record ExecutionSuccess(String id) implements ComfyEvent {
    @Override
    public Optional<String> promptId() {
      return Optional.of(id);
    }
  }

  /** {@code execution_error}: a node raised an exception. */
  record ExecutionError(
      String id, String nodeId, String nodeType, String exceptionType, String exceptionMessage)
      implements ComfyEvent {
    @Override
    public Optional<String> promptId() {
      return Optional.of(id);
    }
  }

  /** {@code execution_interrupted}: broadcast to all sockets; filter by prompt id. */
  record ExecutionInterrupted(String id, Optional<String> nodeId) implements ComfyEvent {
    @Override
    public Optional<String> promptId() {
      return Optional.of(id);
    }
  }

  /**
   * Any other message type, kept raw (custom nodes such as {@code VHS_latentpreview}, {@code
   * feature_flags}).
   */
  record Unknown(String type, JsonNode data) implements ComfyEvent {
    @Override
    public Optional<String> promptId() {
      JsonNode id = data.path("prompt_id");
      return id.isTextual() ? Optional.of(id.asText()) : Optional.empty();
    }
  }
}
