package io.openavathar.runpod;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.openavathar.runpod.Fixtures.KEY;
import static io.openavathar.runpod.Fixtures.await;
import static io.openavathar.runpod.Fixtures.failureOf;
import static io.openavathar.runpod.Fixtures.pod;
import static io.openavathar.runpod.Fixtures.podList;
import static io.openavathar.runpod.Fixtures.problem;
import static io.openavathar.runpod.Fixtures.withRuntime;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.openavathar.PodProvisioningException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.pod.CloudType;
import io.openavathar.pod.GpuType;
import io.openavathar.pod.NetworkVolume;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodStatus;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Listing, getting and mapping pods, the catalog and volumes; retries and failures of reads. */
class RunPodReadTest {
  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private RunPodPodProvider provider;

  @AfterEach
  void close() {
    if (provider != null) {
      provider.close();
    }
  }

  private RunPodPodProvider provider() {
    provider = Fixtures.fast(wm.baseUrl(), 4).build();
    return provider;
  }

  @Test
  void listPods_mapsEveryField_andSendsTheKeyAsBearer() {
    ObjectNode running = withRuntime(pod("p1", "openavathar-abc", "RUNNING"), 8188, 22);
    wm.stubFor(get(urlPathEqualTo("/v2/pods")).willReturn(okJson(podList(running))));

    List<Pod> pods = await(provider().listPods());

    assertThat(pods).hasSize(1);
    Pod p = pods.get(0);
    assertThat(p.id()).isEqualTo("p1");
    assertThat(p.name()).isEqualTo("openavathar-abc");
    assertThat(p.status()).isEqualTo(PodStatus.RUNNING);
    assertThat(p.gpuType()).contains("NVIDIA GeForce RTX 4090");
    assertThat(p.gpuCount()).isEqualTo(1);
    assertThat(p.cloudType()).isEqualTo(CloudType.COMMUNITY);
    assertThat(p.costPerHour()).isEqualTo(0.34);
    assertThat(p.ports()).containsExactly("8188/http", "22/tcp");
    assertThat(p.isRuntimeUp()).isTrue();
    assertThat(p.runtimePorts()).containsExactlyInAnyOrder(8188, 22);
    assertThat(p.isServing(8188)).isTrue();
    assertThat(p.createdAt()).contains(Instant.parse("2026-11-25T10:00:00Z"));
    assertThat(p.isManaged()).isTrue();
    assertThat(p.comfyUiUrl()).contains(URI.create("https://p1-8188.proxy.runpod.net"));
    wm.verify(
        getRequestedFor(urlPathEqualTo("/v2/pods"))
            .withHeader("Authorization", equalTo("Bearer " + KEY)));
  }

  @Test
  void listPods_readsWhenEachPodStarted_fromStartedAt_elseLastStartedAt_inIsoOrGoFormat() {
    ObjectNode iso = withRuntime(pod("p1", "openavathar-a", "RUNNING"), 8188);
    iso.put("startedAt", "2026-11-25T11:30:00.250Z");
    ObjectNode go = withRuntime(pod("p2", "openavathar-b", "RUNNING"), 8188);
    go.put("lastStartedAt", "2026-08-20 06:16:19.436 +0000 UTC");
    ObjectNode never = pod("p3", "openavathar-c", "EXITED");
    never.put("lastStartedAt", "yesterday");
    wm.stubFor(get(urlPathEqualTo("/v2/pods")).willReturn(okJson(podList(iso, go, never))));

    List<Pod> pods = await(provider().listPods());

    assertThat(pods.get(0).startedAt()).contains(Instant.parse("2026-11-25T11:30:00.250Z"));
    assertThat(pods.get(1).startedAt()).contains(Instant.parse("2026-08-20T06:16:19.436Z"));
    assertThat(pods.get(2).startedAt()).isEmpty();
    assertThat(pods.get(2).billedSince()).contains(Instant.parse("2026-11-25T10:00:00Z"));
    // $0.34/h for 1.5 h: an estimate, and none for a stopped pod.
    assertThat(
            pods.get(0)
                .estimatedCostSinceStart(Instant.parse("2026-11-25T13:00:00.250Z"))
                .getAsDouble())
        .isCloseTo(0.51, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(pods.get(2).estimatedCostSinceStart(Instant.parse("2026-11-25T13:00:00Z")))
        .isEmpty();
  }

  @Test
  void listPods_whenRuntimeNullOrStatusUnknown_reportsNotUpAndUnknownKeepingRawText() {
    ObjectNode provisioning = pod("p2", "openavathar-x", "RUNNING");
    ObjectNode odd = pod("p3", "openavathar-y", "HIBERNATING");
    wm.stubFor(get(urlPathEqualTo("/v2/pods")).willReturn(okJson(podList(provisioning, odd))));

    List<Pod> pods = await(provider().listPods());

    assertThat(pods.get(0).isRuntimeUp()).isFalse();
    assertThat(pods.get(0).runtimePorts()).isEmpty();
    assertThat(pods.get(0).isServing(8188)).isFalse();
    assertThat(pods.get(1).status()).isEqualTo(PodStatus.UNKNOWN);
    assertThat(pods.get(1).rawStatus()).isEqualTo("HIBERNATING");
  }

  @Test
  void listPods_managedOnlyWithPrefixAndMarker_comfyUrlOnlyWith8188Http() {
    ObjectNode byHand = pod("h1", "my-own-pod", "RUNNING");
    ObjectNode noMarker = pod("h2", "openavathar-z", "RUNNING");
    noMarker.putObject("env").put("OTHER", "1");
    ObjectNode noComfy = pod("h3", "openavathar-w", "RUNNING");
    noComfy.putArray("ports").add("8888/http").add("8188/tcp");
    wm.stubFor(
        get(urlPathEqualTo("/v2/pods")).willReturn(okJson(podList(byHand, noMarker, noComfy))));

    List<Pod> pods = await(provider().listPods());

    assertThat(pods).extracting(Pod::isManaged).containsExactly(false, false, true);
    assertThat(pods.get(0).comfyUiUrl()).isPresent();
    assertThat(pods.get(2).comfyUiUrl()).isEmpty();
  }

  @Test
  void listPods_toleratesExtraEnvelopeKeys_andLeavesOutTerminatedAndClusterPods() {
    ObjectNode gone = pod("t1", "openavathar-t", "TERMINATED");
    ObjectNode member = pod("c1", "openavathar-c", "RUNNING");
    member.putObject("cluster").put("id", "cl1");
    String body =
        podList(pod("a1", "openavathar-a", "EXITED"), gone, member)
            .replaceFirst("^\\{", "{\"nextCursor\":null,\"total\":3,");
    wm.stubFor(get(urlPathEqualTo("/v2/pods")).willReturn(okJson(body)));

    assertThat(await(provider().listPods())).extracting(Pod::id).containsExactly("a1");
  }

  @Test
  void listPods_withPathInProxyPattern_buildsComfyUrlFromIt() {
    wm.stubFor(
        get(urlPathEqualTo("/v2/pods"))
            .willReturn(okJson(podList(pod("p9", "openavathar-p", "RUNNING")))));
    provider =
        Fixtures.fast(wm.baseUrl(), 1)
            .proxyUrlPattern("http://127.0.0.1:9999/proxy/{podId}-{port}")
            .build();

    Pod p = await(provider.listPods()).get(0);

    assertThat(p.comfyUiUrl()).contains(URI.create("http://127.0.0.1:9999/proxy/p9-8188"));
  }

  @Test
  void getPod_whenFound_mapsIt_andWhen404_isEmpty() {
    wm.stubFor(
        get(urlPathEqualTo("/v2/pods/p1"))
            .willReturn(okJson(pod("p1", "openavathar-a", "EXITED").toString())));
    wm.stubFor(
        get(urlPathEqualTo("/v2/pods/nope"))
            .willReturn(
                aResponse().withStatus(404).withBody(problem(404, "Not Found", "pod not found"))));

    assertThat(await(provider().getPod("p1"))).map(Pod::status).contains(PodStatus.EXITED);
    assertThat(await(provider.getPod("nope"))).isEqualTo(Optional.empty());
  }

  @Test
  void listPods_when503Then200_retries() {
    wm.stubFor(
        get(urlPathEqualTo("/v2/pods"))
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(503)
                    .withBody(problem(503, "Service Unavailable", "upstream down")))
            .willSetStateTo("up"));
    wm.stubFor(
        get(urlPathEqualTo("/v2/pods"))
            .inScenario("flaky")
            .whenScenarioStateIs("up")
            .willReturn(okJson(podList(pod("p1", "openavathar-a", "RUNNING")))));

    assertThat(await(provider().listPods())).hasSize(1);
    wm.verify(2, getRequestedFor(urlPathEqualTo("/v2/pods")));
  }

  @Test
  void listPods_when429WithRetryAfter_waitsAndSucceeds() {
    wm.stubFor(
        get(urlPathEqualTo("/v2/pods"))
            .inScenario("limited")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "0")
                    .withBody(
                        problem(
                            429, "Too Many Requests", "rate limit exceeded for the minute window")))
            .willSetStateTo("ok"));
    wm.stubFor(
        get(urlPathEqualTo("/v2/pods"))
            .inScenario("limited")
            .whenScenarioStateIs("ok")
            .willReturn(okJson(podList())));

    assertThat(await(provider().listPods())).isEmpty();
    wm.verify(2, getRequestedFor(urlPathEqualTo("/v2/pods")));
  }

  @Test
  void listPods_whenAlways429_failsRetryableWithTheServersRetryAfter() {
    wm.stubFor(
        get(urlPathEqualTo("/v2/pods"))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "7")
                    .withBody(
                        problem(
                            429,
                            "Too Many Requests",
                            "rate limit exceeded for the minute window"))));
    provider = Fixtures.fast(wm.baseUrl(), 2).build();

    Throwable failure = failureOf(provider.listPods());

    assertThat(failure)
        .isInstanceOf(RemoteUnavailableException.class)
        .hasMessageContaining("HTTP 429");
    assertThat(((RemoteUnavailableException) failure).retryAfter()).contains(Duration.ofSeconds(7));
    wm.verify(2, getRequestedFor(urlPathEqualTo("/v2/pods")));
  }

  @Test
  void listPods_when401_failsAtOnceNamingTheVariableButNotTheKey() {
    wm.stubFor(
        get(urlPathEqualTo("/v2/pods"))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withBody(problem(401, "Unauthorized", "invalid bearer token " + KEY))));

    Throwable failure = failureOf(provider().listPods());

    assertThat(failure)
        .isInstanceOf(PodProvisioningException.class)
        .hasMessageContaining("RunPod rejected the API key (HTTP 401) while listing pods")
        .hasMessageContaining("RUNPOD_API_KEY")
        .hasMessageNotContaining(KEY)
        .hasMessageNotContaining("(...)");
    assertThat(((PodProvisioningException) failure).canRetry()).isFalse();
    assertThat(((PodProvisioningException) failure).setting())
        .contains(io.openavathar.Setting.RUNPOD_API_KEY);
    wm.verify(1, getRequestedFor(urlPathEqualTo("/v2/pods")));
  }

  @Test
  void listPods_whenConnectionRefused_failsRetryableAfterAllAttempts() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    provider = Fixtures.fast("http://127.0.0.1:" + port, 2).build();

    assertThat(failureOf(provider.listPods()))
        .isInstanceOf(RemoteUnavailableException.class)
        .hasMessageContaining("connection refused");
  }

  @Test
  void gpuTypes_asksForPodAvailability_andMapsPricesPerCloud() {
    String body =
        """
        {"gpus":[
          {"id":"NVIDIA GeForce RTX 4090","name":"RTX 4090","pool":"ADA_24","manufacturer":"NVIDIA","memory":24,
           "secure":true,"community":true,"price":{"secure":0.69,"community":0.34,"serverless":1.1},
           "maxCount":{"secure":8,"community":4},"availability":"HIGH","dataCenters":[]},
          {"id":"NVIDIA H200","name":"H200","pool":null,"manufacturer":"NVIDIA","memory":141,
           "secure":true,"community":false,"price":{"secure":3.99,"community":0},
           "maxCount":{"secure":8,"community":0},"availability":"PLENTY"}]}""";
    wm.stubFor(get(urlPathEqualTo("/v2/catalog/gpus")).willReturn(okJson(body)));

    List<GpuType> types = await(provider().gpuTypes());

    assertThat(types)
        .containsExactly(
            new GpuType(
                "NVIDIA GeForce RTX 4090",
                "RTX 4090",
                24,
                OptionalDouble.of(0.69),
                OptionalDouble.of(0.34),
                GpuType.Availability.HIGH),
            new GpuType(
                "NVIDIA H200",
                "H200",
                141,
                OptionalDouble.of(3.99),
                OptionalDouble.empty(),
                GpuType.Availability.UNKNOWN));
    wm.verify(
        getRequestedFor(urlPathEqualTo("/v2/catalog/gpus"))
            .withQueryParam("include", equalTo("AVAILABILITY"))
            .withQueryParam("product", equalTo("POD")));
  }

  @Test
  void networkVolumes_mapsTheList() {
    wm.stubFor(
        get(urlPathEqualTo("/v2/network-volumes"))
            .willReturn(
                okJson(
                    "{\"networkVolumes\":[{\"id\":\"agv6w2qcg7\",\"name\":\"models\",\"size\":100,\"dataCenter\":\"EU-RO-1\","
                        + "\"type\":\"STANDARD\"}]}")));

    assertThat(await(provider().networkVolumes()))
        .containsExactly(new NetworkVolume("agv6w2qcg7", "models", 100, "EU-RO-1"));
  }

  @Test
  void listPods_whenBodyIsNotRunPods_saysSoWithoutRetrying() {
    wm.stubFor(get(urlPathEqualTo("/v2/pods")).willReturn(okJson("[]")));

    Throwable failure = failureOf(provider().listPods());
    assertThat(failure)
        .hasMessageContaining("not a JSON object")
        .hasMessageContaining("the RunPod API URL");
    assertThat(((io.openavathar.OpenAvatharException) failure).setting())
        .contains(io.openavathar.Setting.RUNPOD_API_URL);
    wm.verify(1, getRequestedFor(urlPathEqualTo("/v2/pods")));
  }
}
