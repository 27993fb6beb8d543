package io.openavathar.testkit.comfy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutionEventsTest {

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
            .stepDelay(java.time.Duration.ZERO)
            .sampleVideos(portraitFile, landscapeFile)
            .start();
    client = new TestClient(simulator);
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void run_forTenSecondsOfAudio_sendsTheReferenceSequenceToTheOwner() throws Exception {
    TestClient.Socket socket = client.connect("owner-1");
    String promptId = client.submitInfiniteTalk("owner-1", 10.0);

    List<JsonNode> events = socket.untilDone(promptId);

    List<String> types = events.stream().map(e -> e.get("type").asText()).toList();
    assertThat(types)
        .containsSubsequence(
            "status",
            "execution_start",
            "execution_cached",
            "executing",
            "executed",
            "progress",
            "executed",
            "execution_success",
            "status",
            "executing");
    assertThat(types.get(types.size() - 2)).isEqualTo("status");
    assertThat(types.get(types.size() - 3)).isEqualTo("execution_success");
    List<JsonNode> samplerTicks =
        events.stream()
            .filter(
                e ->
                    e.get("type").asText().equals("progress")
                        && e.get("data").get("node").asText().equals("128"))
            .toList();
    assertThat(samplerTicks).hasSize(24);
    assertThat(samplerTicks)
        .allSatisfy(e -> assertThat(e.get("data").get("max").asInt()).isEqualTo(24));
    assertThat(samplerTicks.get(23).get("data").get("value").asInt()).isEqualTo(24);
    JsonNode frames =
        events.stream()
            .filter(
                e ->
                    e.get("type").asText().equals("executed")
                        && e.get("data").get("node").asText().equals("293"))
            .findFirst()
            .orElseThrow();
    assertThat(frames.get("data").get("output").get("text").get(0).asText()).isEqualTo("250");
    JsonNode size =
        events.stream()
            .filter(
                e ->
                    e.get("type").asText().equals("executed")
                        && e.get("data").get("node").asText().equals("291"))
            .findFirst()
            .orElseThrow();
    assertThat(size.get("data").get("output").get("text").get(0).asText()).isEqualTo("1x480x832");
    JsonNode video =
        events.stream()
            .filter(
                e ->
                    e.get("type").asText().equals("executed")
                        && e.get("data").get("node").asText().equals("317"))
            .findFirst()
            .orElseThrow();
    JsonNode gif = video.get("data").get("output").get("gifs").get(0);
    assertThat(gif.get("filename").asText()).isEqualTo("InfiniteTalk_00001-audio.mp4");
    assertThat(gif.get("subfolder").asText()).isEqualTo("InfiniteTalk");
    assertThat(gif.get("type").asText()).isEqualTo("output");
    assertThat(gif.get("format").asText()).isEqualTo("video/h264-mp4");
    assertThat(gif.get("frame_rate").asInt()).isEqualTo(25);

    JsonNode history = client.get("/history/" + promptId).json().get(promptId);
    assertThat(history.get("status").get("status_str").asText()).isEqualTo("success");
    assertThat(history.get("status").get("completed").asBoolean()).isTrue();
    assertThat(history.get("prompt").get(1).asText()).isEqualTo(promptId);
    assertThat(history.get("prompt").get(4)).hasSize(2);
    assertThat(history.get("outputs").get("317")).isEqualTo(video.get("data").get("output"));
    assertThat(history.get("meta").get("317").get("real_node_id").asText()).isEqualTo("317");
    TestClient.Result download =
        client.get(
            "/view?filename="
                + gif.get("filename").asText()
                + "&subfolder=InfiniteTalk&type=output");
    assertThat(download.status()).isEqualTo(200);
    assertThat(download.body().length()).isPositive();
  }

  @Test
  void run_forOneWindow_stopsProgressAtHalfOfTheOverestimatedMax() throws Exception {
    TestClient.Socket socket = client.connect("owner-3");
    String promptId = client.submitInfiniteTalk("owner-3", 3.24); // 81 frames at 25 fps

    List<JsonNode> events = socket.untilDone(promptId);

    List<JsonNode> ticks =
        events.stream()
            .filter(
                e ->
                    e.get("type").asText().equals("progress")
                        && e.get("data").get("node").asText().equals("128"))
            .toList();
    assertThat(ticks).hasSize(6);
    assertThat(ticks.get(5).get("data").get("value").asInt()).isEqualTo(6);
    assertThat(ticks.get(5).get("data").get("max").asInt()).isEqualTo(12);
    int lastTick = events.indexOf(ticks.get(5));
    assertThat(events.get(lastTick + 2).get("type").asText())
        .isEqualTo("executing"); // after progress_state
    assertThat(events.get(lastTick + 2).get("data").get("node").asText()).isEqualTo("309");
  }

  @Test
  void run_whenExecutionSuccessIsSent_historyIsStillEmpty() throws Exception {
    CompletableFuture<String> historyAtSuccess = new CompletableFuture<>();
    simulator.onEventSent(
        event -> {
          if (event.type().equals("execution_success")) {
            // runs on the worker, which writes history only after this returns
            historyAtSuccess.complete(client.get("/history/" + event.promptId()).body());
          }
        });
    TestClient.Socket socket = client.connect("owner-2");
    String promptId = client.submitInfiniteTalk("owner-2", 4.0);
    socket.untilDone(promptId);

    assertThat(historyAtSuccess.get(10, TimeUnit.SECONDS)).isEqualTo("{}");
    assertThat(client.get("/history/" + promptId).json().has(promptId)).isTrue();
  }
}
