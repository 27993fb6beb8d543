package io.openavathar.testkit.comfy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebSocketTest {

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

  @Test
  void connect_sendsStatusWithTheSid() throws Exception {
    TestClient.Socket socket = client.connect("java-7d1c");

    JsonNode status = socket.seen.get(0);
    assertThat(status.get("data").get("sid").asText()).isEqualTo("java-7d1c");
    assertThat(status.get("data").get("status").get("exec_info").get("queue_remaining").asInt())
        .isZero();
  }

  @Test
  void connect_withoutClientId_getsAGeneratedHexSid() throws Exception {
    TestClient.Socket socket = client.connect(null);

    assertThat(socket.seen.get(0).get("data").get("sid").asText()).matches("[0-9a-f]{32}");
  }

  @Test
  void featureFlags_asFirstMessage_areAnsweredWithTheServerFlags() throws Exception {
    TestClient.Socket socket = client.connect("flags");

    socket.webSocket.send(
        "{\"type\":\"feature_flags\",\"data\":{\"supports_preview_metadata\":true}}");

    JsonNode flags = socket.awaitType("feature_flags").get("data");
    assertThat(flags.get("supports_preview_metadata").asBoolean()).isTrue();
    assertThat(flags.get("max_upload_size").asDouble()).isEqualTo(104857600.0);
  }

  @Test
  void dropWebSocketsNow_thenReconnect_sendsTheRunningNodeWithoutPromptId() throws Exception {
    TestClient.Socket socket = client.connect("owner");
    String promptId = client.submitInfiniteTalk("owner", 10.0);
    socket.await(m -> m.get("type").asText().equals("progress"));

    simulator.dropWebSocketsNow();
    assertThat(socket.closed.await(10, TimeUnit.SECONDS)).isTrue();
    TestClient.Socket again = client.connect("owner");
    JsonNode hint = again.next();

    assertThat(hint.get("type").asText()).isEqualTo("executing");
    assertThat(hint.get("data").get("node").asText()).isEqualTo("128");
    assertThat(hint.get("data").has("prompt_id")).isFalse();
    client.post("/interrupt", "{\"prompt_id\":\"" + promptId + "\"}");
    again.untilDone(promptId);
  }

  @Test
  void dropWebSocketsAfter_closesTheSocketAfterThatManyFrames() throws Exception {
    TestClient.Socket socket = client.connect("owner");
    simulator.dropWebSocketsAfter(3);
    String promptId = client.submitInfiniteTalk("owner", 2.0);

    assertThat(socket.closed.await(10, TimeUnit.SECONDS)).isTrue();
    int received = socket.messages.size();

    assertThat(received).isEqualTo(3);
    assertThat(client.awaitHistory(promptId).get("status").get("status_str").asText())
        .isEqualTo("success");
  }

  @Test
  void silenceWebSockets_keepsTheSocketOpenButSendsNothing() throws Exception {
    TestClient.Socket socket = client.connect("owner");
    simulator.silenceWebSockets(true);
    String silent = client.submitInfiniteTalk("owner", 1.0);
    String next = client.submitInfiniteTalk("owner", 10.0);
    client.awaitHistory(silent);
    awaitRunning(
        next); // the worker finished every send of the silent prompt before it took this one

    simulator.silenceWebSockets(false);
    socket.untilDone(next);

    assertThat(socket.seen).noneMatch(m -> silent.equals(m.get("data").path("prompt_id").asText()));
    assertThat(simulator.connectedWebSockets()).isEqualTo(1);
  }

  private void awaitRunning(String promptId) throws InterruptedException {
    long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode running = client.get("/queue").json().get("queue_running");
      if (running.size() == 1 && running.get(0).get(1).asText().equals(promptId)) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(2); // polling interval
    }
    throw new AssertionError(promptId + " did not start within " + TestClient.TIMEOUT);
  }

  @Test
  void sendBinaryPreviews_sendsJpegFramesOfType1DuringSampling() throws Exception {
    simulator.sendBinaryPreviews(true);
    TestClient.Socket socket = client.connect("owner");
    String promptId = client.submitInfiniteTalk("owner", 1.0);
    socket.untilDone(promptId);

    ByteString frame = socket.binary.poll(10, TimeUnit.SECONDS);

    assertThat(frame).isNotNull();
    assertThat(frame.getByte(3)).isEqualTo((byte) 1);
    assertThat(frame.getByte(7)).isEqualTo((byte) 1);
    assertThat(frame.getByte(8)).isEqualTo((byte) 0xFF);
    assertThat(frame.getByte(9)).isEqualTo((byte) 0xD8);
  }

  @Test
  void sendBinaryPreviews_afterFeatureNegotiation_sendsType4WithMetadata() throws Exception {
    simulator.sendBinaryPreviews(true);
    TestClient.Socket socket = client.connect("owner");
    socket.webSocket.send(
        "{\"type\":\"feature_flags\",\"data\":{\"supports_preview_metadata\":true}}");
    socket.awaitType("feature_flags");
    String promptId = client.submitInfiniteTalk("owner", 1.0);
    socket.untilDone(promptId);

    ByteString frame = socket.binary.poll(10, TimeUnit.SECONDS);

    assertThat(frame).isNotNull();
    assertThat(frame.getByte(3)).isEqualTo((byte) 4);
    int length = frame.substring(4, 8).asByteBuffer().getInt();
    JsonNode metadata = TestWorkflows.JSON.readTree(frame.substring(8, 8 + length).utf8());
    assertThat(metadata.get("prompt_id").asText()).isEqualTo(promptId);
    assertThat(metadata.get("node_id").asText()).isEqualTo("128");
    assertThat(frame.getByte(8 + length)).isEqualTo((byte) 0xFF);
  }

  @Test
  void onEventSent_reportsEveryFrameWithItsPromptId() throws Exception {
    TestClient.Socket socket = client.connect("owner");
    String promptId = client.submitInfiniteTalk("owner", 1.0);
    socket.untilDone(promptId);

    SentEvent last =
        simulator.sentEvents().stream()
            .filter(SentEvent::isExecutionDone)
            .findFirst()
            .orElseThrow();

    assertThat(last.clientId()).isEqualTo("owner");
    assertThat(last.promptId()).isEqualTo(promptId);
    assertThat(simulator.sentEvents())
        .filteredOn(e -> e.type().equals("execution_success"))
        .singleElement()
        .satisfies(e -> assertThat(e.nanoTime()).isLessThan(last.nanoTime()));
  }
}
