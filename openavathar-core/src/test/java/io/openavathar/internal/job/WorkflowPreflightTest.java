package io.openavathar.internal.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.MissingNodesException;
import io.openavathar.MissingNodesException.NodePack;
import io.openavathar.MissingNodesException.NodeValue;
import io.openavathar.comfy.ObjectInfo;
import io.openavathar.internal.Json;
import io.openavathar.workflow.InfiniteTalkWorkflow;
import io.openavathar.workflow.WorkflowBinding;
import io.openavathar.workflow.WorkflowTemplate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkflowPreflightTest {
  static final WorkflowTemplate BUNDLED = InfiniteTalkWorkflow.template();
  static final String SERVER = "The ComfyUI server http://127.0.0.1:8188";

  /** The classes of the bundled graph, and its model files as the loaders' only choices. */
  static ObjectInfo everything() {
    Set<String> classes = new HashSet<>();
    Map<String, Map<String, List<String>>> choices = new HashMap<>();
    BUNDLED
        .graph()
        .properties()
        .forEach(
            n -> {
              String c = n.getValue().path("class_type").asText();
              classes.add(c);
              n.getValue()
                  .path("inputs")
                  .properties()
                  .forEach(
                      in -> {
                        if (in.getValue().isTextual()
                            && WorkflowPreflight.isModelFile(in.getValue().asText())) {
                          choices
                              .computeIfAbsent(c, k -> new HashMap<>())
                              .put(in.getKey(), List.of(in.getValue().asText()));
                        }
                      });
            });
    return ObjectInfo.of(classes, choices);
  }

  @Test
  void check_onAServerWithEverything_findsNothing() {
    assertThat(WorkflowPreflight.check(BUNDLED, everything(), SERVER, false)).isEmpty();
  }

  @Test
  void check_onAStockServer_listsEveryMissingClass_andThePacksThatProvideThem() {
    ObjectInfo stock =
        ObjectInfo.of(
            Set.of("LoadImage", "LoadAudio", "CLIPVisionLoader", "PreviewAny", "SaveImage"),
            Map.of("CLIPVisionLoader", Map.of("clip_name", List.of("clip_vision_h.safetensors"))));

    MissingNodesException e = WorkflowPreflight.check(BUNDLED, stock, SERVER, false).orElseThrow();

    assertThat(e.missingClasses())
        .hasSize(18)
        .contains(
            "INTConstant",
            "VHS_VideoCombine",
            "WanVideoSampler",
            "MelBandRoFormerSampler",
            "DownloadAndLoadWav2VecModel",
            "MultiTalkModelLoader");
    assertThat(e.nodePacks())
        .extracting(NodePack::name)
        .containsExactlyInAnyOrder(
            "ComfyUI-WanVideoWrapper",
            "ComfyUI-KJNodes",
            "ComfyUI-MelBandRoFormer",
            "ComfyUI-VideoHelperSuite");
    assertThat(e.nodePacks())
        .filteredOn(p -> p.name().equals("ComfyUI-KJNodes"))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.classes())
                    .containsExactly("GetImageSizeAndCount", "INTConstant", "ImageResizeKJv2"))
        .satisfies(
            p -> assertThat(p.repository()).isEqualTo("https://github.com/kijai/ComfyUI-KJNodes"));
    assertThat(e.nodePacks().stream().mapToInt(p -> p.classes().size()).sum()).isEqualTo(18);
    assertThat(e.missingModels()).isEmpty();
    assertThat(e.server()).isEqualTo(SERVER);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.nodeErrors()).extracting(n -> n.nodeId()).contains("3", "4", "5", "24");
    assertThat(e.getMessage())
        .doesNotContain("\n")
        .startsWith(SERVER + " lacks 18 node classes the workflow uses; nothing was uploaded.")
        .contains("ComfyUI-WanVideoWrapper (https://github.com/kijai/ComfyUI-WanVideoWrapper) for ")
        .contains(
            "ComfyUI-VideoHelperSuite (https://github.com/Kosinkadink/ComfyUI-VideoHelperSuite) for VHS_VideoCombine")
        .contains("ComfyUI-MelBandRoFormer")
        .contains("INTConstant");
  }

  @Test
  void check_whenAModelFileIsMissing_namesTheFileTheNodeAndTheInput() {
    ObjectInfo info = everything();
    Map<String, Map<String, List<String>>> choices = new HashMap<>();
    choices.put("WanVideoModelLoader", Map.of("model", List.of("WanVideo/other.safetensors")));
    ObjectInfo lacking = ObjectInfo.of(info.nodeClasses(), choices);

    MissingNodesException e = WorkflowPreflight.check(BUNDLED, lacking, SERVER, true).orElseThrow();

    assertThat(e.missingClasses()).isEmpty();
    assertThat(e.missingModels())
        .containsExactly(
            new NodeValue(
                "20",
                "WanVideoModelLoader",
                "model",
                "WanVideo/wan2.1_i2v_480p_14B_fp8_scaled.safetensors"));
    assertThat(e.getMessage())
        .startsWith(SERVER + " lacks 1 model file.")
        .contains(
            "'WanVideo/wan2.1_i2v_480p_14B_fp8_scaled.safetensors' (node 20 WanVideoModelLoader, input model)")
        .contains("models folders");
  }

  @Test
  void check_reportsOtherValuesNotOffered_butNeverTheInputsTheSdkSetsPerJob() {
    ObjectNode graph = Json.mapper().createObjectNode();
    ObjectNode load = graph.putObject("1").put("class_type", "LoadImage");
    load.putObject("inputs").put("image", "face.png");
    ObjectNode node = graph.putObject("2").put("class_type", "MyNode");
    node.putObject("inputs")
        .put("mode", "fast")
        .put("text", "hello")
        .put("other", "elsewhere.png [output]")
        .putArray("linked")
        .add("1")
        .add(0);
    graph
        .putObject("3")
        .put("class_type", "SaveImage")
        .putObject("inputs")
        .putArray("images")
        .add("2")
        .add(0);
    WorkflowTemplate template = userTemplate(graph);
    ObjectInfo info =
        ObjectInfo.of(
            Set.of("LoadImage", "MyNode", "SaveImage"),
            Map.of(
                "LoadImage", Map.of("image", List.of()),
                "MyNode",
                    Map.of(
                        "mode",
                        List.of("slow"),
                        "text",
                        List.of("bye"),
                        "other",
                        List.of(),
                        "linked",
                        List.of())));

    MissingNodesException e = WorkflowPreflight.check(template, info, SERVER, false).orElseThrow();

    // "text" is bound to the prompt, the image to the upload: neither is checked.
    assertThat(e.invalidValues()).containsExactly(new NodeValue("2", "MyNode", "mode", "fast"));
    assertThat(e.getMessage())
        .contains("lacks 1 option value")
        .contains("'fast' (node 2 MyNode, input mode)");
  }

  @Test
  void check_ofAUserTemplateWhoseClassesAllExist_findsNothing() {
    ObjectNode graph = Json.mapper().createObjectNode();
    graph.putObject("1").put("class_type", "LoadImage").putObject("inputs").put("image", "x.png");
    graph
        .putObject("2")
        .put("class_type", "MyNode")
        .putObject("inputs")
        .put("mode", "slow")
        .put("text", "");
    graph
        .putObject("3")
        .put("class_type", "SaveImage")
        .putObject("inputs")
        .put("filename_prefix", "p");
    ObjectInfo info =
        ObjectInfo.of(
            Set.of("LoadImage", "MyNode", "SaveImage", "Unused"),
            Map.of("MyNode", Map.of("mode", List.of("fast", "slow"))));

    assertThat(WorkflowPreflight.check(userTemplate(graph), info, SERVER, false)).isEmpty();
  }

  @Test
  void check_namesAPackForClassesNoKnownPackProvides() {
    ObjectNode graph = BUNDLED.graph();
    ((ObjectNode) graph.get("7")).put("class_type", "SomeoneElsesNode");
    WorkflowTemplate template = userTemplateFrom(graph);

    MissingNodesException e =
        WorkflowPreflight.check(template, everything(), SERVER, false).orElseThrow();

    assertThat(e.missingClasses()).containsExactly("SomeoneElsesNode");
    assertThat(e.nodePacks()).isEmpty();
    assertThat(e.getMessage()).contains("a custom node pack that provides SomeoneElsesNode");
  }

  /**
   * A template of {@code graph} whose text inputs "1.image", "2.text" are bound, the rest bound to
   * node 3.
   */
  static WorkflowTemplate userTemplate(ObjectNode graph) {
    ObjectNode g = graph.deepCopy();
    ObjectNode sink = ((ObjectNode) g.get("3").get("inputs"));
    for (String in : List.of("w", "h", "f", "s", "p", "a")) {
      sink.put(in, 0);
    }
    ((ObjectNode) g.get("2").get("inputs"))
        .put("text", ((ObjectNode) g.get("2").get("inputs")).path("text").asText());
    return WorkflowTemplate.builder()
        .graph(g)
        .bind(WorkflowBinding.IMAGE, "1", "image")
        .bind(WorkflowBinding.AUDIO, "3", "a")
        .bind(WorkflowBinding.PROMPT, "2", "text")
        .bind(WorkflowBinding.WIDTH, "3", "w")
        .bind(WorkflowBinding.HEIGHT, "3", "h")
        .bind(WorkflowBinding.MAX_FRAMES, "3", "f")
        .bind(WorkflowBinding.SEED, "3", "s")
        .bind(WorkflowBinding.OUTPUT_PREFIX, "3", "p")
        .build();
  }

  static WorkflowTemplate userTemplateFrom(ObjectNode graph) {
    return WorkflowTemplate.builder().graph(graph).bindAll(BUNDLED.bindings()).build();
  }
}
