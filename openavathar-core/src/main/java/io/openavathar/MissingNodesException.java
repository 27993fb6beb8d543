package io.openavathar;

import java.util.List;
import java.util.Objects;

/**
 * The ComfyUI server lacks node classes or model files the workflow needs; found by asking the
 * server's {@code /object_info} before anything was uploaded (or, when that answer was stale, after
 * {@code POST /prompt} refused the workflow). The message names every missing class, the node packs
 * that provide them, and every missing model file with the node input that names it. Not retryable:
 * install what is missing on that server (or run the job on another one).
 *
 * <p>{@link #nodeErrors()} carries one entry per offending node, as a validation failure would.
 */
public class MissingNodesException extends WorkflowRejectedException {
  private static final long serialVersionUID = 1L;

  /** The server, as named in the message. */
  private final String server;

  private final transient List<String> missingClasses;
  private final transient List<NodePack> nodePacks;
  private final transient List<NodeValue> missingModels;
  private final transient List<NodeValue> invalidValues;

  /**
   * A server that lacks what a workflow needs.
   *
   * @param message what is missing and what to install
   * @param nodeErrors one entry per offending node
   * @param server the server: its pod and its URL without credentials
   * @param missingClasses the node classes the server does not have
   * @param nodePacks the known node packs that provide them
   * @param missingModels the model files the server does not offer
   * @param invalidValues other literal values the server does not offer
   */
  public MissingNodesException(
      String message,
      List<NodeError> nodeErrors,
      String server,
      List<String> missingClasses,
      List<NodePack> nodePacks,
      List<NodeValue> missingModels,
      List<NodeValue> invalidValues) {
    super(message, nodeErrors);
    this.server = Objects.requireNonNull(server, "server");
    this.missingClasses = List.copyOf(missingClasses);
    this.nodePacks = List.copyOf(nodePacks);
    this.missingModels = List.copyOf(missingModels);
    this.invalidValues = List.copyOf(invalidValues);
  }

  /**
   * The server, as named in the message: its pod and its URL without credentials.
   *
   * @return the server, never null
   */
  public String server() {
    return server;
  }

  /**
   * The node classes the workflow uses that the server does not have, sorted.
   *
   * @return the class names, immutable
   */
  public List<String> missingClasses() {
    return missingClasses;
  }

  /**
   * The known node packs that provide {@link #missingClasses()}; a class no known pack provides is
   * in no pack (the message asks for "a custom node pack that provides" it).
   *
   * @return the node packs, immutable
   */
  public List<NodePack> nodePacks() {
    return nodePacks;
  }

  /**
   * Model files the workflow names that the server's choice lists do not offer, with the input
   * naming each.
   *
   * @return the missing models, immutable
   */
  public List<NodeValue> missingModels() {
    return missingModels;
  }

  /**
   * Other literal values the server's choice lists do not offer (an option an older node pack
   * lacks, say).
   *
   * @return the invalid values, immutable
   */
  public List<NodeValue> invalidValues() {
    return invalidValues;
  }

  /**
   * A custom node pack.
   *
   * @param name for example {@code ComfyUI-KJNodes}
   * @param repository where to get it, for example {@code https://github.com/kijai/ComfyUI-KJNodes}
   * @param classes the missing classes it provides, sorted
   */
  public record NodePack(String name, String repository, List<String> classes) {
    /**
     * Checks the values and copies the classes.
     *
     * @param name the pack's name
     * @param repository where to get it
     * @param classes the missing classes it provides
     */
    public NodePack {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(repository, "repository");
      classes = List.copyOf(classes);
    }
  }

  /**
   * A literal input value of one node.
   *
   * @param nodeId the node id in the API graph, for example {@code "20"}
   * @param classType the node's class, for example {@code WanVideoModelLoader}
   * @param inputName the input, for example {@code model}
   * @param value the value the workflow gives it, for example {@code
   *     WanVideo/wan2.1_i2v_480p_14B_fp8_scaled.safetensors}
   */
  public record NodeValue(String nodeId, String classType, String inputName, String value) {
    /**
     * Checks that no value is null.
     *
     * @param nodeId the node id in the API graph
     * @param classType the node's class
     * @param inputName the input
     * @param value the value the workflow gives it
     */
    public NodeValue {
      Objects.requireNonNull(nodeId, "nodeId");
      Objects.requireNonNull(classType, "classType");
      Objects.requireNonNull(inputName, "inputName");
      Objects.requireNonNull(value, "value");
    }
  }
}
