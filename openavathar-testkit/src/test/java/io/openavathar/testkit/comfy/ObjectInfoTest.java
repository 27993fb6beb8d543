package io.openavathar.testkit.comfy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObjectInfoTest {

  private static final String WAN = "WanVideo/wan2.1_i2v_480p_14B_fp8_scaled.safetensors";

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> values(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  @Test
  void objectInfo_listsExactlyTheInstalledClasses_withTheModelFilesAsLoaderChoices() {
    try (ComfyUiSimulator simulator = TestWorkflows.builder().start()) {
      JsonNode all = new TestClient(simulator).get("/object_info").json();

      assertThat(names(all))
          .containsExactlyInAnyOrderElementsOf(ComfyUiSimulator.defaultNodeClasses());
      JsonNode model = all.get("WanVideoModelLoader").get("input").get("required").get("model");
      assertThat(values(model.get(0))).contains(WAN);
      assertThat(
              values(
                  all.get("CLIPVisionLoader").get("input").get("required").get("clip_name").get(0)))
          .containsExactly("clip_vision_h.safetensors");
      assertThat(
              values(
                  all.get("ImageResizeKJv2")
                      .get("input")
                      .get("required")
                      .get("keep_proportion")
                      .get(0)))
          .contains("crop");
      // LoadAudio is a V3-schema node: ["COMBO", {"audio_upload": true, "options": [...]}].
      JsonNode audio = all.get("LoadAudio").get("input").get("required").get("audio");
      assertThat(audio.get(0).asText()).isEqualTo("COMBO");
      assertThat(audio.get(1).get("audio_upload").asBoolean()).isTrue();
      assertThat(audio.get(1).get("options").isArray()).isTrue();
    }
  }

  @Test
  void stockServer_knowsOnlyCoreClasses_andRejectsTheInfiniteTalkGraphNamingTheFirstMissingOne() {
    try (ComfyUiSimulator simulator = TestWorkflows.builder().stockServer().start()) {
      TestClient client = new TestClient(simulator);

      assertThat(names(client.get("/object_info").json()))
          .containsExactlyInAnyOrderElementsOf(ComfyUiSimulator.coreNodeClasses())
          .contains("LoadImage", "LoadAudio", "CLIPVisionLoader", "PreviewAny")
          .doesNotContain("INTConstant", "VHS_VideoCombine");
      var answer =
          client.post(
              "/prompt",
              TestWorkflows.JSON
                  .createObjectNode()
                  .set("prompt", TestWorkflows.infiniteTalk("a.png", "a.wav")));
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.json().get("error").get("type").asText()).isEqualTo("invalid_prompt");
      assertThat(answer.json().get("error").get("message").asText()).endsWith("does not exist.");
    }
  }

  @Test
  void modelFiles_canBeScripted_andNodeClassesChangedWhileRunning() {
    try (ComfyUiSimulator simulator =
        TestWorkflows.builder()
            .withoutModelFiles(WAN)
            .modelFiles("unet_gguf", List.of("WanVideo/model-Q4.gguf"))
            .start()) {
      TestClient client = new TestClient(simulator);

      JsonNode model =
          client
              .get("/object_info/WanVideoModelLoader")
              .json()
              .get("WanVideoModelLoader")
              .get("input")
              .get("required")
              .get("model")
              .get(0);
      assertThat(values(model)).doesNotContain(WAN).contains("WanVideo/model-Q4.gguf");
      assertThat(values(client.get("/models/diffusion_models").json())).doesNotContain(WAN);

      simulator.setInstalledNodeClasses(Set.of("LoadImage", "SaveImage"));
      assertThat(names(client.get("/object_info").json()))
          .containsExactlyInAnyOrder("LoadImage", "SaveImage");
      assertThat(client.get("/object_info/WanVideoModelLoader").body()).isEqualTo("{}");
    }
  }
}
