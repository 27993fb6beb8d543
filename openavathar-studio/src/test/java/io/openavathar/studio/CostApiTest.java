package io.openavathar.studio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.license.client.DeviceFingerprint;
import io.openavathar.pod.PodPolicy;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.runpod.RunPodSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The money over plain HTTP, against the RunPod simulator: the estimate before a job, the "GPU and
 * price" settings (checked, kept under the CLI's keys, applied to the pods the studio deploys and
 * to its daily cap), and the jobs the money guards refuse, said in the app's words.
 */
class CostApiTest {
  static final String KEY = "rpa_COSTAPITESTKEY0123456789ABCD";

  @TempDir Path dir;
  RunPodSimulator runpod;
  StudioServer server;
  StudioApi api;

  @BeforeEach
  void setUp() throws Exception {
    runpod =
        RunPodSimulator.builder()
            .apiKey(KEY)
            .provisioningDelay(Duration.ofMillis(50))
            .startingDelay(Duration.ofMillis(50))
            .runtimeDelay(Duration.ofMillis(50))
            .comfyReadyDelay(Duration.ofMillis(50))
            .comfyStepDelay(Duration.ofMillis(5))
            .start();
    server =
        StudioServer.builder()
            .port(0)
            .dataDirectory(dir.resolve("data"))
            .backends(
                Backends.builder()
                    .runpodApiUrl(runpod.apiUrl())
                    .runpodProxyPattern(runpod.proxyUrlPattern())
                    .fingerprint(DeviceFingerprint.of("cost-api-test"))
                    .podPolicy(
                        PodPolicy.builder()
                            .apiPolling(Duration.ofMillis(20), Duration.ofMillis(200))
                            .probeInterval(Duration.ofMillis(20))
                            .build())
                    .build())
            .start();
    api = new StudioApi(server);
    assertThat(api.post("/api/settings", "{\"runpod-api-key\":\"" + KEY + "\"}").status())
        .isEqualTo(200);
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    if (runpod != null) {
      runpod.close();
    }
  }

  String inputs(int speechSeconds) throws Exception {
    return "{\"image\":\""
        + api.upload("image", Media.portrait(dir))
        + "\",\"audio\":\""
        + api.upload("audio", Media.speech(dir, speechSeconds))
        + "\"}";
  }

  /** Starts a job from {@code inputs} and returns its first terminal event. */
  JsonNode generateAndAwaitEnd(String inputs) throws Exception {
    var ended = api.awaitJobEvent(job -> job.path("terminal").asBoolean());
    StudioApi.Answer started = api.post("/api/generate", inputs);
    assertThat(started.status()).as(started.json().toString()).isEqualTo(200);
    JsonNode job = ended.get(60, TimeUnit.SECONDS);
    assertThat(job.path("id").asText()).isEqualTo(started.json().path("id").asText());
    return job;
  }

  @Test
  void theEstimate_beforeAnyPodRuns_includesTheStart_andGivesTheCostAsARange() throws Exception {
    StudioApi.Answer a = api.post("/api/estimate", inputs(3));

    assertThat(a.status()).as(a.json().toString()).isEqualTo(200);
    JsonNode e = a.json();
    assertThat(e.path("podMustStart").asBoolean()).isTrue();
    assertThat(e.path("ownServer").asBoolean()).isFalse();
    assertThat(e.path("gpuType").asText()).isEqualTo("NVIDIA GeForce RTX 4090");
    assertThat(e.path("pricePerHour").asDouble()).isEqualTo(0.34);
    assertThat(e.path("bootSeconds").path("expected").asDouble()).isPositive();
    JsonNode cost = e.path("costUsd");
    assertThat(cost.path("low").asDouble())
        .isPositive()
        .isLessThanOrEqualTo(cost.path("expected").asDouble());
    assertThat(cost.path("expected").asDouble()).isLessThanOrEqualTo(cost.path("high").asDouble());
    assertThat(runpod.createCalls()).as("an estimate starts nothing").isZero();
  }

  @Test
  void onYourOwnComfyServer_theEstimateHasNoCost() throws Exception {
    try (ComfyUiSimulator comfy = ComfyUiSimulator.builder().start()) {
      assertThat(api.post("/api/settings", "{\"comfy-url\":\"" + comfy.baseUrl() + "\"}").status())
          .isEqualTo(200);

      StudioApi.Answer a = api.post("/api/estimate", inputs(2));

      assertThat(a.status()).as(a.json().toString()).isEqualTo(200);
      assertThat(a.json().path("ownServer").asBoolean()).isTrue();
      assertThat(a.json().has("costUsd")).isFalse();
      assertThat(a.json().has("pricePerHour")).isFalse();
      assertThat(a.json().path("gpuSeconds").path("expected").asDouble()).isPositive();
    }
  }

  @Test
  void aFinishedVideo_hasItsRecordedCost_andTheRunningPodItsCostSoFar() throws Exception {
    JsonNode job = generateAndAwaitEnd(inputs(2));
    assertThat(job.path("state").asText()).as(job.toString()).isEqualTo("COMPLETED");

    JsonNode video = api.get("/api/videos").json().path("videos").get(0);
    assertThat(video.path("pricePerHour").asDouble()).isEqualTo(0.34);
    assertThat(video.path("costUsd").asDouble())
        .isCloseTo(
            video.path("gpuSeconds").asDouble() / 3600 * 0.34,
            org.assertj.core.data.Offset.offset(1e-9));
    JsonNode pod = api.get("/api/pods").json().path("pods").get(0);
    assertThat(pod.path("costPerHour").asDouble()).isEqualTo(0.34);
    assertThat(pod.has("costSoFarUsd")).as(pod.toString()).isTrue();
    assertThat(pod.path("costSoFarUsd").asDouble()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void gpuSettings_aWrongValueNamesItsField_andSavesNothing() throws Exception {
    StudioApi.Answer a = api.post("/api/settings", "{\"min-vram\":\"48\",\"max-price\":\"cheap\"}");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.json().path("field").asText()).isEqualTo("max-price");
    assertThat(a.json().path("error").asText())
        .startsWith("Maximum price per hour must be")
        .contains("'cheap'");
    assertThat(Files.readString(dir.resolve("data/config.properties"))).doesNotContain("min-vram");
    assertThat(api.post("/api/settings", "{\"cloud\":\"moon\"}").json().path("field").asText())
        .isEqualTo("cloud");
    assertThat(api.post("/api/settings", "{\"daily-cap\":\"0\"}").json().path("field").asText())
        .isEqualTo("daily-cap");
    assertThat(api.post("/api/settings", "{\"min-vram\":\"1.5\"}").json().path("field").asText())
        .isEqualTo("min-vram");
  }

  @Test
  void gpuSettings_areKeptUnderTheCliKeys_andTheStudioDeploysWithinThem() throws Exception {
    StudioApi.Answer a =
        api.post(
            "/api/settings",
            "{\"min-vram\":\"48\",\"max-price\":\"0.10\",\"cloud\":\"secure\",\"daily-cap\":\"2.50\"}");

    assertThat(a.status()).as(a.json().toString()).isEqualTo(200);
    assertThat(Files.readAllLines(dir.resolve("data/config.properties")))
        .contains("min-vram=48", "max-price=0.10", "cloud=secure", "daily-cap=2.50");
    JsonNode gpu = api.get("/api/state").json().path("gpu");
    assertThat(gpu.path("max-price").asText()).isEqualTo("0.10");
    assertThat(gpu.path("defaults").path("min-vram").asInt()).isEqualTo(24);

    // Nothing at RunPod is that cheap: the estimate says so (as a state the page shows), the job is
    // refused in the
    // app's words, nothing is created.
    String inputs = inputs(2);
    StudioApi.Answer estimate = api.post("/api/estimate", inputs);
    assertThat(estimate.status()).isEqualTo(200);
    assertThat(estimate.json().path("error").asText())
        .startsWith("No GPU under $0.10/h with 48 GB");
    JsonNode job = generateAndAwaitEnd(inputs);
    assertThat(job.path("state").asText()).isEqualTo("FAILED");
    assertThat(job.path("refusal").path("kind").asText()).isEqualTo("gpu");
    assertThat(job.path("error").asText())
        .startsWith("No GPU under $0.10/h with 48 GB in the secure cloud")
        .contains("raise the maximum price per hour")
        .doesNotContain("maxPricePerHour", "--max-price");
    assertThat(runpod.createCalls()).isZero();

    // The same from the Pods page's New pod: 409 with the refusal.
    StudioApi.Answer pod = api.post("/api/pods", "{}");
    assertThat(pod.status()).isEqualTo(409);
    assertThat(pod.json().path("refusal").path("kind").asText()).isEqualTo("gpu");
  }

  @Test
  void overTheDailyCap_theJobIsRefused_withTheCostTheCapAndTodaysSpend() throws Exception {
    assertThat(api.post("/api/settings", "{\"daily-cap\":\"0.01\"}").status()).isEqualTo(200);

    JsonNode job = generateAndAwaitEnd(inputs(3));

    assertThat(job.path("state").asText()).isEqualTo("FAILED");
    assertThat(job.path("refusal").path("kind").asText()).isEqualTo("spend");
    assertThat(job.path("error").asText())
        .matches(
            "This video would cost about \\$0\\.\\d\\d, over your daily cap of \\$0\\.01 \\(spent today: "
                + "\\$0\\.00\\)\\. Raise the cap in Settings or wait until tomorrow.*");
    assertThat(runpod.createCalls()).isZero();
  }
}
