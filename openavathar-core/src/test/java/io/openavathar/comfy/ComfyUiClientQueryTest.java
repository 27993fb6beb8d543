package io.openavathar.comfy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.openavathar.comfy.TestClients.PREFIX;
import static io.openavathar.comfy.TestClients.await;
import static io.openavathar.comfy.TestClients.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.openavathar.OpenAvatharException;
import io.openavathar.comfy.HistoryEntry.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** history, queue, cancel and system_stats against the shapes of the ComfyUI reference. */
class ComfyUiClientQueryTest {
  private static final String ID = "5f0c7e0e-3c4b-4a6e-9d57-1b8f6c1e2a10";
  private static final String HISTORY = PREFIX + "/history/" + ID;

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private ComfyUiClient client;

  @BeforeEach
  void start() {
    client = TestClients.fast(wm.baseUrl(), 3);
  }

  @AfterEach
  void stop() {
    client.close();
  }

  @Test
  void history_whenEmptyObject_isEmpty() {
    wm.stubFor(get(urlPathEqualTo(HISTORY)).willReturn(okJson("{}")));

    assertThat(await(client.history(ID))).isEmpty();
  }

  @Test
  void history_whenSuccess_listsFilesOfEveryKindAndTexts() {
    history(
        """
        "prompt": [7, "%s", {}, {"client_id": "java-7d1c"}, ["317", "293"], {"sensitive": true}],
        "outputs": {
          "291": {"text": ["1x480x832"]},
          "293": {"text": ["250"]},
          "317": {"gifs": [{"filename": "InfiniteTalk_00001-audio.mp4", "subfolder": "InfiniteTalk", "type": "output",
                            "format": "video/h264-mp4", "frame_rate": 25, "fullpath": "/workspace/x.mp4"}]},
          "400": {"images": [{"filename": "frame.png"}], "animated": [false]},
          "401": {"videos": [{"filename": "a.webm", "subfolder": "", "type": "temp"}],
                  "video": [{"filename": "b.mp4", "subfolder": "clips", "type": "output"}]}
        },
        "status": {"status_str": "success", "completed": true, "messages": [
          ["execution_start", {"prompt_id": "%s", "timestamp": 1}],
          ["execution_success", {"prompt_id": "%s", "timestamp": 2}]]},
        "meta": {"317": {"node_id": "317"}}, "brand_new_field": 1
        """);

    HistoryEntry entry = await(client.history(ID)).orElseThrow();

    assertThat(entry.promptId()).isEqualTo(ID);
    assertThat(entry.outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(entry.error()).isEmpty();
    assertThat(entry.files())
        .isEqualTo(
            Map.of(
                "317",
                    List.of(
                        new OutputFile("InfiniteTalk_00001-audio.mp4", "InfiniteTalk", "output")),
                "400", List.of(new OutputFile("frame.png", "", "output")),
                "401",
                    List.of(
                        new OutputFile("a.webm", "", "temp"),
                        new OutputFile("b.mp4", "clips", "output"))));
    assertThat(entry.texts()).isEqualTo(Map.of("291", List.of("1x480x832"), "293", List.of("250")));
    assertThat(entry.firstFile("317"))
        .contains(new OutputFile("InfiniteTalk_00001-audio.mp4", "InfiniteTalk", "output"));
  }

  @Test
  void history_whenExecutionError_carriesTheError() {
    history(
        """
        "prompt": [7, "%s", {}, {}, ["317"]],
        "outputs": {"291": {"text": ["1x480x832"]}},
        "status": {"status_str": "error", "completed": false, "messages": [
          ["execution_start", {"prompt_id": "%s", "timestamp": 1}],
          ["execution_error", {"prompt_id": "%s", "node_id": "128", "node_type": "WanVideoSampler",
            "executed": ["120"], "exception_message": "CUDA out of memory. Tried to allocate 2 GiB",
            "exception_type": "torch.OutOfMemoryError", "traceback": ["..."], "current_inputs": {},
            "current_outputs": [], "timestamp": 3}]]}
        """);

    HistoryEntry entry = await(client.history(ID)).orElseThrow();

    assertThat(entry.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(entry.error())
        .contains(
            new ComfyEvent.ExecutionError(
                ID,
                "128",
                "WanVideoSampler",
                "torch.OutOfMemoryError",
                "CUDA out of memory. Tried to allocate 2 GiB"));
    assertThat(entry.texts()).containsKey("291");
  }

  @Test
  void history_whenInterrupted_isInterruptedAlthoughStatusSaysError() {
    history(
        """
        "prompt": [7, "%s", {}, {}, ["317"]],
        "outputs": {},
        "status": {"status_str": "error", "completed": false, "messages": [
          ["execution_start", {"prompt_id": "%s", "timestamp": 1}],
          ["execution_interrupted", {"prompt_id": "%s", "node_id": "128", "node_type": "WanVideoSampler",
            "executed": [], "timestamp": 2}]]}
        """);

    HistoryEntry entry = await(client.history(ID)).orElseThrow();

    assertThat(entry.outcome()).isEqualTo(Outcome.INTERRUPTED);
    assertThat(entry.error()).isEmpty();
  }

  @Test
  void history_withoutStatusBlock_isUnknownButKeepsFiles() {
    history(
        """
        "prompt": [7, "%s", {}, {}, ["9"]],
        "outputs": {"9": {"images": [{"filename": "ComfyUI_00001_.png", "subfolder": "", "type": "output"}]}}
        """);

    HistoryEntry entry = await(client.history(ID)).orElseThrow();

    assertThat(entry.outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(entry.firstFile("nope"))
        .contains(new OutputFile("ComfyUI_00001_.png", "", "output"));
  }

  @Test
  void queue_listsRunning_andPendingSortedByNumber() {
    wm.stubFor(
        get(urlPathEqualTo(PREFIX + "/queue"))
            .willReturn(
                okJson(
                    """
                    {"queue_running": [[2, "run", {}, {}, []]],
                     "queue_pending": [[9, "c", {}, {}, []], [3.5, "a", {}, {}, [], {}], [4, "b", {}, {}, []],
                                       [-1, "front", {}, {}, []]]}
                    """)));

    QueueSnapshot queue = await(client.queue());

    assertThat(queue.running()).containsExactly("run");
    assertThat(queue.pending()).containsExactly("front", "a", "b", "c");
    assertThat(queue.positionOf("b")).isEqualTo(3);
  }

  @Test
  void cancel_interruptsThePromptAndDeletesItFromTheQueue() {
    wm.stubFor(post(urlPathEqualTo(PREFIX + "/interrupt")).willReturn(aResponse().withStatus(200)));
    wm.stubFor(post(urlPathEqualTo(PREFIX + "/queue")).willReturn(aResponse().withStatus(200)));

    await(client.cancel(ID));

    wm.verify(
        1,
        postRequestedFor(urlPathEqualTo(PREFIX + "/interrupt"))
            .withRequestBody(equalToJson("{\"prompt_id\": \"" + ID + "\"}")));
    wm.verify(
        1,
        postRequestedFor(urlPathEqualTo(PREFIX + "/queue"))
            .withRequestBody(equalToJson("{\"delete\": [\"" + ID + "\"]}")));
  }

  @Test
  void cancel_whenInterruptFails_stillDeletes_andReportsTheInterruptFailure() {
    wm.stubFor(post(urlPathEqualTo(PREFIX + "/interrupt")).willReturn(aResponse().withStatus(500)));
    wm.stubFor(post(urlPathEqualTo(PREFIX + "/queue")).willReturn(aResponse().withStatus(200)));

    Throwable failure = failureOf(client.cancel(ID));

    assertThat(failure)
        .isExactlyInstanceOf(OpenAvatharException.class)
        .hasMessageContaining("POST /interrupt");
    wm.verify(1, postRequestedFor(urlPathEqualTo(PREFIX + "/queue")));
  }

  @Test
  void cancel_when503_retriesEachCall() {
    wm.stubFor(
        post(urlPathEqualTo(PREFIX + "/interrupt"))
            .inScenario("s")
            .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("up"));
    wm.stubFor(
        post(urlPathEqualTo(PREFIX + "/interrupt"))
            .inScenario("s")
            .whenScenarioStateIs("up")
            .willReturn(aResponse().withStatus(200)));
    wm.stubFor(post(urlPathEqualTo(PREFIX + "/queue")).willReturn(aResponse().withStatus(200)));

    await(client.cancel(ID));

    wm.verify(2, postRequestedFor(urlPathEqualTo(PREFIX + "/interrupt")));
    wm.verify(1, postRequestedFor(urlPathEqualTo(PREFIX + "/queue")));
  }

  @Test
  void systemStats_readsVersionAndDevices() {
    wm.stubFor(
        get(urlPathEqualTo(PREFIX + "/system_stats"))
            .willReturn(
                okJson(
                    """
                    {"system": {"os": "posix", "ram_total": 135000000000, "comfyui_version": "0.3.64",
                                "argv": ["main.py", "--listen"], "new_thing": {}},
                     "devices": [{"name": "cuda:0 NVIDIA H100 : cudaMallocAsync", "type": "cuda", "index": 0,
                                  "vram_total": 85000000000, "vram_free": 84000000000,
                                  "torch_vram_total": 0, "torch_vram_free": 0}]}
                    """)));

    SystemStats stats = await(client.systemStats());

    assertThat(stats)
        .isEqualTo(
            new SystemStats(
                "0.3.64",
                List.of(
                    new SystemStats.Device(
                        "cuda:0 NVIDIA H100 : cudaMallocAsync",
                        "cuda",
                        85_000_000_000L,
                        84_000_000_000L))));
  }

  @Test
  void history_whenAnswerIsNotJson_failsQuotingIt() {
    wm.stubFor(
        get(urlPathEqualTo(HISTORY))
            .willReturn(aResponse().withStatus(200).withBody("<html>login</html>")));

    assertThat(failureOf(client.history(ID)))
        .isExactlyInstanceOf(OpenAvatharException.class)
        .hasMessageContaining("not JSON: '<html>login</html>'");
  }

  private void history(String entryFields) {
    String fields = entryFields.replace("%s", ID);
    wm.stubFor(
        get(urlPathEqualTo(HISTORY)).willReturn(okJson("{\"" + ID + "\": {" + fields + "}}")));
  }
}
