package io.openavathar.runpod;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.openavathar.runpod.Fixtures.CAPACITY_DETAIL;
import static io.openavathar.runpod.Fixtures.KEY;
import static io.openavathar.runpod.Fixtures.await;
import static io.openavathar.runpod.Fixtures.failureOf;
import static io.openavathar.runpod.Fixtures.pod;
import static io.openavathar.runpod.Fixtures.podList;
import static io.openavathar.runpod.Fixtures.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.openavathar.NoGpuAvailableException;
import io.openavathar.PodProvisioningException;
import io.openavathar.internal.Json;
import io.openavathar.pod.CloudType;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Create bodies, GPU/cloud fallback and every create failure. */
class RunPodDeployTest {
  static final String RTX4090 = "NVIDIA GeForce RTX 4090";
  static final String A6000 = "NVIDIA RTX A6000";

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

  static MappingBuilder create(String gpu, String cloud) {
    return post(urlPathEqualTo("/v2/pods"))
        .withRequestBody(matchingJsonPath("$.gpu.id", equalTo(gpu)))
        .withRequestBody(matchingJsonPath("$.cloud", equalTo(cloud)));
  }

  static String created(String name, String gpu, String cloud) {
    ObjectNode p = pod("new1", name, "PROVISIONING");
    p.putObject("gpu").put("id", gpu).put("count", 1);
    p.put("cloud", cloud);
    return p.toString();
  }

  static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder status(
      int code, String detail) {
    return aResponse()
        .withStatus(code)
        .withHeader("Content-Type", "application/problem+json")
        .withBody(problem(code, "Error", detail));
  }

  /** The bodies of POST /pods requests, oldest first. */
  static List<JsonNode> createBodies() {
    List<JsonNode> bodies = new ArrayList<>();
    for (ServeEvent e : wm.getAllServeEvents()) {
      if (e.getRequest().getMethod().value().equals("POST")
          && e.getRequest().getUrl().equals("/v2/pods")) {
        try {
          bodies.add(Json.mapper().readTree(e.getRequest().getBodyAsString()));
        } catch (Exception ex) {
          throw new AssertionError(ex);
        }
      }
    }
    Collections.reverse(bodies);
    return bodies;
  }

  @Test
  void deploy_sendsOnlySchemaFields_withTheManagedMarker() {
    wm.stubFor(get(urlPathEqualTo("/v2/pods")).willReturn(okJson(podList())));
    wm.stubFor(
        post(urlPathEqualTo("/v2/pods"))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(created("openavathar-job1", RTX4090, "COMMUNITY"))));
    PodSpec spec =
        PodSpec.builder()
            .name("openavathar-job1")
            .gpuTypes(RTX4090)
            .clouds(CloudType.COMMUNITY)
            .containerDiskGb(40)
            .networkVolume("agv6w2qcg7", "/workspace")
            .env("HF_HOME", "/workspace/hf")
            .build();

    Pod pod = await(provider().deploy(spec));

    assertThat(pod.id()).isEqualTo("new1");
    assertThat(pod.isManaged()).isTrue();
    wm.verify(
        1,
        postRequestedFor(urlPathEqualTo("/v2/pods"))
            .withHeader("Authorization", equalTo("Bearer " + KEY))
            .withRequestBody(
                equalToJson(
                    """
            {"name":"openavathar-job1","templateId":"qvidd7ityi",
             "gpu":{"id":"NVIDIA GeForce RTX 4090","count":1},"cloud":"COMMUNITY","ports":["8188/http"],
             "env":{"HF_HOME":"/workspace/hf","OPENAVATHAR_MANAGED":"1"},"disk":40,
             "mounts":{"network":[{"volumeId":"agv6w2qcg7","path":"/workspace"}]}}""")));
  }

  @Test
  void deploy_withoutName_usesThePrefixAndAFreshIdEachTime() {
    wm.stubFor(
        post(urlPathEqualTo("/v2/pods"))
            .willReturn(
                aResponse().withStatus(201).withBody(created("whatever", RTX4090, "COMMUNITY"))));
    provider = Fixtures.fast(wm.baseUrl(), 1).namePrefix("oa-test-").build();

    PodSpec named = PodSpec.builder().gpuTypes(RTX4090).clouds(CloudType.COMMUNITY).build();
    await(provider.deploy(named));
    await(provider.deploy(named));

    List<JsonNode> bodies = createBodies();
    assertThat(bodies).hasSize(2);
    assertThat(bodies.get(0).path("name").asText()).matches("oa-test-[0-9a-f]{12}");
    assertThat(bodies.get(1).path("name").asText())
        .matches("oa-test-[0-9a-f]{12}")
        .isNotEqualTo(bodies.get(0).path("name").asText());
    // A generated name is unique, so no look-up of existing pods precedes the create.
    wm.verify(0, getRequestedFor(urlPathEqualTo("/v2/pods")));
  }

  @Test
  void deploy_whenNoCapacity_triesEachGpuInTheFirstCloudThenTheNextCloud() {
    wm.stubFor(get(urlPathEqualTo("/v2/pods")).willReturn(okJson(podList())));
    wm.stubFor(create(RTX4090, "COMMUNITY").willReturn(status(400, CAPACITY_DETAIL)));
    wm.stubFor(create(A6000, "COMMUNITY").willReturn(status(400, CAPACITY_DETAIL)));
    wm.stubFor(create(RTX4090, "SECURE").willReturn(status(403, "access denied")));
    wm.stubFor(
        create(A6000, "SECURE")
            .willReturn(
                aResponse().withStatus(201).withBody(created("openavathar-f", A6000, "SECURE"))));
    PodSpec spec =
        PodSpec.builder()
            .name("openavathar-f")
            .gpuTypes(RTX4090, A6000)
            .clouds(CloudType.COMMUNITY, CloudType.SECURE)
            .build();

    Pod pod = await(provider().deploy(spec));

    assertThat(pod.gpuType()).contains(A6000);
    assertThat(pod.cloudType()).isEqualTo(CloudType.SECURE);
    assertThat(createBodies())
        .extracting(b -> b.path("gpu").path("id").asText() + "/" + b.path("cloud").asText())
        .containsExactly(
            RTX4090 + "/COMMUNITY", A6000 + "/COMMUNITY", RTX4090 + "/SECURE", A6000 + "/SECURE");
  }

  @Test
  void deploy_whenEveryCandidateIsFull_listsWhatWasTried_andMayBeRetried() {
    wm.stubFor(post(urlPathEqualTo("/v2/pods")).willReturn(status(400, CAPACITY_DETAIL)));
    PodSpec spec =
        PodSpec.builder().gpuTypes(RTX4090).clouds(CloudType.COMMUNITY, CloudType.SECURE).build();

    Throwable failure = failureOf(provider().deploy(spec));

    assertThat(failure)
        .isInstanceOf(NoGpuAvailableException.class)
        .hasMessage(
            "No GPU could be had; tried RTX 4090/community (no capacity), RTX 4090/secure (no capacity)."
                + " Retry later, or allow more GPUs with the pod spec's gpuTypes.");
    assertThat(((NoGpuAvailableException) failure).tried())
        .extracting(a -> a.offer().toString())
        .containsExactly("RTX 4090/community", "RTX 4090/secure");
    PodProvisioningException e = (PodProvisioningException) failure;
    assertThat(e.canRetry()).isTrue();
    assertThat(e.canManual()).isTrue();
    wm.verify(2, postRequestedFor(urlPathEqualTo("/v2/pods")));
  }

  @Test
  void deploy_when402_stopsWithNoBalance() {
    wm.stubFor(post(urlPathEqualTo("/v2/pods")).willReturn(status(402, "insufficient balance")));
    PodSpec spec = PodSpec.builder().gpuTypes(RTX4090, A6000).build();

    Throwable failure = failureOf(provider().deploy(spec));

    assertThat(failure)
        .isInstanceOf(PodProvisioningException.class)
        .hasMessageContaining("RunPod account has no balance left; add funds at runpod.io");
    assertThat(((PodProvisioningException) failure).canRetry()).isFalse();
    assertThat(((PodProvisioningException) failure).canManual()).isTrue();
    wm.verify(1, postRequestedFor(urlPathEqualTo("/v2/pods")));
  }

  @Test
  void deploy_when422_namesTheErrorsAsOurBug_withoutRetrying() {
    wm.stubFor(
        post(urlPathEqualTo("/v2/pods"))
            .willReturn(
                aResponse()
                    .withStatus(422)
                    .withBody(
                        problem(
                            422,
                            "Unprocessable Entity",
                            "Request validation failed.",
                            "$: additional properties 'bogus' not allowed"))));

    Throwable failure =
        failureOf(provider().deploy(PodSpec.builder().gpuTypes(RTX4090, A6000).build()));

    assertThat(failure)
        .isInstanceOf(PodProvisioningException.class)
        .hasMessageContaining("HTTP 422")
        .hasMessageContaining("additional properties 'bogus' not allowed")
        .hasMessageContaining("bug in OpenAvathar");
    assertThat(((PodProvisioningException) failure).canRetry()).isFalse();
    wm.verify(1, postRequestedFor(urlPathEqualTo("/v2/pods")));
  }

  @Test
  void deploy_when401_rejectsTheKeyWithoutShowingIt() {
    wm.stubFor(post(urlPathEqualTo("/v2/pods")).willReturn(status(401, "missing bearer token")));

    Throwable failure =
        failureOf(provider().deploy(PodSpec.builder().gpuTypes(RTX4090, A6000).build()));

    assertThat(failure)
        .isInstanceOf(PodProvisioningException.class)
        .hasMessageContaining("RunPod rejected the API key (HTTP 401)")
        .hasMessageContaining("RUNPOD_API_KEY")
        .hasMessageNotContaining(KEY);
    wm.verify(1, postRequestedFor(urlPathEqualTo("/v2/pods")));
  }

  @Test
  void deploy_whenEveryCandidateIsDenied_pointsAtTheKeysPermissions() {
    wm.stubFor(post(urlPathEqualTo("/v2/pods")).willReturn(status(403, "access denied")));

    Throwable failure =
        failureOf(
            provider()
                .deploy(
                    PodSpec.builder()
                        .gpuTypes(RTX4090, A6000)
                        .clouds(CloudType.COMMUNITY)
                        .build()));

    assertThat(failure)
        .isInstanceOf(PodProvisioningException.class)
        .hasMessageContaining("HTTP 403")
        .hasMessageContaining("permissions");
    assertThat(((PodProvisioningException) failure).canRetry()).isFalse();
    wm.verify(2, postRequestedFor(urlPathEqualTo("/v2/pods")));
  }

  @Test
  void deploy_when400InAnyWording_movesOnToTheNextCandidate() {
    wm.stubFor(get(urlPathEqualTo("/v2/pods")).willReturn(okJson(podList())));
    wm.stubFor(
        create(RTX4090, "COMMUNITY")
            .willReturn(status(400, "This machine does not have the resources")));
    wm.stubFor(
        create(A6000, "COMMUNITY").willReturn(status(400, "request could not be processed")));
    wm.stubFor(
        create(RTX4090, "SECURE").willReturn(aResponse().withStatus(400).withBody("Bad Request")));
    wm.stubFor(
        create(A6000, "SECURE")
            .willReturn(
                aResponse().withStatus(201).withBody(created("openavathar-w", A6000, "SECURE"))));
    PodSpec spec =
        PodSpec.builder()
            .name("openavathar-w")
            .gpuTypes(RTX4090, A6000)
            .clouds(CloudType.COMMUNITY, CloudType.SECURE)
            .build();

    Pod pod = await(provider().deploy(spec));

    assertThat(pod.gpuType()).contains(A6000);
    assertThat(pod.cloudType()).isEqualTo(CloudType.SECURE);
    wm.verify(4, postRequestedFor(urlPathEqualTo("/v2/pods")));
  }

  @Test
  void deploy_when400NamesFieldsOfTheRequest_stopsAtOnceWithRunPodsMessage() {
    wm.stubFor(
        post(urlPathEqualTo("/v2/pods"))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withBody(
                        problem(
                            400,
                            "Bad Request",
                            "request could not be processed",
                            "mounts: persistent and network are mutually exclusive"))));

    Throwable failure =
        failureOf(
            provider()
                .deploy(
                    PodSpec.builder()
                        .gpuTypes(RTX4090, A6000)
                        .networkVolume("agv6w2qcg7", "/workspace")
                        .build()));

    assertThat(failure)
        .isInstanceOf(PodProvisioningException.class)
        .hasMessageContaining(
            "HTTP 400: request could not be processed: mounts: persistent and network are mutually")
        .hasMessageContaining("Check the pod spec");
    assertThat(((PodProvisioningException) failure).canRetry()).isFalse();
    wm.verify(1, postRequestedFor(urlPathEqualTo("/v2/pods")));
  }

  @Test
  void deploy_when400ErrorsNameNoFieldOfTheRequest_movesOn() {
    wm.stubFor(get(urlPathEqualTo("/v2/pods")).willReturn(okJson(podList())));
    wm.stubFor(
        create(RTX4090, "COMMUNITY")
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withBody(
                        problem(
                            400,
                            "Bad Request",
                            "request could not be processed",
                            "No GPU free in this cloud; try another gpu"))));
    wm.stubFor(
        create(A6000, "COMMUNITY")
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withBody(created("openavathar-e", A6000, "COMMUNITY"))));

    Pod pod =
        await(
            provider()
                .deploy(PodSpec.builder().name("openavathar-e").gpuTypes(RTX4090, A6000).build()));

    assertThat(pod.gpuType()).contains(A6000);
  }

  @Test
  void deploy_when400ErrorsAreAJsonPath_stopsAtOnce() {
    wm.stubFor(
        post(urlPathEqualTo("/v2/pods"))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withBody(
                        problem(
                            400,
                            "Bad Request",
                            "Request validation failed.",
                            "$.gpu.count: must be at least 1"))));

    Throwable failure =
        failureOf(provider().deploy(PodSpec.builder().gpuTypes(RTX4090, A6000).build()));

    assertThat(failure)
        .isInstanceOf(PodProvisioningException.class)
        .hasMessageContaining("$.gpu.count: must be at least 1");
    wm.verify(1, postRequestedFor(urlPathEqualTo("/v2/pods")));
  }

  @Test
  void deploy_whenEveryCandidateGetsAnUnexplained400_listsEachWithItsReason_andSuspectsTheSpec() {
    wm.stubFor(
        create(RTX4090, "COMMUNITY").willReturn(status(400, "request could not be processed")));
    wm.stubFor(
        create(A6000, "COMMUNITY")
            .willReturn(status(400, "mounts: persistent and network are exclusive")));
    PodSpec spec = PodSpec.builder().gpuTypes(RTX4090, A6000).clouds(CloudType.COMMUNITY).build();

    Throwable failure = failureOf(provider().deploy(spec));

    assertThat(failure)
        .isInstanceOf(PodProvisioningException.class)
        .hasMessageContaining(
            "tried RTX 4090/community (HTTP 400: request could not be processed), "
                + "RTX A6000/community (HTTP 400: mounts: persistent and network are exclusive)")
        .hasMessageContaining("without saying it had no capacity");
    assertThat(((PodProvisioningException) failure).canRetry()).isTrue();
    wm.verify(2, postRequestedFor(urlPathEqualTo("/v2/pods")));
  }

  @Test
  void deploy_when429_waitsAndRetriesTheSameCandidate() {
    wm.stubFor(
        post(urlPathEqualTo("/v2/pods"))
            .inScenario("rl")
            .whenScenarioStateIs("Started")
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "0")
                    .withBody(problem(429, "Too Many Requests", "rate limit exceeded")))
            .willSetStateTo("ok"));
    wm.stubFor(
        post(urlPathEqualTo("/v2/pods"))
            .inScenario("rl")
            .whenScenarioStateIs("ok")
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withBody(created("openavathar-r", A6000, "COMMUNITY"))));

    Pod pod = await(provider().deploy(PodSpec.builder().gpuTypes(A6000, RTX4090).build()));

    assertThat(pod.gpuType()).contains(A6000);
    assertThat(createBodies())
        .extracting(b -> b.path("gpu").path("id").asText())
        .containsExactly(A6000, A6000);
    // A 429 never reached the create, so no look-up by name is needed before repeating it.
    wm.verify(0, getRequestedFor(urlPathEqualTo("/v2/pods")));
  }
}
