package io.openavathar.workflow;

import java.util.Objects;

/**
 * One input of one node of an API-format graph, for example node {@code "125"}, input {@code
 * "audio"}.
 *
 * @param nodeId the node id (a string, as in the graph's keys)
 * @param inputName the key under the node's {@code inputs}
 */
public record NodeInput(String nodeId, String inputName) {
  /**
   * Checks that no value is null.
   *
   * @param nodeId the node id
   * @param inputName the key under the node's {@code inputs}
   */
  public NodeInput {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(inputName, "inputName");
  }

  /**
   * Shorthand for {@code new NodeInput(nodeId, inputName)}.
   *
   * @param nodeId the node id
   * @param inputName the key under the node's {@code inputs}
   * @return the node input
   */
  public static NodeInput of(String nodeId, String inputName) {
    return new NodeInput(nodeId, inputName);
  }

  @Override
  public String toString() {
    return nodeId + "." + inputName;
  }
}
