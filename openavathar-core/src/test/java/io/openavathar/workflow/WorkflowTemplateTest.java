package io.openavathar.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.InvalidInputException;
import io.openavathar.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowTemplateTest {
  private final WorkflowTemplate bundled = InfiniteTalkWorkflow.template();

  private static WorkflowParameters params() {
    return WorkflowParameters.builder()
        .image("face (1).png")
        .audio("speech.wav")
        .prompt("a man is talking")
        .size(832, 480)
        .maxFrames(250)
        .seed(1234)
        .outputPrefix("OpenAvathar/job-1")
        .build();
  }

  @Test
  void bundled_usesTheInfiniteTalkNodeClasses() {
    Set<String> classes = new HashSet<>();
    bundled.graph().forEach(n -> classes.add(n.get("class_type").asText()));
    assertThat(classes)
        .containsExactlyInAnyOrder(
            "LoadImage",
            "LoadAudio",
            "INTConstant",
            "ImageResizeKJv2",
            "GetImageSizeAndCount",
            "CLIPVisionLoader",
            "WanVideoClipVisionEncode",
            "WanVideoVAELoader",
            "WanVideoImageToVideoMultiTalk",
            "MelBandRoFormerModelLoader",
            "MelBandRoFormerSampler",
            "DownloadAndLoadWav2VecModel",
            "MultiTalkWav2VecEmbeds",
            "PreviewAny",
            "MultiTalkModelLoader",
            "WanVideoBlockSwap",
            "WanVideoLoraSelect",
            "WanVideoModelLoader",
            "WanVideoTextEncodeCached",
            "WanVideoSampler",
            "WanVideoPassImagesFromSamples",
            "VHS_VideoCombine");
  }

  @Test
  void bundled_everyLinkPointsAtAnExistingNode() {
    ObjectNode g = bundled.graph();
    g.properties()
        .forEach(
            n ->
                n.getValue()
                    .get("inputs")
                    .properties()
                    .forEach(
                        in -> {
                          if (in.getValue().isArray()) {
                            assertThat(g.has(in.getValue().get(0).asText()))
                                .as(
                                    "node %s input %s links to %s",
                                    n.getKey(), in.getKey(), in.getValue())
                                .isTrue();
                          }
                        }));
  }

  @Test
  void bundled_bindsEveryValueAndKnowsSamplerAndOutput() {
    assertThat(bundled.bindings()).containsOnlyKeys(WorkflowBinding.values());
    assertThat(bundled.samplerSteps()).isEqualTo(6);
    assertThat(bundled.outputNodeId()).contains(InfiniteTalkWorkflow.OUTPUT_NODE);
    assertThat(bundled.fps()).isEqualTo(25);
  }

  @Test
  void patch_setsEveryBoundInput_andLeavesTheTemplateAlone() {
    ObjectNode before = bundled.graph();
    ObjectNode g =
        bundled.patch(params().toBuilder().audioCfgScale(2.5).negativePrompt("blurry").build());

    assertThat(input(g, WorkflowBinding.IMAGE).asText()).isEqualTo("face (1).png");
    assertThat(input(g, WorkflowBinding.AUDIO).asText()).isEqualTo("speech.wav");
    assertThat(input(g, WorkflowBinding.PROMPT).asText()).isEqualTo("a man is talking");
    assertThat(input(g, WorkflowBinding.NEGATIVE_PROMPT).asText()).isEqualTo("blurry");
    assertThat(input(g, WorkflowBinding.WIDTH).asInt()).isEqualTo(832);
    assertThat(input(g, WorkflowBinding.HEIGHT).asInt()).isEqualTo(480);
    assertThat(input(g, WorkflowBinding.MAX_FRAMES).asInt()).isEqualTo(250);
    assertThat(input(g, WorkflowBinding.AUDIO_CFG_SCALE).asDouble()).isEqualTo(2.5);
    assertThat(input(g, WorkflowBinding.SEED).asLong()).isEqualTo(1234);
    assertThat(input(g, WorkflowBinding.OUTPUT_PREFIX).asText()).isEqualTo("OpenAvathar/job-1");
    assertThat(bundled.graph()).isEqualTo(before);
  }

  @Test
  void patch_withoutOptionalValues_keepsTheTemplates() {
    ObjectNode g = bundled.patch(params());
    assertThat(input(g, WorkflowBinding.NEGATIVE_PROMPT).asText())
        .isEqualTo(InfiniteTalkWorkflow.NEGATIVE_PROMPT);
    assertThat(input(g, WorkflowBinding.AUDIO_CFG_SCALE).asDouble()).isEqualTo(1.0);
  }

  @Test
  void windowsFor_followsThe81FrameWindowsOverlappingBy9() {
    assertThat(bundled.windowsFor(1)).isEqualTo(1);
    assertThat(bundled.windowsFor(81)).isEqualTo(1);
    assertThat(bundled.windowsFor(82)).isEqualTo(2);
    assertThat(bundled.windowsFor(153)).isEqualTo(2);
    assertThat(bundled.windowsFor(154)).isEqualTo(3);
    assertThat(bundled.windowsFor(250)).isEqualTo(4);
    assertThat(bundled.windowsFor(1000)).isEqualTo(14);
  }

  @Test
  void load_roundTripsAnApiFormatFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mine.json");
    Files.writeString(file, Json.mapper().writeValueAsString(bundled.graph()));
    WorkflowTemplate loaded = WorkflowTemplate.load(file, bundled.bindings());
    assertThat(loaded.graph()).isEqualTo(bundled.graph());
    assertThat(loaded.patch(params())).isEqualTo(bundled.patch(params()));
  }

  @Test
  void load_whenBindingNamesMissingNode_namesIt(@TempDir Path dir) throws Exception {
    Map<WorkflowBinding, NodeInput> b = new EnumMap<>(bundled.bindings());
    b.put(WorkflowBinding.AUDIO, NodeInput.of("999", "audio"));
    Path file = write(dir, bundled.graph());
    assertThatThrownBy(() -> WorkflowTemplate.load(file, b))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("audio=999.audio")
        .hasMessageContaining("node 999");
  }

  @Test
  void load_whenBindingNamesMissingInput_namesIt(@TempDir Path dir) throws Exception {
    Map<WorkflowBinding, NodeInput> b = new EnumMap<>(bundled.bindings());
    b.put(WorkflowBinding.SEED, NodeInput.of(InfiniteTalkWorkflow.SAMPLER_NODE, "sed"));
    assertThatThrownBy(() -> WorkflowTemplate.load(write(dir, bundled.graph()), b))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("seed=22.sed")
        .hasMessageContaining("'sed'")
        .hasMessageContaining("WanVideoSampler");
  }

  @Test
  void load_whenBindingPointsAtALink_refusesIt(@TempDir Path dir) throws Exception {
    Map<WorkflowBinding, NodeInput> b = new EnumMap<>(bundled.bindings());
    b.put(WorkflowBinding.WIDTH, NodeInput.of("6", "width"));
    assertThatThrownBy(() -> WorkflowTemplate.load(write(dir, bundled.graph()), b))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("width=6.width")
        .hasMessageContaining("fed by a link from node 3 (INTConstant)")
        .hasMessageContaining("for example width=3.value");
  }

  @Test
  void load_whenRequiredBindingMissing_givesAnExampleFromTheGraph(@TempDir Path dir)
      throws Exception {
    Map<WorkflowBinding, NodeInput> b = new EnumMap<>(bundled.bindings());
    b.remove(WorkflowBinding.AUDIO);
    assertThatThrownBy(() -> WorkflowTemplate.load(write(dir, bundled.graph()), b))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "The workflow does not say which node input receives the audio file. Name it, for example with"
                + " a workflow binding audio=2.audio (node 2 is the graph's LoadAudio).");
  }

  @Test
  void load_whenUiFormat_explainsApiExport(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ui.json");
    Files.writeString(file, "{\"nodes\": [], \"links\": [], \"version\": 0.4}");
    assertThatThrownBy(() -> WorkflowTemplate.load(file, bundled.bindings()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Save (API Format)");
  }

  @Test
  void load_whenNotJson_saysSo(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{ not json");
    assertThatThrownBy(() -> WorkflowTemplate.load(file, bundled.bindings()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void valuesHaveEqualsHashCodeAndToString() {
    assertThat(params()).isEqualTo(params()).hasSameHashCodeAs(params());
    assertThat(params().toBuilder().seed(1).build()).isNotEqualTo(params());
    assertThat(params().toString()).contains("seed=1234", "832x480");
    WorkflowTemplate copy =
        WorkflowTemplate.builder()
            .graph(bundled.graph())
            .bindAll(bundled.bindings())
            .outputNode("24")
            .samplerNode("22")
            .build();
    assertThat(copy).isEqualTo(bundled).hasSameHashCodeAs(bundled);
    assertThat(bundled.toString()).contains("nodes=24");
  }

  @Test
  void parameters_requireEveryValue() {
    assertThatThrownBy(
            () ->
                WorkflowParameters.builder()
                    .image("a")
                    .audio("b")
                    .prompt("p")
                    .size(1, 1)
                    .maxFrames(1)
                    .outputPrefix("x")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("seed is required");
    assertThatThrownBy(() -> params().toBuilder().maxFrames(0).build())
        .hasMessageContaining("maxFrames must be positive, was 0");
  }

  private JsonNode input(ObjectNode g, WorkflowBinding b) {
    NodeInput in = bundled.bindings().get(b);
    return g.get(in.nodeId()).get("inputs").get(in.inputName());
  }

  private static Path write(Path dir, ObjectNode graph) throws Exception {
    Path file = dir.resolve("graph.json");
    Files.writeString(file, Json.mapper().writeValueAsString(graph));
    return file;
  }
}
