package io.openavathar.comfy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.openavathar.comfy.TestClients.PREFIX;
import static io.openavathar.comfy.TestClients.await;
import static io.openavathar.comfy.TestClients.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.openavathar.WorkflowRejectedException;
import io.openavathar.WorkflowRejectedException.NodeError;
import io.openavathar.internal.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ComfyUiClientSubmitTest {
  private static final String ROUTE = PREFIX + "/prompt";
  private static final String ID = "5f0c7e0e-3c4b-4a6e-9d57-1b8f6c1e2a10";

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private ComfyUiClient client;
  private ObjectNode workflow;

  @BeforeEach
  void start() throws Exception {
    client = TestClients.fast(wm.baseUrl(), 3);
    workflow =
        (ObjectNode)
            Json.mapper()
                .readTree(
                    "{\"9\": {\"class_type\": \"SaveImage\", \"inputs\": {\"filename_prefix\": \"x\"}}}");
  }

  @AfterEach
  void stop() {
    client.close();
  }

  @Test
  void submit_whenAccepted_returnsQueueNumber_andSendsPromptClientAndPromptId() {
    wm.stubFor(
        post(urlPathEqualTo(ROUTE))
            .willReturn(
                okJson("{\"prompt_id\": \"" + ID + "\", \"number\": 7, \"node_errors\": {}}")));

    PromptAccepted accepted = await(client.submit(workflow, "java-7d1c", ID));

    assertThat(accepted).isEqualTo(new PromptAccepted(ID, 7));
    wm.verify(
        1,
        postRequestedFor(urlPathEqualTo(ROUTE))
            .withRequestBody(
                equalToJson(
                    "{\"prompt\": "
                        + workflow
                        + ", \"client_id\": \"java-7d1c\", \"prompt_id\": \""
                        + ID
                        + "\"}")));
  }

  @Test
  void submit_when200WithNodeErrors_throwsWorkflowRejected() {
    wm.stubFor(
        post(urlPathEqualTo(ROUTE))
            .willReturn(
                okJson(
                    "{\"prompt_id\": \""
                        + ID
                        + "\", \"number\": 3, \"node_errors\": {\"12\": {\"errors\": [{"
                        + "\"type\": \"required_input_missing\", \"message\": \"Required input is missing\","
                        + " \"details\": \"images\"}], \"dependent_outputs\": [\"12\"],"
                        + " \"class_type\": \"PreviewImage\"}}}")));

    Throwable failure = failureOf(client.submit(workflow, "c", ID));

    assertThat(failure)
        .isInstanceOf(WorkflowRejectedException.class)
        .hasMessageContaining("node 12 (PreviewImage): Required input is missing: images");
    assertThat(((WorkflowRejectedException) failure).nodeErrors())
        .containsExactly(new NodeError("12", "PreviewImage", "Required input is missing: images"));
  }

  @Test
  void submit_when400FailedValidation_listsEachNodeWithClassAndDetails_withoutRetry() {
    rejectWith(
        """
        {"error": {"type": "prompt_outputs_failed_validation", "message": "Prompt outputs failed validation",
                   "details": "", "extra_info": {}},
         "node_errors": {
           "122": {"errors": [{"type": "value_not_in_list", "message": "Value not in list",
                               "details": "model: 'WanVideo/x.safetensors' not in (list of length 27)",
                               "extra_info": {"input_name": "model"}}],
                   "dependent_outputs": ["317"], "class_type": "WanVideoModelLoader"},
           "125": {"errors": [{"type": "custom_validation_failed", "message": "Custom validation failed for node",
                               "details": "audio - Invalid audio file: bar.mp3", "extra_info": {}}],
                   "dependent_outputs": ["317"], "class_type": "LoadAudio"}}}
        """);

    Throwable failure = failureOf(client.submit(workflow, "c", ID));

    assertThat(failure)
        .isInstanceOf(WorkflowRejectedException.class)
        .hasMessage(
            "ComfyUI rejected the workflow: node 122 (WanVideoModelLoader): Value not in list: model:"
                + " 'WanVideo/x.safetensors' not in (list of length 27); node 125 (LoadAudio): Custom validation"
                + " failed for node: audio - Invalid audio file: bar.mp3. Install the missing model or custom nodes"
                + " on the server, or fix the workflow.");
    assertThat(((WorkflowRejectedException) failure).nodeErrors())
        .extracting(NodeError::nodeId)
        .containsExactly("122", "125");
    wm.verify(1, postRequestedFor(urlPathEqualTo(ROUTE)));
  }

  @Test
  void submit_when400InvalidPrompt_usesMessageAndDetails() {
    rejectWith(
        """
        {"error": {"type": "invalid_prompt", "message": "Cannot execute because node MultiTalkWav2VecEmbeds does not exist.",
                   "details": "Node ID '#194'", "extra_info": {}},
         "node_errors": {}}
        """);

    Throwable failure = failureOf(client.submit(workflow, "c", ID));

    assertThat(failure)
        .isInstanceOf(WorkflowRejectedException.class)
        .hasMessage(
            "ComfyUI rejected the workflow: Cannot execute because node MultiTalkWav2VecEmbeds does not exist:"
                + " Node ID '#194'. Install the missing custom nodes on the server, or fix the workflow's"
                + " class_type values.");
    assertThat(((WorkflowRejectedException) failure).nodeErrors()).isEmpty();
  }

  @Test
  void submit_when400NoOutputs_saysToAddAnOutputNode() {
    rejectWith(
        "{\"error\": {\"type\": \"prompt_no_outputs\", \"message\": \"Prompt has no outputs\", \"details\": \"\","
            + " \"extra_info\": {}}, \"node_errors\": []}");

    assertThat(failureOf(client.submit(workflow, "c", ID)))
        .isInstanceOf(WorkflowRejectedException.class)
        .hasMessageStartingWith(
            "ComfyUI rejected the workflow: Prompt has no outputs. Add an output node");
  }

  @Test
  void submit_when400NoPrompt_saysToSendAWorkflow() {
    rejectWith(
        "{\"error\": {\"type\": \"no_prompt\", \"message\": \"No prompt provided\", \"details\": \"No prompt"
            + " provided\", \"extra_info\": {}}, \"node_errors\": {}}");

    assertThat(failureOf(client.submit(workflow, "c", ID)))
        .isInstanceOf(WorkflowRejectedException.class)
        .hasMessage(
            "ComfyUI rejected the workflow: No prompt provided: No prompt provided. Send a non-empty API-format"
                + " workflow.");
  }

  @Test
  void submit_when400OldShapeWithStringError_usesTheString() {
    rejectWith("{\"error\": \"no prompt\", \"node_errors\": []}");

    assertThat(failureOf(client.submit(workflow, "c", ID)))
        .isInstanceOf(WorkflowRejectedException.class)
        .hasMessage(
            "ComfyUI rejected the workflow: no prompt. Send a non-empty API-format workflow.");
  }

  @Test
  void submit_when400NotJson_quotesStatusAndSnippet() {
    wm.stubFor(
        post(urlPathEqualTo(ROUTE))
            .willReturn(
                aResponse().withStatus(400).withBody("<html>Bad   gateway\nconfig</html>")));

    assertThat(failureOf(client.submit(workflow, "c", ID)))
        .isInstanceOf(WorkflowRejectedException.class)
        .hasMessageContaining("HTTP 400")
        .hasMessageContaining("'<html>Bad gateway config</html>'");
  }

  @Test
  void submit_when503AndServerNeverSawPrompt_looksUpThenSubmitsAgain() {
    wm.stubFor(
        post(urlPathEqualTo(ROUTE))
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("up"));
    wm.stubFor(
        post(urlPathEqualTo(ROUTE))
            .inScenario("flaky")
            .whenScenarioStateIs("up")
            .willReturn(
                okJson("{\"prompt_id\": \"" + ID + "\", \"number\": 9, \"node_errors\": {}}")));
    wm.stubFor(
        get(urlPathEqualTo(PREFIX + "/queue"))
            .willReturn(okJson("{\"queue_running\": [], \"queue_pending\": []}")));
    wm.stubFor(get(urlPathEqualTo(PREFIX + "/history/" + ID)).willReturn(okJson("{}")));

    PromptAccepted accepted = await(client.submit(workflow, "c", ID));

    assertThat(accepted).isEqualTo(new PromptAccepted(ID, 9));
    wm.verify(2, postRequestedFor(urlPathEqualTo(ROUTE)));
    wm.verify(1, getRequestedFor(urlPathEqualTo(PREFIX + "/queue")));
    wm.verify(1, getRequestedFor(urlPathEqualTo(PREFIX + "/history/" + ID)));
  }

  @Test
  void submit_when504ButPromptIsQueued_returnsItsNumber_withoutSubmittingAgain() {
    wm.stubFor(post(urlPathEqualTo(ROUTE)).willReturn(aResponse().withStatus(504)));
    wm.stubFor(
        get(urlPathEqualTo(PREFIX + "/queue"))
            .willReturn(
                okJson(
                    "{\"queue_running\": [[4, \"other\", {}, {}, []]], \"queue_pending\": [[6.5, \""
                        + ID
                        + "\", {}, {}, [\"9\"]]]}")));

    PromptAccepted accepted = await(client.submit(workflow, "c", ID));

    assertThat(accepted).isEqualTo(new PromptAccepted(ID, 6.5));
    wm.verify(1, postRequestedFor(urlPathEqualTo(ROUTE)));
  }

  @Test
  void submit_when502ButPromptAlreadyFinished_returnsNumberFromHistory() {
    wm.stubFor(post(urlPathEqualTo(ROUTE)).willReturn(aResponse().withStatus(502)));
    wm.stubFor(
        get(urlPathEqualTo(PREFIX + "/queue"))
            .willReturn(okJson("{\"queue_running\": [], \"queue_pending\": []}")));
    wm.stubFor(
        get(urlPathEqualTo(PREFIX + "/history/" + ID))
            .willReturn(
                okJson(
                    "{\""
                        + ID
                        + "\": {\"prompt\": [11, \""
                        + ID
                        + "\", {}, {}, [\"9\"], {}], \"outputs\": {},"
                        + " \"status\": {\"status_str\": \"success\", \"completed\": true, \"messages\": []}}}")));

    PromptAccepted accepted = await(client.submit(workflow, "c", ID));

    assertThat(accepted).isEqualTo(new PromptAccepted(ID, 11));
    wm.verify(1, postRequestedFor(urlPathEqualTo(ROUTE)));
  }

  @Test
  void submit_whenAlways503_givesUpAfterMaxAttempts() {
    wm.stubFor(post(urlPathEqualTo(ROUTE)).willReturn(aResponse().withStatus(503)));
    wm.stubFor(
        get(urlPathEqualTo(PREFIX + "/queue"))
            .willReturn(okJson("{\"queue_running\": [], \"queue_pending\": []}")));
    wm.stubFor(get(urlPathEqualTo(PREFIX + "/history/" + ID)).willReturn(okJson("{}")));

    Throwable failure = failureOf(client.submit(workflow, "c", ID));

    assertThat(failure)
        .isInstanceOf(io.openavathar.RemoteUnavailableException.class)
        .hasMessageContaining("HTTP 503");
    wm.verify(3, postRequestedFor(urlPathEqualTo(ROUTE)));
  }

  private void rejectWith(String body) {
    wm.stubFor(
        post(urlPathEqualTo(ROUTE))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body)));
  }
}
