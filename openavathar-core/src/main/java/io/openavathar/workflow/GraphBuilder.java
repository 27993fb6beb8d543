package io.openavathar.workflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds an API-format ComfyUI graph in code: {@code {"<id>": {"class_type": ..., "inputs": {...},
 * "_meta": {"title": ...}}}}. Links are {@code [sourceId, outputIndex]} arrays. Small on purpose:
 * it only saves the JSON plumbing, so the graph reads as a list of nodes.
 */
final class GraphBuilder {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final ObjectNode graph = F.objectNode();

  /** Adds a node and returns it for setting inputs. */
  Node node(String id, String classType, String title) {
    if (graph.has(id)) {
      throw new IllegalArgumentException("duplicate node id " + id);
    }
    ObjectNode n = graph.putObject(id);
    n.put("class_type", classType);
    ObjectNode inputs = n.putObject("inputs");
    n.putObject("_meta").put("title", title);
    return new Node(id, inputs);
  }

  ObjectNode build() {
    return graph.deepCopy();
  }

  /** A node being built. */
  static final class Node {
    final String id;
    private final ObjectNode inputs;

    private Node(String id, ObjectNode inputs) {
      this.id = id;
      this.inputs = inputs;
    }

    Node set(String input, String value) {
      inputs.put(input, value);
      return this;
    }

    Node set(String input, long value) {
      // Small numbers as ints, as Jackson reads them back: a graph saved and loaded again stays
      // equal.
      if (value == (int) value) {
        inputs.put(input, (int) value);
      } else {
        inputs.put(input, value);
      }
      return this;
    }

    Node set(String input, double value) {
      inputs.put(input, value);
      return this;
    }

    Node set(String input, boolean value) {
      inputs.put(input, value);
      return this;
    }

    /** Connects {@code input} to output {@code outputIndex} of {@code source}. */
    Node link(String input, Node source, int outputIndex) {
      ArrayNode link = inputs.putArray(input);
      link.add(source.id);
      link.add(outputIndex);
      return this;
    }
  }
}
