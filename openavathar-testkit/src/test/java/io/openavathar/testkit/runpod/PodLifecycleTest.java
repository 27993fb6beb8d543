package io.openavathar.testkit.runpod;

import static io.openavathar.testkit.runpod.RunPodClient.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.testkit.junit5.RunPodSimulatorExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PodLifecycleTest {

  static final Instant START = Instant.parse("2026-06-01T12:00:00Z");

  @RegisterExtension
  final RunPodSimulatorExtension extension =
      new RunPodSimulatorExtension(
          builder ->
              builder
                  .apiKey(KEY)
                  .manualTime(START)
                  .provisioningDelay(Duration.ofSeconds(10))
                  .startingDelay(Duration.ofSeconds(20))
                  .comfyReadyDelay(Duration.ofSeconds(30))
                  .seed(7));

  private RunPodSimulator runpod;
  private RunPodClient client;

  @BeforeEach
  void setUp() {
    runpod = extension.simulator();
    client = new RunPodClient(runpod);
  }

  @Test
  void create_answersAProvisioningPodWithEveryRequiredFieldAndTheCreatedEnv() {
    RunPodClient.Result result = client.post("/pods", RunPodClient.podBody());

    assertThat(result.status()).isEqualTo(201);
    JsonNode pod = result.json();
    assertThat(pod.fieldNames())
        .toIterable()
        .contains(
            "id",
            "name",
            "status",
            "actions",
            "image",
            "args",
            "disk",
            "mounts",
            "ports",
            "env",
            "registry",
            "cloud",
            "dataCenterId",
            "cudaVersion",
            "ssh",
            "template",
            "cost",
            "locked",
            "runtime",
            "createdAt",
            "startedAt",
            "globalNetworking",
            "gpu");
    assertThat(pod.get("id").asText()).matches("[a-z0-9]{14}");
    assertThat(pod.get("status").asText()).isEqualTo("PROVISIONING");
    assertThat(texts(pod.get("actions"))).containsExactly("stop", "terminate");
    assertThat(pod.get("env").get("OPENAVATHAR_MANAGED").asText()).isEqualTo("1");
    assertThat(pod.get("gpu").get("id").asText()).isEqualTo("NVIDIA GeForce RTX 4090");
    assertThat(pod.get("gpu").get("count").asInt()).isEqualTo(1);
    assertThat(pod.get("cloud").asText()).isEqualTo("COMMUNITY");
    assertThat(pod.get("cost").asDouble()).isEqualTo(0.34);
    assertThat(pod.get("runtime").isNull()).isTrue();
    assertThat(pod.get("startedAt").isNull()).isTrue();
    assertThat(pod.get("createdAt").asText()).isEqualTo("2026-06-01T12:00:00Z");
    assertThat(result.header("Content-Type")).startsWith("application/json");
  }

  @Test
  void advance_movesThePodThroughStartingToRunningWithRuntimePorts() {
    String id = client.createPod();

    runpod.advance(Duration.ofSeconds(9));
    assertThat(client.pod(id).get("status").asText()).isEqualTo("PROVISIONING");
    runpod.advance(Duration.ofSeconds(1));
    assertThat(client.pod(id).get("status").asText()).isEqualTo("STARTING");
    assertThat(client.pod(id).get("runtime").isNull()).isTrue();
    runpod.advance(Duration.ofSeconds(20));

    JsonNode pod = client.pod(id);
    assertThat(pod.get("status").asText()).isEqualTo("RUNNING");
    assertThat(texts(pod.get("actions"))).containsExactly("stop", "restart", "terminate");
    assertThat(pod.get("startedAt").asText()).isEqualTo("2026-06-01T12:00:30Z");
    JsonNode ports = pod.get("runtime").get("ports");
    assertThat(ports)
        .anySatisfy(
            port -> {
              assertThat(port.get("private").asInt()).isEqualTo(8188);
              assertThat(port.get("type").asText()).isEqualTo("http");
            });
    assertThat(ports)
        .anySatisfy(
            port -> {
              assertThat(port.get("private").asInt()).isEqualTo(22);
              assertThat(port.get("type").asText()).isEqualTo("tcp");
              assertThat(port.get("public").asInt()).isBetween(10_000, 60_000);
            });
    assertThat(pod.get("ssh").get("direct").get("username").asText()).isEqualTo("root");
  }

  @Test
  void tick_appliesOneTransitionAtATime_untilComfyIsReady() {
    String id = client.createPod();

    assertThat(runpod.tick()).isTrue();
    assertThat(runpod.pod(id).orElseThrow().status()).isEqualTo("STARTING");
    assertThat(runpod.tick())
        .isTrue(); // RUNNING, and the container is up at the same instant (runtimeDelay 0)
    assertThat(runpod.pod(id).orElseThrow().status()).isEqualTo("RUNNING");
    assertThat(runpod.pod(id).orElseThrow().comfyReady()).isFalse();
    assertThat(runpod.comfyOf(id)).isPresent();
    assertThat(runpod.tick()).isTrue();

    assertThat(runpod.pod(id).orElseThrow().comfyReady()).isTrue();
    assertThat(runpod.readyAt(id)).contains(Instant.parse("2026-06-01T12:01:00Z"));
    assertThat(runpod.tick()).isFalse();
    assertThat(runpod.now()).isEqualTo(Instant.parse("2026-06-01T12:01:00Z"));
  }

  @Test
  void runtimeDelay_reportsRunningWithoutRuntimeFirst() {
    try (RunPodSimulator slow =
        RunPodSimulator.builder()
            .manualTime(START)
            .provisioningDelay(Duration.ZERO)
            .startingDelay(Duration.ZERO)
            .runtimeDelay(Duration.ofSeconds(5))
            .start()) {
      RunPodClient slowClient = new RunPodClient(slow);
      String id = slowClient.createPod();

      JsonNode running = slowClient.pod(id);
      assertThat(running.get("status").asText()).isEqualTo("RUNNING");
      assertThat(running.get("runtime").isNull()).isTrue();
      assertThat(running.get("ssh").get("direct").isNull()).isTrue();

      slow.advance(Duration.ofSeconds(5));
      assertThat(slowClient.pod(id).get("runtime").isObject()).isTrue();
    }
  }

  @Test
  void stop_releasesTheGpu_andStartGoesThroughStartingAgain() {
    String id = runningPod();

    JsonNode stopped = client.action(id, "stop").json();
    assertThat(stopped.get("status").asText()).isEqualTo("EXITED");
    assertThat(stopped.get("cost").asDouble()).isZero();
    assertThat(stopped.get("runtime").isNull()).isTrue();
    assertThat(texts(stopped.get("actions"))).containsExactly("start", "terminate");
    assertThat(runpod.comfyOf(id)).isEmpty();

    JsonNode started = client.action(id, "start").json();
    assertThat(started.get("status").asText()).isEqualTo("STARTING");
    runpod.advance(Duration.ofSeconds(20));
    assertThat(client.pod(id).get("status").asText()).isEqualTo("RUNNING");
    runpod.advance(Duration.ofSeconds(30));
    assertThat(runpod.pod(id).orElseThrow().comfyReady()).isTrue();
  }

  @Test
  void restart_bringsUpAFreshComfyUi() {
    String id = runningPod();
    var before = runpod.comfyOf(id).orElseThrow();

    assertThat(client.action(id, "restart").json().get("status").asText()).isEqualTo("STARTING");
    assertThat(runpod.comfyOf(id)).isEmpty();
    runpod.advance(Duration.ofSeconds(50));

    assertThat(runpod.comfyOf(id)).get().isNotSameAs(before);
    assertThat(runpod.pod(id).orElseThrow().comfyReady()).isTrue();
  }

  @Test
  void terminateAction_answers204_andThePodDisappears() {
    String id = runningPod();

    RunPodClient.Result result = client.action(id, "terminate");

    assertThat(result.status()).isEqualTo(204);
    assertThat(result.body()).isEmpty();
    assertThat(client.get("/pods").json().get("pods")).isEmpty();
    RunPodClient.Result gone = client.get("/pods/" + id);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.json().get("detail").asText()).isEqualTo("pod not found");
    assertThat(runpod.pods()).isEmpty();
    assertThat(runpod.podsCreated()).isEqualTo(1);
  }

  @Test
  void delete_answers204_andRemovesOnlyThatPod() {
    String first = client.createPod();
    String second = client.createPod();

    assertThat(client.delete("/pods/" + first).status()).isEqualTo(204);

    JsonNode pods = client.get("/pods").json().get("pods");
    assertThat(pods).hasSize(1);
    assertThat(pods.get(0).get("id").asText()).isEqualTo(second);
    assertThat(client.delete("/pods/" + first).status()).isEqualTo(404);
  }

  @Test
  void failPod_putsThePodInError_fromWhichStartRecovers() {
    String id = runningPod();

    runpod.failPod(id);

    JsonNode failed = client.pod(id);
    assertThat(failed.get("status").asText()).isEqualTo("ERROR");
    assertThat(failed.get("cost").asDouble()).isZero();
    assertThat(texts(failed.get("actions"))).containsExactly("start", "terminate");
    assertThat(client.action(id, "start").status()).isEqualTo(200);
    runpod.advance(Duration.ofSeconds(20));
    assertThat(client.pod(id).get("status").asText()).isEqualTo("RUNNING");
  }

  @Test
  void advance_inRealTimeMode_isRefused() {
    try (RunPodSimulator realTime = RunPodSimulator.start()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> realTime.advance(Duration.ofSeconds(1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("manualTime()");
    }
  }

  private String runningPod() {
    String id = client.createPod();
    runpod.advance(Duration.ofMinutes(1));
    assertThat(runpod.pod(id).orElseThrow().comfyReady()).isTrue();
    return id;
  }

  static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }
}
