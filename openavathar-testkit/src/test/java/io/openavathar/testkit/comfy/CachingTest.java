package io.openavathar.testkit.comfy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CachingTest {

  private ComfyUiSimulator simulator;
  private TestClient client;
  private TestClient.Socket socket;
  private ObjectNode graph;

  @BeforeEach
  void start() throws Exception {
    simulator = TestWorkflows.builder().start();
    client = new TestClient(simulator);
    socket = client.connect("owner");
    String image = client.upload("face.png", TestWorkflows.image(1)).json().get("name").asText();
    String audio = client.upload("voice.wav", TestWorkflows.wav(3.0)).json().get("name").asText();
    graph = TestWorkflows.infiniteTalk(image, audio);
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private static List<JsonNode> ofType(List<JsonNode> events, String type) {
    return events.stream().filter(e -> e.get("type").asText().equals(type)).toList();
  }

  private static String videoName(List<JsonNode> events) {
    return ofType(events, "executed").stream()
        .filter(e -> e.get("data").get("node").asText().equals("317"))
        .findFirst()
        .orElseThrow()
        .get("data")
        .get("output")
        .get("gifs")
        .get(0)
        .get("filename")
        .asText();
  }

  @Test
  void resubmit_ofTheSameGraph_runsNothingAndReportsTheOldVideo() throws Exception {
    List<JsonNode> first = socket.untilDone(client.submit("owner", graph));

    String again = client.submit("owner", graph);
    List<JsonNode> second = socket.untilDone(again);

    JsonNode cached = ofType(second, "execution_cached").get(0).get("data").get("nodes");
    assertThat(cached).hasSize(24).extracting(JsonNode::asText).doesNotContain("300");
    assertThat(ofType(second, "progress")).isEmpty();
    assertThat(ofType(second, "executing")).hasSize(1); // only the final node:null
    assertThat(ofType(second, "executed"))
        .extracting(e -> e.get("data").get("node").asText())
        .containsExactly("293", "317");
    assertThat(videoName(second)).isEqualTo(videoName(first));
    assertThat(client.get("/history/" + again).json().get(again).get("outputs").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("291", "293", "317");
  }

  @Test
  void resubmit_withANewSeed_reRunsOnlyTheSamplerAndWhatFollows() throws Exception {
    List<JsonNode> first = socket.untilDone(client.submit("owner", graph));
    TestWorkflows.inputs(graph, "128").put("seed", 3);

    List<JsonNode> second = socket.untilDone(client.submit("owner", graph));

    assertThat(ofType(second, "executing"))
        .extracting(e -> e.get("data").get("node").asText())
        .containsExactly("128", "309", "317", "null");
    assertThat(ofType(second, "progress")).isNotEmpty();
    assertThat(videoName(first)).isEqualTo("InfiniteTalk_00001-audio.mp4");
    assertThat(videoName(second)).isEqualTo("InfiniteTalk_00002-audio.mp4");
  }

  @Test
  void caching_whenDisabled_runsEveryNodeEveryTime() throws Exception {
    simulator.close();
    simulator = TestWorkflows.builder().caching(false).start();
    client = new TestClient(simulator);
    socket = client.connect("owner");
    String image = client.upload("face.png", TestWorkflows.image(1)).json().get("name").asText();
    String audio = client.upload("voice.wav", TestWorkflows.wav(3.0)).json().get("name").asText();
    graph = TestWorkflows.infiniteTalk(image, audio);
    socket.untilDone(client.submit("owner", graph));

    List<JsonNode> second = socket.untilDone(client.submit("owner", graph));

    assertThat(ofType(second, "execution_cached").get(0).get("data").get("nodes")).isEmpty();
    assertThat(ofType(second, "executing")).hasSize(25);
  }
}
