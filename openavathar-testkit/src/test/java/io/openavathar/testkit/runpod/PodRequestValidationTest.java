package io.openavathar.testkit.runpod;

import static io.openavathar.testkit.runpod.PodLifecycleTest.texts;
import static io.openavathar.testkit.runpod.RunPodClient.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.testkit.junit5.RunPodSimulatorExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PodRequestValidationTest {

  @RegisterExtension
  final RunPodSimulatorExtension extension =
      new RunPodSimulatorExtension(
          builder ->
              builder
                  .apiKey(KEY)
                  .manualTime()
                  .networkVolume("vol0example", "models", 100, "EU-RO-1")
                  .template(
                      "tpl-comfy",
                      "example/comfy-template:1",
                      List.of("8188/http"),
                      Map.of("FROM_TEMPLATE", "yes", "SHARED", "template")));

  private RunPodSimulator runpod;
  private RunPodClient client;

  @BeforeEach
  void setUp() {
    runpod = extension.simulator();
    client = new RunPodClient(runpod);
  }

  @Test
  void create_withAnUnknownProperty_answers422ListingIt() {
    ObjectNode body = RunPodClient.podBody();
    body.put("bogus", 1);
    ((ObjectNode) body.get("gpu")).put("type", "x");

    RunPodClient.Result result = client.post("/pods", body);

    assertThat(result.status()).isEqualTo(422);
    assertThat(result.header("Content-Type")).startsWith("application/problem+json");
    JsonNode problem = result.json();
    assertThat(problem.get("title").asText()).isEqualTo("Unprocessable Entity");
    assertThat(problem.get("status").asInt()).isEqualTo(422);
    assertThat(problem.get("detail").asText()).isEqualTo("Request validation failed.");
    assertThat(texts(problem.get("errors")))
        .containsExactlyInAnyOrder(
            "$: additional properties 'bogus' not allowed",
            "$.gpu: additional properties 'type' not allowed");
    assertThat(runpod.podsCreated()).isZero();
  }

  @Test
  void create_withoutNameOrImage_answers422() {
    ObjectNode body = RunPodClient.podBody();
    body.remove("name");
    body.remove("image");
    body.put("cloud", "ALL");
    ((ObjectNode) body.get("gpu")).put("count", 0);

    JsonNode problem = client.post("/pods", body).json();

    assertThat(texts(problem.get("errors")))
        .containsExactlyInAnyOrder(
            "$: missing property 'name'",
            "$: missing property 'image'",
            "$.cloud: value must be one of 'SECURE', 'COMMUNITY'",
            "$.gpu.count: minimum: got 0, want 1");
  }

  @Test
  void create_withBothOrNeitherComputeKind_answers400() {
    ObjectNode neither = RunPodClient.podBody();
    neither.remove("gpu");
    ObjectNode both = RunPodClient.podBody();
    both.putObject("cpu").put("id", "cpu5c").put("vcpuCount", 4);

    assertThat(client.post("/pods", neither).json().get("detail").asText())
        .isEqualTo("exactly one of gpu or cpu must be set");
    assertThat(client.post("/pods", both).status()).isEqualTo(400);
  }

  @Test
  void create_fromATemplate_inheritsImageAndPorts_andMergesEnv() {
    ObjectNode body = RunPodClient.podBody();
    body.remove("image");
    body.remove("ports");
    body.put("templateId", "tpl-comfy");
    ((ObjectNode) body.get("env")).put("SHARED", "body");

    JsonNode pod = client.create(body);

    assertThat(pod.get("image").asText()).isEqualTo("example/comfy-template:1");
    assertThat(texts(pod.get("ports"))).containsExactly("8188/http");
    assertThat(pod.get("env").get("FROM_TEMPLATE").asText()).isEqualTo("yes");
    assertThat(pod.get("env").get("SHARED").asText()).isEqualTo("body");
    assertThat(pod.get("env").get("OPENAVATHAR_MANAGED").asText()).isEqualTo("1");
    assertThat(pod.get("template").isNull()).isTrue();
  }

  @Test
  void create_withTheDefaultTemplate_exposesComfyUi() {
    ObjectNode body = RunPodClient.podBody();
    body.remove("image");
    body.remove("ports");
    body.put("templateId", RunPodSimulatorBuilder.DEFAULT_TEMPLATE_ID);

    assertThat(texts(client.create(body).get("ports"))).contains("8188/http");
  }

  @Test
  void create_withAnUnknownTemplate_answers404() {
    ObjectNode body = RunPodClient.podBody();
    body.put("templateId", "nope");

    assertThat(client.post("/pods", body).status()).isEqualTo(404);
  }

  @Test
  void create_withANetworkVolume_placesThePodInItsDataCenter() {
    ObjectNode body = RunPodClient.podBody();
    body.put("cloud", "SECURE");
    body.putObject("mounts")
        .putArray("network")
        .addObject()
        .put("volumeId", "vol0example")
        .put("path", "/workspace");

    JsonNode pod = client.create(body);

    assertThat(pod.get("dataCenterId").asText()).isEqualTo("EU-RO-1");
    assertThat(pod.get("mounts").get("network").get(0).get("volumeId").asText())
        .isEqualTo("vol0example");
  }

  @Test
  void create_whereNoDataCenterFits_answersTheCapacityMessage() {
    ObjectNode body = RunPodClient.podBody(); // COMMUNITY cloud
    body.putArray("dataCenterIds").add("EU-RO-1"); // a Secure Cloud data center

    RunPodClient.Result result = client.post("/pods", body);

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.json().get("detail").asText()).isEqualTo(CreatePodRoute.NO_CAPACITY);
  }

  @Test
  void create_forAnUnknownGpuType_answers400() {
    ObjectNode body = RunPodClient.podBody();
    ((ObjectNode) body.get("gpu")).put("id", "NVIDIA H200 Imaginary");

    assertThat(client.post("/pods", body).json().get("detail").asText())
        .contains("unknown GPU type id");
  }

  @Test
  void action_thatIsNotLegalForTheStatus_answers409() {
    String id = client.createPod(); // PROVISIONING: stop or terminate only

    RunPodClient.Result start = client.action(id, "start");
    RunPodClient.Result restart = client.action(id, "restart");

    assertThat(start.status()).isEqualTo(409);
    assertThat(start.json().get("title").asText()).isEqualTo("Conflict");
    assertThat(restart.status()).isEqualTo(409);
    runpod.advance(Duration.ofMinutes(1));
    assertThat(client.action(id, "start").status()).isEqualTo(409); // RUNNING
    assertThat(client.action(id, "restart").status()).isEqualTo(200);
  }

  @Test
  void action_reset_isNotAV2Action_andAnswers422() {
    String id = client.createPod();

    JsonNode problem = client.action(id, "reset").json();

    assertThat(problem.get("status").asInt()).isEqualTo(422);
    assertThat(texts(problem.get("errors")))
        .containsExactly("$.action: value must be one of 'start', 'stop', 'restart', 'terminate'");
  }

  @Test
  void action_onAnUnknownPod_answers404() {
    assertThat(client.action("doesnotexist00", "stop").status()).isEqualTo(404);
  }

  @Test
  void unknownPathsAndMethods_answerProblems() {
    assertThat(client.get("/networkvolumes").status()).isEqualTo(404);
    RunPodClient.Result wrongMethod = client.post("/pods/abc/logs", "{}");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.header("Allow")).isEqualTo("GET");
  }
}
