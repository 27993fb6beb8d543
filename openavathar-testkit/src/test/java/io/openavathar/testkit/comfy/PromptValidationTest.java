package io.openavathar.testkit.comfy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PromptValidationTest {

  private ComfyUiSimulator simulator;
  private TestClient client;
  private String image;
  private String audio;

  @BeforeEach
  void start() {
    simulator = TestWorkflows.builder().start();
    client = new TestClient(simulator);
    image = client.upload("face.png", TestWorkflows.image(1)).json().get("name").asText();
    audio = client.upload("voice.wav", TestWorkflows.wav(2.0)).json().get("name").asText();
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private TestClient.Result submit(ObjectNode graph) {
    ObjectNode body = TestWorkflows.JSON.createObjectNode();
    body.set("prompt", graph);
    body.put("client_id", "c1");
    return client.post("/prompt", body);
  }

  @Test
  void prompt_withoutPrompt_returnsNoPrompt() {
    TestClient.Result result = client.post("/prompt", "{\"client_id\":\"c1\"}");

    assertThat(result.status()).isEqualTo(400);
    JsonNode json = result.json();
    assertThat(json.get("error").get("type").asText()).isEqualTo("no_prompt");
    assertThat(json.get("error").get("message").asText()).isEqualTo("No prompt provided");
    assertThat(json.get("node_errors").isObject()).isTrue();
  }

  @Test
  void prompt_withNodeOfMissingClass_returnsInvalidPrompt() {
    ObjectNode graph = TestWorkflows.infiniteTalk(image, audio);
    ((ObjectNode) graph.get("300")).put("class_type", "NotInstalledLoader");

    JsonNode json = submit(graph).json();

    assertThat(json.get("error").get("type").asText()).isEqualTo("invalid_prompt");
    assertThat(json.get("error").get("message").asText())
        .isEqualTo("Cannot execute because node NotInstalledLoader does not exist.");
    assertThat(json.get("error").get("details").asText()).isEqualTo("Node ID '#300'");
    assertThat(json.get("node_errors")).isEmpty();
  }

  @Test
  void prompt_withNodeWithoutClassType_returnsInvalidPrompt() {
    ObjectNode graph = TestWorkflows.infiniteTalk(image, audio);
    ((ObjectNode) graph.get("129")).remove("class_type");

    TestClient.Result result = submit(graph);

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.json().get("error").get("message").asText())
        .contains("missing the class_type property");
  }

  @Test
  void prompt_withoutOutputNode_returnsPromptNoOutputs() {
    ObjectNode graph = TestWorkflows.infiniteTalk(image, audio);
    graph.remove("293");
    graph.remove("317");

    JsonNode json = submit(graph).json();

    assertThat(json.get("error").get("type").asText()).isEqualTo("prompt_no_outputs");
    assertThat(json.get("error").get("message").asText()).isEqualTo("Prompt has no outputs");
  }

  @Test
  void prompt_withMissingAudio_failsBothOutputsWithCustomValidation() {
    TestClient.Result result = submit(TestWorkflows.infiniteTalk(image, "nowhere.mp3"));

    assertThat(result.status()).isEqualTo(400);
    JsonNode json = result.json();
    assertThat(json.get("error").get("type").asText())
        .isEqualTo("prompt_outputs_failed_validation");
    assertThat(json.get("error").get("details").asText()).isEmpty();
    JsonNode nodeError = json.get("node_errors").get("125");
    assertThat(nodeError.get("class_type").asText()).isEqualTo("LoadAudio");
    assertThat(nodeError.get("dependent_outputs"))
        .extracting(JsonNode::asText)
        .containsExactly("293", "317");
    JsonNode error = nodeError.get("errors").get(0);
    assertThat(error.get("type").asText()).isEqualTo("custom_validation_failed");
    assertThat(error.get("details").asText()).isEqualTo("audio - Invalid audio file: nowhere.mp3");
    assertThat(error.get("extra_info").get("input_name").asText()).isEqualTo("audio");
  }

  @Test
  void prompt_withMissingImage_isAcceptedButDropsTheVideoOutput() throws Exception {
    TestClient.Result result = submit(TestWorkflows.infiniteTalk("nowhere.png", audio));

    assertThat(result.status()).isEqualTo(200);
    JsonNode nodeError = result.json().get("node_errors").get("313");
    assertThat(nodeError.get("errors").get(0).get("details").asText())
        .isEqualTo("image - Invalid image file: nowhere.png");
    assertThat(nodeError.get("dependent_outputs"))
        .extracting(JsonNode::asText)
        .containsExactly("317");
    JsonNode history = client.awaitHistory(result.json().get("prompt_id").asText());
    assertThat(history.get("prompt").get(4)).extracting(JsonNode::asText).containsExactly("293");
    assertThat(history.get("outputs").has("317")).isFalse();
    assertThat(history.get("outputs").get("293").get("text").get(0).asText()).isEqualTo("50");
  }

  @Test
  void prompt_withDanglingLink_failsWithExceptionDuringValidation() {
    ObjectNode graph = TestWorkflows.infiniteTalk(image, audio);
    graph.remove("129");

    JsonNode json = submit(graph).json();

    assertThat(json.get("node_errors").get("317").get("errors").get(0).get("type").asText())
        .isEqualTo("exception_during_validation");
  }

  @Test
  void rejectNextPrompt_returnsTheScriptedNodeErrorOnce() {
    simulator.rejectNextPrompt(
        "122",
        "WanVideoModelLoader",
        "value_not_in_list",
        "Value not in list",
        "model: 'WanVideo/wan2.1_i2v_480p_14B_fp8_scaled.safetensors' not in (list of length 27)");

    TestClient.Result rejected = submit(TestWorkflows.infiniteTalk(image, audio));
    TestClient.Result accepted = submit(TestWorkflows.infiniteTalk(image, audio));

    assertThat(rejected.status()).isEqualTo(400);
    JsonNode nodeError = rejected.json().get("node_errors").get("122");
    assertThat(nodeError.get("dependent_outputs"))
        .extracting(JsonNode::asText)
        .containsExactly("317");
    assertThat(nodeError.get("class_type").asText()).isEqualTo("WanVideoModelLoader");
    JsonNode error = nodeError.get("errors").get(0);
    assertThat(error.get("type").asText()).isEqualTo("value_not_in_list");
    assertThat(error.get("extra_info").get("input_name").asText()).isEqualTo("model");
    assertThat(error.get("extra_info").get("received_value").asText())
        .isEqualTo("WanVideo/wan2.1_i2v_480p_14B_fp8_scaled.safetensors");
    assertThat(accepted.status()).isEqualTo(200);
  }

  @Test
  void acceptNextPromptWithNodeErrors_answers200AndRunsOnlyIndependentOutputs() throws Exception {
    simulator.acceptNextPromptWithNodeErrors(
        "128",
        "WanVideoSampler",
        "value_bigger_than_max",
        "Value 200 bigger than max of 100",
        "steps: 200");

    TestClient.Result result = submit(TestWorkflows.infiniteTalk(image, audio));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.json().get("node_errors").get("128").get("dependent_outputs"))
        .extracting(JsonNode::asText)
        .containsExactly("317");
    JsonNode history = client.awaitHistory(result.json().get("prompt_id").asText());
    assertThat(history.get("outputs").has("317")).isFalse();
  }

  @Test
  void prompt_withClientChosenId_keepsItAndAcceptsDuplicates() {
    ObjectNode body = TestWorkflows.JSON.createObjectNode();
    body.set("prompt", TestWorkflows.infiniteTalk(image, audio));
    body.put("prompt_id", "11111111-2222-4333-8444-555555555555");

    JsonNode first = client.post("/prompt", body).json();
    JsonNode second = client.post("/prompt", body).json();

    assertThat(first.get("prompt_id").asText()).isEqualTo("11111111-2222-4333-8444-555555555555");
    assertThat(second.get("prompt_id").asText()).isEqualTo("11111111-2222-4333-8444-555555555555");
    assertThat(second.get("number").asInt()).isEqualTo(first.get("number").asInt() + 1);
    assertThat(simulator.promptIdsSeen()).hasSize(2);
  }

  @Test
  void prompt_withBodyThatIsNotJson_returns500() {
    assertThat(client.post("/prompt", "{not json").status()).isEqualTo(500);
  }
}
