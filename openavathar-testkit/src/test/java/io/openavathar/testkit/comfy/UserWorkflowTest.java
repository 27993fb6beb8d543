package io.openavathar.testkit.comfy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator runs a user's own workflow: the stand-in graph of core nodes, as a real CPU-only
 * ComfyUI does.
 */
class UserWorkflowTest {

  @TempDir Path tmp;

  private ComfyUiSimulator simulator;
  private TestClient client;
  private byte[] portrait;

  @BeforeEach
  void start() throws Exception {
    portrait = TestWorkflows.video(300_000, 1);
    Path portraitFile = Files.write(tmp.resolve("p.mp4"), portrait);
    Path landscapeFile = Files.write(tmp.resolve("l.mp4"), TestWorkflows.video(200_000, 2));
    simulator =
        ComfyUiSimulator.builder()
            .stepDelay(Duration.ZERO)
            .sampleVideos(portraitFile, landscapeFile)
            .start();
    client = new TestClient(simulator);
    client.upload("face.png", new byte[] {1, 2, 3});
    client.upload("speech.wav", TestWorkflows.wav(2.0));
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private static ObjectNode standIn() {
    return (ObjectNode) json(StandInWorkflow.json());
  }

  @Test
  void standIn_savesAnMp4InSaveVideosHistoryShape() throws Exception {
    String promptId = client.submit("owner-1", standIn());

    JsonNode entry = client.awaitHistory(promptId);

    assertThat(entry.get("status").get("status_str").asText()).isEqualTo("success");
    JsonNode outputs = entry.get("outputs");
    assertThat(outputs.size()).isEqualTo(1);
    assertThat(outputs.get("6"))
        .isEqualTo(
            json(
                "{\"images\": [{\"filename\": \"ComfyUI_00001_.mp4\","
                    + " \"subfolder\": \"standin\", \"type\": \"output\"}], \"animated\": [true]}"));
    TestClient.Result video =
        client.get("/view?filename=ComfyUI_00001_.mp4&subfolder=standin&type=output");
    assertThat(video.status()).isEqualTo(200);
    assertThat(video.body().length()).isGreaterThan(0);
  }

  @Test
  void saveVideo_countsOnInItsSubfolder_andDefaultsToVideoComfyUi() throws Exception {
    ObjectNode graph = standIn();
    TestWorkflows.inputs(graph, "6").put("filename_prefix", "cmp-real/run");
    String first = client.submit(null, graph);
    client.awaitHistory(first);
    TestWorkflows.inputs(graph, "4").put("amount", 81); // not served from cache
    String second = client.submit(null, graph);
    ObjectNode unprefixed = standIn();
    TestWorkflows.inputs(unprefixed, "6").remove("filename_prefix");
    String third = client.submit(null, unprefixed);

    assertThat(client.awaitHistory(second).get("outputs").get("6").get("images").get(0))
        .isEqualTo(
            json(
                "{\"filename\": \"run_00002_.mp4\", \"subfolder\": \"cmp-real\","
                    + " \"type\": \"output\"}"));
    JsonNode plain = client.awaitHistory(third).get("outputs").get("6").get("images").get(0);
    assertThat(plain.get("filename").asText()).isEqualTo("ComfyUI_00001_.mp4");
    assertThat(plain.get("subfolder").asText()).isEqualTo("video");
  }

  @Test
  void graphWithoutSampler_sendsProgressStateOnly_andExecutingPerNode() throws Exception {
    TestClient.Socket socket = client.connect("owner-1");
    String promptId = client.submit("owner-1", standIn());

    List<JsonNode> events = socket.untilDone(promptId);

    List<String> types = events.stream().map(e -> e.get("type").asText()).toList();
    assertThat(types).doesNotContain("progress").contains("progress_state");
    List<String> executing =
        events.stream()
            .filter(e -> e.get("type").asText().equals("executing"))
            .map(e -> e.get("data").get("node").asText("null"))
            .toList();
    assertThat(executing).containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6", "null");
    JsonNode lastState =
        events.stream()
            .filter(e -> e.get("type").asText().equals("progress_state"))
            .reduce((a, b) -> b)
            .orElseThrow()
            .get("data");
    assertThat(lastState.get("prompt_id").asText()).isEqualTo(promptId);
    JsonNode six = lastState.get("nodes").get("6");
    assertThat(six.get("state").asText()).isEqualTo("finished");
    for (String key :
        List.of("value", "max", "node_id", "display_node_id", "parent_node_id", "real_node_id")) {
      assertThat(six.has(key)).as(key).isTrue();
    }
  }

  @Test
  void knownNodeClasses_letsAGraphOfOtherClassesRun_andSaveNamedClassesAreOutputs()
      throws Exception {
    ObjectNode graph = standIn();
    ObjectNode upscaler = graph.putObject("9");
    upscaler.put("class_type", "MyUpscaler");
    upscaler.putObject("inputs").putArray("image").add("3").add(0);
    TestWorkflows.inputs(graph, "4").putArray("image").add("9").add(0);
    ((ObjectNode) graph.get("6")).put("class_type", "SaveVideoFancy");
    assertThat(
            client.post("/prompt", promptBody(graph)).json().get("error").get("message").asText())
        .isEqualTo("Cannot execute because node SaveVideoFancy does not exist.");
    simulator.close();
    simulator =
        ComfyUiSimulator.builder()
            .stepDelay(Duration.ZERO)
            .knownNodeClasses(Set.of("MyUpscaler"))
            .knownNodeClasses(Set.of("SaveVideoFancy"))
            .start();
    client = new TestClient(simulator);
    client.upload("face.png", new byte[] {1, 2, 3});
    client.upload("speech.wav", TestWorkflows.wav(2.0));

    String promptId = client.submit(null, graph);

    JsonNode entry = client.awaitHistory(promptId);
    assertThat(entry.get("status").get("status_str").asText()).isEqualTo("success");
    assertThat(entry.get("prompt").get(4)).containsExactly(json("\"6\""));
  }

  @Test
  void cpuDevice_reportsTheCpuAsARealCpuOnlyServerDoes() {
    simulator.close();
    simulator = ComfyUiSimulator.builder().cpuDevice().start();
    client = new TestClient(simulator);

    JsonNode device = client.get("/system_stats").json().get("devices").get(0);

    assertThat(device.get("name").asText()).isEqualTo("cpu");
    assertThat(device.get("type").asText()).isEqualTo("cpu");
  }

  private static JsonNode json(String text) {
    try {
      return TestWorkflows.JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ObjectNode promptBody(ObjectNode graph) {
    ObjectNode body = Json.object();
    body.set("prompt", graph);
    return body;
  }
}
