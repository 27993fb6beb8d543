package io.openavathar.testkit.runpod;

import static io.openavathar.testkit.runpod.RunPodClient.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.testkit.junit5.RunPodSimulatorExtension;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ScriptedFaultsTest {

  @RegisterExtension
  final RunPodSimulatorExtension extension =
      new RunPodSimulatorExtension(
          builder ->
              builder
                  .apiKey(KEY)
                  .manualTime()
                  .gpuTypes(
                      SimulatedGpuType.defaults().get(0),
                      SimulatedGpuType.of("NVIDIA RTX A6000", "RTX A6000", 48, 0.49, 0.33)
                          .withAvailability(
                              SimulatedGpuType.Availability.NONE,
                              SimulatedGpuType.Availability.HIGH)));

  private RunPodSimulator runpod;
  private RunPodClient client;

  @BeforeEach
  void setUp() {
    runpod = extension.simulator();
    client = new RunPodClient(runpod);
  }

  @Test
  void missingBearerToken_answers401() {
    RunPodClient.Result result = new RunPodClient(runpod, null, RunPodClient.TIMEOUT).get("/pods");

    assertThat(result.status()).isEqualTo(401);
    assertThat(result.json().get("detail").asText()).isEqualTo("missing bearer token");
    assertThat(result.json().get("title").asText()).isEqualTo("Unauthorized");
  }

  @Test
  void wrongKey_answers401Invalid() {
    RunPodClient.Result result =
        new RunPodClient(runpod, "other-key", RunPodClient.TIMEOUT).get("/pods");

    assertThat(result.status()).isEqualTo(401);
    assertThat(result.json().get("detail").asText()).isEqualTo("invalid bearer token");
  }

  @Test
  void rejectApiKey_failsOnlyTheNextRequest() {
    runpod.rejectApiKey();

    assertThat(client.get("/pods").status()).isEqualTo(401);
    assertThat(client.get("/pods").status()).isEqualTo(200);
  }

  @Test
  void noBalance_answers402OnceAndCreatesNothing() {
    runpod.noBalance();

    assertThat(client.post("/pods", RunPodClient.podBody()).status()).isEqualTo(402);
    assertThat(runpod.pods()).isEmpty();
    assertThat(client.post("/pods", RunPodClient.podBody()).status()).isEqualTo(201);
  }

  @Test
  void rateLimitNext_answers429WithRetryAfter_thenRecovers() {
    runpod.rateLimitNext(2, Duration.ofMillis(1500));

    RunPodClient.Result first = client.get("/pods");
    assertThat(first.status()).isEqualTo(429);
    assertThat(first.header("Retry-After")).isEqualTo("2");
    assertThat(first.json().get("detail").asText())
        .isEqualTo("rate limit exceeded for the minute window");
    assertThat(client.get("/catalog/gpus").status()).isEqualTo(429);
    assertThat(client.get("/pods").status()).isEqualTo(200);
  }

  @Test
  void failNext_matchesThePatternAndIsUsedUp() {
    String id = client.createPod();
    runpod.failNext("POST", "/v2/pods/{id}/action", 503, 2);

    assertThat(client.get("/pods/" + id).status()).isEqualTo(200);
    assertThat(client.action(id, "stop").status()).isEqualTo(503);
    assertThat(client.action(id, "stop").status()).isEqualTo(503);
    assertThat(client.action(id, "stop").status()).isEqualTo(200);
    assertThat(runpod.calls("POST", "/v2/pods/{id}/action")).isEqualTo(3);
  }

  @Test
  void failNext_onCreate_createsNoPod() {
    runpod.failNext("POST", "/v2/pods", 500, 1);

    assertThat(client.post("/pods", RunPodClient.podBody()).status()).isEqualTo(500);
    assertThat(runpod.podsCreated()).isZero();
    assertThat(runpod.createCalls()).isEqualTo(1);
  }

  @Test
  void noCapacityFor_failsTheNextCreateForThatGpuInAnyCloud() {
    runpod.noCapacityFor("NVIDIA GeForce RTX 4090");

    RunPodClient.Result refused = client.post("/pods", RunPodClient.podBody());

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("detail").asText())
        .isEqualTo(
            "There are no longer any instances available "
                + "with the requested specifications. Please refresh and try again.");
    assertThat(client.post("/pods", RunPodClient.podBody()).status()).isEqualTo(201);
  }

  @Test
  void noCapacityFor_aCloud_leavesTheOtherCloudAlone() {
    runpod.noCapacityFor("NVIDIA GeForce RTX 4090", "SECURE");
    ObjectNode secure = RunPodClient.podBody().put("cloud", "SECURE");

    assertThat(client.post("/pods", RunPodClient.podBody()).status()).isEqualTo(201); // COMMUNITY
    assertThat(client.post("/pods", secure).status()).isEqualTo(400);
    assertThat(client.post("/pods", secure).status()).isEqualTo(201);
  }

  @Test
  void aGpuWithoutStockInACloud_alwaysFailsThere() {
    ObjectNode a6000 = RunPodClient.podBody().put("cloud", "SECURE");
    ((ObjectNode) a6000.get("gpu")).put("id", "NVIDIA RTX A6000");

    assertThat(client.post("/pods", a6000).status()).isEqualTo(400);
    assertThat(client.post("/pods", a6000).status()).isEqualTo(400);
    assertThat(client.post("/pods", a6000.put("cloud", "COMMUNITY")).status()).isEqualTo(201);
  }

  @Test
  void createTimesOut_stillCreatesThePod_soABlindRetryMakesTwo() {
    runpod.createTimesOut(Duration.ofSeconds(30));
    RunPodClient impatient = new RunPodClient(runpod, KEY, Duration.ofMillis(300));

    assertThatThrownBy(() -> impatient.post("/pods", RunPodClient.podBody()))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(runpod.pods()).hasSize(1);
    impatient.post("/pods", RunPodClient.podBody()); // the blind retry

    assertThat(runpod.pods()).hasSize(2);
    assertThat(runpod.createCalls()).isEqualTo(2);
    assertThat(runpod.pods())
        .allSatisfy(pod -> assertThat(pod.env()).containsEntry("OPENAVATHAR_MANAGED", "1"));
  }

  @Test
  void createDropsConnection_createsThePodButNeverAnswers() {
    runpod.createDropsConnection();

    assertThatThrownBy(() -> client.post("/pods", RunPodClient.podBody()))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(runpod.pods()).hasSize(1);
    assertThat(runpod.pods().get(0).status()).isEqualTo("PROVISIONING");
  }

  @Test
  void requests_recordBodyRouteAndStatus() throws Exception {
    client.post("/pods", RunPodClient.podBody());
    client.get("/pods/nosuchpod");

    RecordedApiRequest create = runpod.takeRequest(Duration.ofSeconds(5));
    RecordedApiRequest get = runpod.takeRequest(Duration.ofSeconds(5));
    assertThat(create.route()).isEqualTo("/v2/pods");
    assertThat(create.status()).isEqualTo(201);
    assertThat(create.body()).contains("\"OPENAVATHAR_MANAGED\":\"1\"");
    assertThat(create.header("Authorization")).contains("Bearer " + KEY);
    assertThat(get.route()).isEqualTo("/v2/pods/{id}");
    assertThat(get.podId()).contains("nosuchpod");
    assertThat(get.status()).isEqualTo(404);
    assertThat(runpod.callCounts())
        .containsEntry("POST /v2/pods", 1)
        .containsEntry("GET /v2/pods/{id}", 1);
  }
}
