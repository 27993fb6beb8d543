package io.openavathar.testkit.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Read-only view of an API-format prompt: node classes, literal inputs and links.
 *
 * <p>A link is an input value {@code ["<nodeId>", <outputIndex>]}. Links to missing nodes are
 * skipped here; validation reports them.
 */
final class Graph {

  private final ObjectNode prompt;

  Graph(ObjectNode prompt) {
    this.prompt = prompt;
  }

  ObjectNode json() {
    return prompt;
  }

  /** Node ids in document order. */
  List<String> ids() {
    List<String> ids = new ArrayList<>();
    prompt.fieldNames().forEachRemaining(ids::add);
    return ids;
  }

  boolean contains(String id) {
    return prompt.get(id) instanceof ObjectNode;
  }

  /** The node's {@code class_type}, or null when the node or the field is missing or not text. */
  String classType(String id) {
    JsonNode node = prompt.get(id);
    JsonNode type = node == null ? null : node.get("class_type");
    return type != null && type.isTextual() ? type.asText() : null;
  }

  ObjectNode inputs(String id) {
    JsonNode node = prompt.get(id);
    JsonNode inputs = node == null ? null : node.get("inputs");
    return inputs instanceof ObjectNode ? (ObjectNode) inputs : Json.object();
  }

  static boolean isLink(JsonNode value) {
    return value != null
        && value.isArray()
        && value.size() == 2
        && value.get(0).isTextual()
        && value.get(1).isIntegralNumber();
  }

  /** Source node ids of the node's linked inputs, in input order (may name missing nodes). */
  List<String> linkSources(String id) {
    List<String> sources = new ArrayList<>();
    for (Map.Entry<String, JsonNode> input : inputs(id).properties()) {
      JsonNode value = input.getValue();
      if (isLink(value)) {
        sources.add(value.get(0).asText());
      }
    }
    return sources;
  }

  /** The node plus everything it depends on (existing nodes only). */
  Set<String> closure(String id) {
    Set<String> seen = new LinkedHashSet<>();
    visit(id, seen, new ArrayList<>());
    return seen;
  }

  /**
   * A plausible execution order for the given outputs: depth-first, dependencies before dependants,
   * inputs in document order, outputs in the given order.
   */
  List<String> executionOrder(Collection<String> outputs) {
    Set<String> seen = new LinkedHashSet<>();
    List<String> order = new ArrayList<>();
    for (String output : outputs) {
      visit(output, seen, order);
    }
    return order;
  }

  private void visit(String id, Set<String> seen, List<String> order) {
    if (!contains(id) || !seen.add(id)) {
      return;
    }
    for (String source : linkSources(id)) {
      visit(source, seen, order);
    }
    order.add(id);
  }

  /** The first node of a class among the given ids, in their order. */
  Optional<String> firstOfClass(String classType, Collection<String> among) {
    return among.stream().filter(id -> classType.equals(classType(id))).findFirst();
  }

  /** The node an input links to, when that input is a link to an existing node. */
  Optional<String> linkedNode(String id, String input) {
    JsonNode value = inputs(id).get(input);
    if (isLink(value) && contains(value.get(0).asText())) {
      return Optional.of(value.get(0).asText());
    }
    return Optional.empty();
  }

  /** An integer input: a literal number, or a link to an {@code INTConstant}'s value. */
  OptionalInt intInput(String id, String input) {
    OptionalDouble number = numberInput(id, input);
    return number.isPresent() ? OptionalInt.of((int) number.getAsDouble()) : OptionalInt.empty();
  }

  /**
   * A numeric input: a literal number, or a link to an {@code INTConstant}/{@code FloatConstant}'s
   * value.
   */
  OptionalDouble numberInput(String id, String input) {
    JsonNode value = inputs(id).get(input);
    if (value != null && value.isNumber()) {
      return OptionalDouble.of(value.asDouble());
    }
    Optional<String> source = linkedNode(id, input);
    if (source.isPresent()
        && classType(source.get()) != null
        && classType(source.get()).endsWith("Constant")) {
      JsonNode constant = inputs(source.get()).get("value");
      if (constant != null && constant.isNumber()) {
        return OptionalDouble.of(constant.asDouble());
      }
    }
    return OptionalDouble.empty();
  }

  /** A literal text input, or null. */
  String textInput(String id, String input) {
    JsonNode value = inputs(id).get(input);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  /** A literal boolean input, or the default. */
  boolean booleanInput(String id, String input, boolean defaultValue) {
    JsonNode value = inputs(id).get(input);
    return value != null && value.isBoolean() ? value.asBoolean() : defaultValue;
  }
}
