package io.openavathar.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.InvalidInputException;
import io.openavathar.OpenAvatharException;
import io.openavathar.Setting;
import io.openavathar.internal.Json;
import io.openavathar.testkit.comfy.StandInWorkflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own graph: the stand-in of ComfyUI core nodes (LoadImage 1, LoadAudio 2, ..., SaveVideo
 * 6).
 */
class UserWorkflowTemplateTest {
  private static ObjectNode standIn() {
    try {
      return (ObjectNode) Json.mapper().readTree(StandInWorkflow.json());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static WorkflowTemplate.Builder imageAndAudio(ObjectNode graph) {
    return WorkflowTemplate.builder()
        .graph(graph)
        .bind(WorkflowBinding.IMAGE, "1", "image")
        .bind(WorkflowBinding.AUDIO, "2", "audio");
  }

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
  void onlyImageAndAudioAreRequired_andUnboundValuesAreNotPatched() {
    WorkflowTemplate t = imageAndAudio(standIn()).build();

    ObjectNode patched = t.patch(params());

    ObjectNode expected = standIn();
    ((ObjectNode) expected.get("1").get("inputs")).put("image", "face (1).png");
    ((ObjectNode) expected.get("2").get("inputs")).put("audio", "speech.wav");
    assertThat(patched).isEqualTo(expected);
    assertThat(t.samplerSteps()).isZero();
  }

  @Test
  void optionalBindings_arePatchedWhereBound() {
    WorkflowTemplate t =
        imageAndAudio(standIn())
            .bind(WorkflowBinding.WIDTH, "3", "width")
            .bind(WorkflowBinding.HEIGHT, "3", "height")
            .bind(WorkflowBinding.MAX_FRAMES, "4", "amount")
            .bind(WorkflowBinding.PROMPT, "7", "value")
            .bind(WorkflowBinding.SEED, "8", "value")
            .bind(WorkflowBinding.OUTPUT_PREFIX, "6", "filename_prefix")
            .build();

    ObjectNode patched = t.patch(params());

    assertThat(patched.get("3").get("inputs").get("width").asInt()).isEqualTo(832);
    assertThat(patched.get("3").get("inputs").get("height").asInt()).isEqualTo(480);
    assertThat(patched.get("4").get("inputs").get("amount").asInt()).isEqualTo(250);
    assertThat(patched.get("7").get("inputs").get("value").asText()).isEqualTo("a man is talking");
    assertThat(patched.get("8").get("inputs").get("value").asLong()).isEqualTo(1234);
    assertThat(patched.get("6").get("inputs").get("filename_prefix").asText())
        .isEqualTo("OpenAvathar/job-1");
  }

  @Test
  void outputNode_isTheGraphsSaveVideo() {
    assertThat(imageAndAudio(standIn()).build().outputNodeId()).contains("6");
  }

  @Test
  void outputNode_isTheGraphsVhsVideoCombine() {
    ObjectNode graph = standIn();
    ((ObjectNode) graph.get("6")).put("class_type", "VHS_VideoCombine");
    assertThat(imageAndAudio(graph).build().outputNodeId()).contains("6");
  }

  @Test
  void outputNode_isEmptyWithoutAVideoSaver() {
    ObjectNode graph = standIn();
    ((ObjectNode) graph.get("6")).put("class_type", "SaveImage");
    assertThat(imageAndAudio(graph).build().outputNodeId()).isEmpty();
  }

  @Test
  void outputNode_withSeveralVideoSavers_mustBeNamed() {
    ObjectNode graph = standIn();
    graph.set("9", graph.get("6").deepCopy());
    ((ObjectNode) graph.get("9")).put("class_type", "VHS_VideoCombine");

    assertThatThrownBy(() -> imageAndAudio(graph).build())
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.setting()).contains(Setting.OUTPUT_NODE);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Nodes 6 (SaveVideo), 9 (VHS_VideoCombine) all save a video; say"
                          + " which one makes the result, for example with the template's outputNode 6.");
              assertThat(e.getMessage(s -> "--output-node"))
                  .contains("for example with --output-node 6.");
            });
    assertThat(imageAndAudio(graph).outputNode("9").build().outputNodeId()).contains("9");
  }

  @Test
  void missingImageBinding_namesTheGraphsLoadImage_forTheSdkAndForACommandLine() {
    assertThatThrownBy(
            () ->
                WorkflowTemplate.builder()
                    .graph(standIn())
                    .bind(WorkflowBinding.AUDIO, "2", "audio")
                    .build())
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.setting()).contains(Setting.WORKFLOW_BINDING);
              assertThat(e.getMessage(s -> "--bind"))
                  .isEqualTo(
                      "The workflow does not say which node input receives"
                          + " the image file. Name it, for example with --bind image=1.image (node 1 is the graph's LoadImage).");
            });
  }

  @Test
  void missingAudioBinding_withoutALoadAudio_explainsWhatToBind() {
    ObjectNode graph = standIn();
    ((ObjectNode) graph.get("2")).put("class_type", "VHS_LoadAudioUpload");
    assertThatThrownBy(
            () ->
                WorkflowTemplate.builder()
                    .graph(graph)
                    .bind(WorkflowBinding.IMAGE, "1", "image")
                    .build())
        .hasMessageEndingWith(
            "for example with a workflow binding audio=NODE.audio for the 'audio' input of a"
                + " LoadAudio node.");
  }

  @Test
  void bindingErrors_nameTheBindingAsACommandLineWritesIt() {
    assertThatThrownBy(
            () -> imageAndAudio(standIn()).bind(WorkflowBinding.PROMPT, "7", "text").build())
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.setting()).contains(Setting.WORKFLOW_BINDING);
              assertThat(e.getMessage(s -> "--bind"))
                  .isEqualTo(
                      "--bind: Binding prompt=7.text points at input 'text'"
                          + " of node 7 (PrimitiveStringMultiline), which has no such input; its inputs are value.");
            });
  }

  @Test
  void readGraph_problemsAreAboutTheWorkflowFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("x.json"), "[1]");
    assertThatThrownBy(() -> WorkflowTemplate.readGraph(file))
        .isInstanceOfSatisfying(
            OpenAvatharException.class,
            e ->
                assertThat(e.getMessage(s -> "--workflow"))
                    .startsWith("--workflow: Workflow file '"));
    Path standIn = Files.writeString(dir.resolve("standin.json"), StandInWorkflow.json());
    assertThat(
            WorkflowTemplate.load(
                    standIn,
                    Map.of(
                        WorkflowBinding.IMAGE,
                        NodeInput.of("1", "image"),
                        WorkflowBinding.AUDIO,
                        NodeInput.of("2", "audio")))
                .graph())
        .isEqualTo(standIn());
  }

  @Test
  void bindingKeys_readBackInEitherSpelling() {
    for (WorkflowBinding b : WorkflowBinding.values()) {
      assertThat(WorkflowBinding.fromKey(b.key())).contains(b);
      assertThat(WorkflowBinding.fromKey(b.name())).contains(b);
    }
    assertThat(WorkflowBinding.fromKey("audio-cfg-scale"))
        .contains(WorkflowBinding.AUDIO_CFG_SCALE);
    assertThat(WorkflowBinding.fromKey("output")).isEmpty();
  }
}
