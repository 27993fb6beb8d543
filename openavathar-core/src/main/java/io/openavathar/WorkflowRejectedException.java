package io.openavathar;

import java.util.List;
import java.util.Objects;

/**
 * ComfyUI refused the workflow at validation time ({@code POST /prompt} answered 400, or 200 with
 * non-empty {@code node_errors}). Typical causes: a model file missing on the server, a custom node
 * pack not installed. The message lists each node; {@link #nodeErrors()} carries them for programs.
 * Not retryable: the server or the workflow must change.
 */
public class WorkflowRejectedException extends OpenAvatharException {
  private static final long serialVersionUID = 1L;
  private final transient List<NodeError> nodeErrors;

  /**
   * ComfyUI refused the workflow; {@code nodeErrors} are the per-node errors it returned.
   *
   * @param message what was refused and what to do
   * @param nodeErrors the per-node errors; copied
   */
  public WorkflowRejectedException(String message, List<NodeError> nodeErrors) {
    super(message);
    this.nodeErrors = List.copyOf(nodeErrors);
  }

  /**
   * Each failing node, in the order the server listed them; may be empty (for example an unknown
   * node class).
   *
   * @return the node errors, immutable
   */
  public List<NodeError> nodeErrors() {
    return nodeErrors;
  }

  /**
   * One validation error of one node.
   *
   * @param nodeId the node id in the API graph, for example {@code "122"}
   * @param classType the node's class, for example {@code "WanVideoModelLoader"}
   * @param message the server's message joined with its details, for example {@code "Value not in
   *     list: model: 'x.safetensors' not in (list of length 27)"}
   */
  public record NodeError(String nodeId, String classType, String message) {
    /**
     * Checks that no value is null.
     *
     * @param nodeId the node id in the API graph
     * @param classType the node's class
     * @param message the server's message joined with its details
     */
    public NodeError {
      Objects.requireNonNull(nodeId, "nodeId");
      Objects.requireNonNull(classType, "classType");
      Objects.requireNonNull(message, "message");
    }
  }
}
