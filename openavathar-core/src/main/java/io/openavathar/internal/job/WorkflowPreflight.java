package io.openavathar.internal.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.MissingNodesException;
import io.openavathar.MissingNodesException.NodePack;
import io.openavathar.MissingNodesException.NodeValue;
import io.openavathar.WorkflowRejectedException.NodeError;
import io.openavathar.comfy.ObjectInfo;
import io.openavathar.workflow.NodeInput;
import io.openavathar.workflow.WorkflowTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks a workflow against a server's {@code /object_info} before anything is uploaded: every node
 * class must be installed, and every literal text value of a choice-list input must be one of the
 * server's choices (model files above all). Inputs the SDK sets per job (the template's bindings:
 * uploaded file names, prompt, sizes, seed, ...) are not checked, nor links, nor values with a
 * directory annotation ({@code "x.png [output]"}).
 */
final class WorkflowPreflight {
  private static final List<String> MODEL_EXTENSIONS =
      List.of(".safetensors", ".sft", ".ckpt", ".pth", ".pt", ".gguf", ".bin", ".onnx");
  private static final List<String> ANNOTATIONS = List.of(" [input]", " [output]", " [temp]");

  private WorkflowPreflight() {}

  /**
   * What {@code template} needs that {@code info} lacks, as the exception to fail the job with;
   * empty when the server has it all.
   *
   * @param server the server as the message should name it (pod and URL, no credentials)
   * @param uploaded whether the job's files were uploaded already (the message says whether
   *     anything was)
   */
  static Optional<MissingNodesException> check(
      WorkflowTemplate template, ObjectInfo info, String server, boolean uploaded) {
    ObjectNode graph = template.graph();
    Set<NodeInput> bound = Set.copyOf(template.bindings().values());
    Map<String, List<String>> nodesByMissingClass = new TreeMap<>();
    List<NodeValue> models = new ArrayList<>();
    List<NodeValue> invalid = new ArrayList<>();
    List<NodeError> errors = new ArrayList<>();
    for (Map.Entry<String, JsonNode> node : graph.properties()) {
      String id = node.getKey();
      String classType = node.getValue().path("class_type").asText("");
      if (classType.isEmpty()) {
        continue; // ComfyUI's own validation names a node without class_type
      }
      if (!info.has(classType)) {
        nodesByMissingClass.computeIfAbsent(classType, c -> new ArrayList<>()).add(id);
        errors.add(new NodeError(id, classType, "node class " + classType + " is not installed"));
        continue;
      }
      for (Map.Entry<String, JsonNode> input : node.getValue().path("inputs").properties()) {
        JsonNode value = input.getValue();
        if (!value.isTextual()
            || bound.contains(NodeInput.of(id, input.getKey()))
            || annotated(value.asText())) {
          continue;
        }
        Optional<List<String>> choices = info.choices(classType, input.getKey());
        if (choices.isEmpty() || choices.get().contains(value.asText())) {
          continue;
        }
        NodeValue bad = new NodeValue(id, classType, input.getKey(), value.asText());
        boolean model = isModelFile(value.asText());
        (model ? models : invalid).add(bad);
        errors.add(
            new NodeError(
                id,
                classType,
                (model ? "model file '" : "value '")
                    + value.asText()
                    + "' of input "
                    + input.getKey()
                    + " is not among the server's "
                    + choices.get().size()
                    + " choices"));
      }
    }
    if (nodesByMissingClass.isEmpty() && models.isEmpty() && invalid.isEmpty()) {
      return Optional.empty();
    }
    List<String> missing = List.copyOf(nodesByMissingClass.keySet());
    Map<NodePacks.Pack, List<String>> byPack = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    for (String c : missing) {
      Optional<NodePacks.Pack> pack = NodePacks.packFor(c);
      if (pack.isPresent()) {
        byPack.computeIfAbsent(pack.get(), p -> new ArrayList<>()).add(c);
      } else {
        unknown.add(c);
      }
    }
    List<NodePack> packs = new ArrayList<>();
    byPack.forEach((p, classes) -> packs.add(new NodePack(p.name(), p.repository(), classes)));
    String message = message(server, uploaded, missing, packs, unknown, models, invalid);
    return Optional.of(
        new MissingNodesException(message, errors, server, missing, packs, models, invalid));
  }

  private static String message(
      String server,
      boolean uploaded,
      List<String> missing,
      List<NodePack> packs,
      List<String> unknown,
      List<NodeValue> models,
      List<NodeValue> invalid) {
    List<String> lacks = new ArrayList<>();
    if (!missing.isEmpty()) {
      lacks.add(count(missing.size(), "node class") + " the workflow uses");
    }
    if (!models.isEmpty()) {
      lacks.add(count(models.size(), "model file"));
    }
    if (!invalid.isEmpty()) {
      lacks.add(count(invalid.size(), "option value"));
    }
    StringBuilder m =
        new StringBuilder(server)
            .append(" lacks ")
            .append(String.join(" and ", lacks))
            .append(uploaded ? "." : "; nothing was uploaded.");
    if (!missing.isEmpty()) {
      List<String> installs = new ArrayList<>();
      packs.forEach(
          p ->
              installs.add(
                  p.name() + " (" + p.repository() + ") for " + String.join(", ", p.classes())));
      unknown.forEach(c -> installs.add("a custom node pack that provides " + c));
      m.append(" Install the node packs ")
          .append(String.join("; ", installs))
          .append(" (with ComfyUI-Manager, or git clone into ComfyUI/custom_nodes).");
    }
    if (!models.isEmpty()) {
      m.append(" Add the model files ").append(values(models)).append(" to its models folders.");
    }
    if (!invalid.isEmpty()) {
      m.append(" Its nodes do not offer ")
          .append(values(invalid))
          .append(": update their node packs or change the workflow.");
    }
    return m.append(" Then restart ComfyUI, or run the job on a server that has them.").toString();
  }

  private static String values(List<NodeValue> values) {
    return values.stream()
        .map(
            v ->
                "'"
                    + v.value()
                    + "' (node "
                    + v.nodeId()
                    + " "
                    + v.classType()
                    + ", input "
                    + v.inputName()
                    + ")")
        .collect(Collectors.joining(", "));
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : noun.endsWith("s") ? "es" : "s");
  }

  static boolean isModelFile(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    return MODEL_EXTENSIONS.stream().anyMatch(lower::endsWith);
  }

  private static boolean annotated(String value) {
    return ANNOTATIONS.stream().anyMatch(value::endsWith);
  }
}
