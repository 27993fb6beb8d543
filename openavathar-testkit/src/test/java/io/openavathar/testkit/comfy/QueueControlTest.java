package io.openavathar.testkit.comfy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueueControlTest {

  private ComfyUiSimulator simulator;
  private TestClient client;

  @BeforeEach
  void start() {
    simulator = TestWorkflows.builder().stepDelay(Duration.ofMillis(20)).caching(false).start();
    client = new TestClient(simulator);
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private static boolean isSamplerTick(JsonNode m) {
    return m.get("type").asText().equals("progress")
        && m.get("data").get("node").asText().equals("128");
  }

  @Test
  void interrupt_ofTheRunningPrompt_endsItWithAnInterruptedHistory() throws Exception {
    TestClient.Socket socket = client.connect("owner");
    String promptId = client.submitInfiniteTalk("owner", 10.0);
    int before = socket.await(QueueControlTest::isSamplerTick).get("data").get("value").asInt();

    client.post("/interrupt", "{\"prompt_id\":\"someone-else\"}");
    int after = socket.await(QueueControlTest::isSamplerTick).get("data").get("value").asInt();
    assertThat(client.post("/interrupt", "").status()).isEqualTo(200);
    List<JsonNode> rest = socket.untilDone(promptId);

    assertThat(after).isGreaterThan(before);
    List<String> types = rest.stream().map(m -> m.get("type").asText()).toList();
    assertThat(types).containsSubsequence("execution_interrupted", "status", "executing");
    assertThat(types).doesNotContain("execution_success", "executed");
    JsonNode interrupted =
        rest.stream()
            .filter(m -> m.get("type").asText().equals("execution_interrupted"))
            .findFirst()
            .orElseThrow()
            .get("data");
    assertThat(interrupted.get("node_id").asText()).isEqualTo("128");
    assertThat(interrupted.get("node_type").asText()).isEqualTo("WanVideoSampler");
    JsonNode status = client.get("/history/" + promptId).json().get(promptId).get("status");
    assertThat(status.get("status_str").asText()).isEqualTo("error");
    assertThat(status.get("completed").asBoolean()).isFalse();
    JsonNode messages = status.get("messages");
    assertThat(messages.get(messages.size() - 1).get(0).asText())
        .isEqualTo("execution_interrupted");
  }

  @Test
  void interrupt_takesEffectAtTheNextNodeBoundary_theMp4IsNeverWritten() throws Exception {
    NodeHold frames = simulator.holdNode("309"); // WanVideoPassImagesFromSamples: no progress ticks
    TestClient.Socket socket = client.connect("owner");
    String promptId = client.submitInfiniteTalk("owner", 1.0);
    frames.awaitReached(Duration.ofSeconds(10));

    client.post("/interrupt", "{\"prompt_id\":\"" + promptId + "\"}");

    // The node in progress is not cut short: the prompt still runs and has no history.
    JsonNode queue = client.get("/queue").json();
    assertThat(queue.get("queue_running")).hasSize(1);
    assertThat(queue.get("queue_running").get(0).get(1).asText()).isEqualTo(promptId);
    assertThat(client.get("/history/" + promptId).body()).isEqualTo("{}");

    frames.release();
    List<JsonNode> rest = socket.untilDone(promptId);
    JsonNode interrupted =
        rest.stream()
            .filter(m -> m.get("type").asText().equals("execution_interrupted"))
            .findFirst()
            .orElseThrow()
            .get("data");
    assertThat(interrupted.get("node_id").asText())
        .isEqualTo("317"); // the next node, as it started
    assertThat(interrupted.get("executed")).extracting(JsonNode::asText).contains("309");
    assertThat(client.get("/queue").json().get("queue_running")).isEmpty();
    JsonNode messages =
        client.get("/history/" + promptId).json().get(promptId).get("status").get("messages");
    assertThat(messages.get(messages.size() - 1).get(0).asText())
        .isEqualTo("execution_interrupted");
    try (java.util.stream.Stream<java.nio.file.Path> files =
        java.nio.file.Files.walk(simulator.outputDirectory())) {
      assertThat(files.filter(f -> f.toString().endsWith(".mp4"))).isEmpty();
    }
  }

  @Test
  void interrupt_ofAPendingPrompt_isSkipped() throws Exception {
    NodeHold first = simulator.holdNode("309");
    TestClient.Socket socket = client.connect("owner");
    String running = client.submitInfiniteTalk("owner", 1.0);
    first.awaitReached(Duration.ofSeconds(10));
    String pending = client.submitInfiniteTalk("owner", 1.0);

    assertThat(client.post("/interrupt", "{\"prompt_id\":\"" + pending + "\"}").status())
        .isEqualTo(200);
    first.release();

    List<String> types =
        socket.untilDone(running).stream().map(m -> m.get("type").asText()).toList();
    assertThat(types).contains("execution_success").doesNotContain("execution_interrupted");
    socket.untilDone(pending);
    JsonNode status = client.get("/history/" + pending).json().get(pending).get("status");
    assertThat(status.get("status_str").asText()).isEqualTo("success");
  }

  @Test
  void deleteFromQueue_removesAPendingPromptThatThenNeverRuns() throws Exception {
    simulator.pauseExecution();
    String first = client.submitInfiniteTalk("owner", 1.0);
    String second = client.submitInfiniteTalk("owner", 1.0);
    JsonNode queue = client.get("/queue").json();
    assertThat(queue.get("queue_running")).isEmpty();
    assertThat(queue.get("queue_pending")).hasSize(2);
    JsonNode item = queue.get("queue_pending").get(0);
    assertThat(item.get(2).has("317")).isTrue();
    assertThat(item.get(3).get("client_id").asText()).isEqualTo("owner");
    assertThat(client.get("/prompt").json().get("exec_info").get("queue_remaining").asInt())
        .isEqualTo(2);

    client.post("/queue", "{\"delete\":[\"" + second + "\"]}");
    TestClient.Socket socket = client.connect("owner");
    simulator.resumeExecution();
    socket.untilDone(first);

    assertThat(client.get("/history/" + second).body()).isEqualTo("{}");
    assertThat(client.get("/history").json().fieldNames()).toIterable().containsExactly(first);
    assertThat(client.get("/queue").json().get("queue_pending")).isEmpty();
  }

  @Test
  void clearQueue_wipesEveryPendingPrompt() {
    simulator.pauseExecution();
    client.submitInfiniteTalk("owner", 1.0);
    client.submitInfiniteTalk("owner", 1.0);

    client.post("/queue", "{\"clear\":true}");

    assertThat(client.get("/queue").json().get("queue_pending")).isEmpty();
    assertThat(client.get("/prompt").json().get("exec_info").get("queue_remaining").asInt())
        .isZero();
  }

  @Test
  void failNextExecution_sendsExecutionErrorAndRecordsAnErrorHistory() throws Exception {
    simulator.failNextExecution("128", "torch.OutOfMemoryError", "Allocation on device");
    TestClient.Socket socket = client.connect("owner");
    String promptId = client.submitInfiniteTalk("owner", 2.0);

    List<JsonNode> events = socket.untilDone(promptId);

    List<String> types = events.stream().map(m -> m.get("type").asText()).toList();
    assertThat(types)
        .containsSubsequence("execution_error", "status", "executing")
        .doesNotContain("execution_success");
    JsonNode error =
        events.stream()
            .filter(m -> m.get("type").asText().equals("execution_error"))
            .findFirst()
            .orElseThrow()
            .get("data");
    assertThat(error.get("node_id").asText()).isEqualTo("128");
    assertThat(error.get("exception_type").asText()).isEqualTo("torch.OutOfMemoryError");
    assertThat(error.get("exception_message").asText()).isEqualTo("Allocation on device");
    assertThat(error.get("traceback").isArray()).isTrue();
    assertThat(error.get("executed")).extracting(JsonNode::asText).contains("293");
    JsonNode history = client.get("/history/" + promptId).json().get(promptId);
    assertThat(history.get("status").get("status_str").asText()).isEqualTo("error");
    assertThat(history.get("outputs").has("293")).isTrue();
    String next = client.submitInfiniteTalk("owner", 2.0);
    assertThat(socket.untilDone(next))
        .extracting(m -> m.get("type").asText())
        .contains("execution_success");
  }

  @Test
  void prompt_withoutClientId_broadcastsProgressOnlyAndSendsNoExecutionEvents() throws Exception {
    TestClient.Socket observer = client.connect("observer");
    String promptId = client.submitInfiniteTalk(null, 2.0);

    JsonNode history = client.awaitHistory(promptId);
    observer.await(
        m ->
            m.get("type").asText().equals("status")
                && m.get("data").get("status").get("exec_info").get("queue_remaining").asInt() == 0
                && observer.seen.stream().anyMatch(QueueControlTest::isSamplerTick));

    assertThat(history.get("status").get("status_str").asText()).isEqualTo("success");
    assertThat(observer.seen).anyMatch(QueueControlTest::isSamplerTick);
    assertThat(observer.seen).anyMatch(m -> m.get("type").asText().equals("progress_state"));
    assertThat(observer.seen)
        .noneMatch(
            m ->
                m.get("type").asText().startsWith("execution_")
                    || m.get("type").asText().equals("executing")
                    || m.get("type").asText().equals("executed"));
  }

  @Test
  void history_withMaxItems_returnsTheLatestEntries() throws Exception {
    TestClient.Socket socket = client.connect("owner");
    String first = client.submitInfiniteTalk("owner", 1.0);
    socket.untilDone(first);
    String second = client.submitInfiniteTalk("owner", 1.0);
    socket.untilDone(second);

    assertThat(client.get("/history?max_items=1").json().fieldNames())
        .toIterable()
        .containsExactly(second);
    assertThat(client.get("/history?max_items=abc").status()).isEqualTo(500);
    client.post("/history", "{\"delete\":[\"" + second + "\"]}");
    assertThat(client.get("/history").json().fieldNames()).toIterable().containsExactly(first);
    client.post("/history", "{\"clear\":true}");
    assertThat(client.get("/history").body()).isEqualTo("{}");
  }
}
