package io.openavathar.testkit.runpod;

import static io.openavathar.testkit.runpod.RunPodClient.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.testkit.junit5.RunPodSimulatorExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PodLogsTest {

  @RegisterExtension
  final RunPodSimulatorExtension extension =
      new RunPodSimulatorExtension(
          builder ->
              builder
                  .apiKey(KEY)
                  .manualTime(Instant.parse("2026-06-01T12:00:00Z"))
                  .provisioningDelay(Duration.ofSeconds(5))
                  .startingDelay(Duration.ofSeconds(10))
                  .comfyReadyDelay(Duration.ofSeconds(15)));

  private RunPodSimulator runpod;
  private RunPodClient client;

  @BeforeEach
  void setUp() {
    runpod = extension.simulator();
    client = new RunPodClient(runpod);
  }

  @Test
  void logs_backfillTheBootAsEventsWithTimestampIdsAndJsonData() throws Exception {
    String id = client.createPod();
    runpod.advance(Duration.ofMinutes(1));

    try (SseReader stream = new SseReader(client, "/pods/" + id + "/logs", null)) {
      assertThat(stream.status).isEqualTo(200);
      assertThat(stream.contentType).startsWith("text/event-stream");
      SseReader.Event first = stream.next();
      SseReader.Event ready = stream.awaitLine("To see the GUI go to: http://0.0.0.0:8188");

      assertThat(first.line()).startsWith("create pod " + id);
      assertThat(first.id()).matches("2026-06-01T12:00:00Z/\\d{12}");
      assertThat(first.id()).startsWith(first.data().get("ts").asText() + "/");
      assertThat(first.data().get("source").asText()).isEqualTo("system");
      assertThat(ready.data().get("source").asText()).isEqualTo("container");
      assertThat(ready.data().get("ts").asText()).isEqualTo("2026-06-01T12:00:30Z");
    }
  }

  @Test
  void logs_withLastEventId_resumeRightAfterThatEvent() throws Exception {
    String id = client.createPod();
    runpod.advance(Duration.ofMinutes(1));
    List<SseReader.Event> firstFour = new ArrayList<>();
    try (SseReader stream = new SseReader(client, "/pods/" + id + "/logs", null)) {
      for (int i = 0; i < 4; i++) {
        firstFour.add(stream.next());
      }
    }

    try (SseReader resumed =
        new SseReader(client, "/pods/" + id + "/logs", firstFour.get(2).id())) {
      assertThat(resumed.next().id()).isEqualTo(firstFour.get(3).id());
    }
  }

  @Test
  void logs_streamNewLinesLive_asThePodBoots() throws Exception {
    String id = client.createPod();

    try (SseReader stream = new SseReader(client, "/pods/" + id + "/logs?tail=0", null)) {
      runpod.advance(Duration.ofSeconds(30));

      SseReader.Event first = stream.next();
      assertThat(first.line())
          .doesNotStartWith("create pod")
          .doesNotStartWith("Pulling image"); // no backfill
      assertThat(first.data().get("ts").asText()).isEqualTo("2026-06-01T12:00:05Z");
      assertThat(stream.awaitLine("ComfyUI starting").data().get("source").asText())
          .isEqualTo("container");
      stream.awaitLine("To see the GUI go to");
    }
  }

  @Test
  void logs_sourceAndTail_filterTheBackfill() throws Exception {
    String id = client.createPod();
    runpod.advance(Duration.ofMinutes(1));

    try (SseReader stream =
        new SseReader(client, "/pods/" + id + "/logs?source=container&tail=1", null)) {
      SseReader.Event only = stream.next();
      assertThat(only.line()).startsWith("To see the GUI go to");
    }
    assertThat(client.get("/pods/" + id + "/logs?source=stderr").status()).isEqualTo(422);
    assertThat(client.get("/pods/" + id + "/logs?tail=5001").status()).isEqualTo(422);
    assertThat(client.get("/pods/nosuchpod/logs").status()).isEqualTo(404);
  }

  @Test
  void dropLogStreamAfter_cutsTheStream_andTheClientCanResume() throws Exception {
    String id = client.createPod();
    runpod.advance(Duration.ofMinutes(1));
    runpod.dropLogStreamAfter(2);
    SseReader.Event second;

    try (SseReader stream = new SseReader(client, "/pods/" + id + "/logs", null)) {
      stream.next();
      second = stream.next();
      assertThat(stream.awaitEnd()).isTrue();
      assertThat(stream.pending()).isZero();
    }
    try (SseReader resumed = new SseReader(client, "/pods/" + id + "/logs", second.id())) {
      assertThat(resumed.next().id()).isGreaterThan(second.id());
    }
  }

  @Test
  void terminate_endsOpenStreamsCleanly() throws Exception {
    String id = client.createPod();

    try (SseReader stream = new SseReader(client, "/pods/" + id + "/logs", null)) {
      stream.next();
      client.delete("/pods/" + id);

      stream.awaitLine("terminate pod " + id);
      assertThat(stream.awaitEnd()).isFalse();
    }
  }
}
