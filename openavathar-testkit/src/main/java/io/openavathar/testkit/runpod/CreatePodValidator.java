package io.openavathar.testkit.runpod;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a body against the OpenAPI schema of {@code CreatePodRequest} (and {@code
 * PodActionRequest}): types, required fields, enums, minimums and {@code unevaluatedProperties:
 * false}. Each violation is one string in the problem's {@code errors}, in the spec example's style
 * ({@code "$: additional properties 'bogus' not allowed"}). Cross-field rules that RunPod enforces
 * in its handler (400) are not checked here.
 */
final class CreatePodValidator {

  private static final Set<String> TOP_LEVEL =
      Set.of(
          "name",
          "image",
          "templateId",
          "gpu",
          "cpu",
          "cloud",
          "dataCenterIds",
          "disk",
          "mounts",
          "ports",
          "env",
          "args",
          "registry",
          "globalNetworking",
          "startSsh",
          "startJupyter");
  private static final Set<String> GPU =
      Set.of("id", "count", "allowedCudaVersions", "minCudaVersion");
  private static final Set<String> CPU = Set.of("id", "vcpuCount");
  private static final Pattern CUDA = Pattern.compile("^\\d+\\.\\d+$");
  static final List<String> ACTIONS = List.of("start", "stop", "restart", "terminate");

  private final List<String> errors = new ArrayList<>();

  private CreatePodValidator() {}

  /** The violations of a create body; empty when it is valid. */
  static List<String> validateCreate(JsonNode body) {
    CreatePodValidator v = new CreatePodValidator();
    if (!body.isObject()) {
      v.errors.add("$: got " + type(body) + ", want object");
      return v.errors;
    }
    v.properties("$", body, TOP_LEVEL);
    v.required("$", body, "name");
    if (!body.has("templateId")) {
      v.required("$", body, "image");
    }
    v.string("$.name", body.get("name"), 1);
    v.string("$.image", body.get("image"), 0);
    v.string("$.templateId", body.get("templateId"), 1);
    v.string("$.args", body.get("args"), 0);
    if (body.has("registry") && !body.get("registry").isNull()) {
      v.string("$.registry", body.get("registry"), 0);
    }
    v.integer("$.disk", body.get("disk"), 1);
    for (String flag : List.of("globalNetworking", "startSsh", "startJupyter")) {
      if (body.has(flag) && !body.get(flag).isBoolean()) {
        v.errors.add("$." + flag + ": got " + type(body.get(flag)) + ", want boolean");
      }
    }
    v.enumValue("$.cloud", body.get("cloud"), List.of("SECURE", "COMMUNITY"));
    v.stringArray("$.dataCenterIds", body.get("dataCenterIds"), null);
    v.stringArray("$.ports", body.get("ports"), null);
    v.env(body.get("env"));
    v.gpu(body.get("gpu"));
    v.cpu(body.get("cpu"));
    v.mounts(body.get("mounts"));
    return v.errors;
  }

  /** The violations of an action body; empty when it is valid. */
  static List<String> validateAction(JsonNode body) {
    CreatePodValidator v = new CreatePodValidator();
    if (!body.isObject()) {
      v.errors.add("$: got " + type(body) + ", want object");
      return v.errors;
    }
    v.properties("$", body, Set.of("action"));
    v.required("$", body, "action");
    v.enumValue("$.action", body.get("action"), ACTIONS);
    return v.errors;
  }

  private void gpu(JsonNode gpu) {
    if (gpu == null) {
      return;
    }
    if (!object("$.gpu", gpu)) {
      return;
    }
    properties("$.gpu", gpu, GPU);
    required("$.gpu", gpu, "id");
    string("$.gpu.id", gpu.get("id"), 0);
    integer("$.gpu.count", gpu.get("count"), 1);
    stringArray("$.gpu.allowedCudaVersions", gpu.get("allowedCudaVersions"), CUDA);
    JsonNode min = gpu.get("minCudaVersion");
    if (min != null
        && string("$.gpu.minCudaVersion", min, 0)
        && !CUDA.matcher(min.asText()).matches()) {
      errors.add(
          "$.gpu.minCudaVersion: '" + min.asText() + "' does not match pattern '" + CUDA + "'");
    }
  }

  private void cpu(JsonNode cpu) {
    if (cpu == null || !object("$.cpu", cpu)) {
      return;
    }
    properties("$.cpu", cpu, CPU);
    required("$.cpu", cpu, "id");
    required("$.cpu", cpu, "vcpuCount");
    string("$.cpu.id", cpu.get("id"), 1);
    integer("$.cpu.vcpuCount", cpu.get("vcpuCount"), 2);
  }

  private void mounts(JsonNode mounts) {
    if (mounts == null || !object("$.mounts", mounts)) {
      return;
    }
    properties("$.mounts", mounts, Set.of("persistent", "network"));
    JsonNode persistent = mounts.get("persistent");
    if (persistent != null && object("$.mounts.persistent", persistent)) {
      properties("$.mounts.persistent", persistent, Set.of("size", "path"));
      required("$.mounts.persistent", persistent, "size");
      required("$.mounts.persistent", persistent, "path");
      integer("$.mounts.persistent.size", persistent.get("size"), 10);
      string("$.mounts.persistent.path", persistent.get("path"), 0);
    }
    JsonNode network = mounts.get("network");
    if (network == null) {
      return;
    }
    if (!network.isArray()) {
      errors.add("$.mounts.network: got " + type(network) + ", want array");
      return;
    }
    if (network.size() > 1) {
      errors.add("$.mounts.network: maxItems: got " + network.size() + ", want 1");
    }
    for (int i = 0; i < network.size(); i++) {
      String at = "$.mounts.network[" + i + "]";
      JsonNode entry = network.get(i);
      if (object(at, entry)) {
        properties(at, entry, Set.of("volumeId", "path"));
        required(at, entry, "volumeId");
        required(at, entry, "path");
        string(at + ".volumeId", entry.get("volumeId"), 0);
        string(at + ".path", entry.get("path"), 0);
      }
    }
  }

  private void env(JsonNode env) {
    if (env == null || !object("$.env", env)) {
      return;
    }
    for (Map.Entry<String, JsonNode> entry : env.properties()) {
      if (!entry.getValue().isTextual()) {
        errors.add("$.env." + entry.getKey() + ": got " + type(entry.getValue()) + ", want string");
      }
    }
  }

  private void properties(String at, JsonNode object, Set<String> allowed) {
    List<String> unknown = new ArrayList<>();
    object
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!allowed.contains(name)) {
                unknown.add("'" + name + "'");
              }
            });
    if (!unknown.isEmpty()) {
      errors.add(at + ": additional properties " + String.join(", ", unknown) + " not allowed");
    }
  }

  private void required(String at, JsonNode object, String name) {
    if (!object.has(name)) {
      errors.add(at + ": missing property '" + name + "'");
    }
  }

  private boolean object(String at, JsonNode node) {
    if (!node.isObject()) {
      errors.add(at + ": got " + type(node) + ", want object");
      return false;
    }
    return true;
  }

  private boolean string(String at, JsonNode node, int minLength) {
    if (node == null) {
      return false;
    }
    if (!node.isTextual()) {
      errors.add(at + ": got " + type(node) + ", want string");
      return false;
    }
    if (node.asText().length() < minLength) {
      errors.add(at + ": minLength: got " + node.asText().length() + ", want " + minLength);
      return false;
    }
    return true;
  }

  private void integer(String at, JsonNode node, int minimum) {
    if (node == null) {
      return;
    }
    if (!node.isIntegralNumber()) {
      errors.add(at + ": got " + type(node) + ", want integer");
    } else if (node.asLong() < minimum) {
      errors.add(at + ": minimum: got " + node.asLong() + ", want " + minimum);
    }
  }

  private void enumValue(String at, JsonNode node, List<String> values) {
    if (node != null && !(node.isTextual() && values.contains(node.asText()))) {
      errors.add(
          at
              + ": value must be one of "
              + String.join(", ", values.stream().map(v -> "'" + v + "'").toList()));
    }
  }

  private void stringArray(String at, JsonNode node, Pattern pattern) {
    if (node == null) {
      return;
    }
    if (!node.isArray()) {
      errors.add(at + ": got " + type(node) + ", want array");
      return;
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isTextual()) {
        errors.add(at + "[" + i + "]: got " + type(item) + ", want string");
      } else if (pattern != null && !pattern.matcher(item.asText()).matches()) {
        errors.add(
            at + "[" + i + "]: '" + item.asText() + "' does not match pattern '" + pattern + "'");
      }
    }
  }

  private static String type(JsonNode node) {
    if (node.isNull()) {
      return "null";
    }
    if (node.isTextual()) {
      return "string";
    }
    if (node.isBoolean()) {
      return "boolean";
    }
    if (node.isNumber()) {
      return "number";
    }
    return node.isArray() ? "array" : "object";
  }
}
