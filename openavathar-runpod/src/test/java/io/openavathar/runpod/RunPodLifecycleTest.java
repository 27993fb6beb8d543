package io.openavathar.runpod;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.openavathar.runpod.Fixtures.await;
import static io.openavathar.runpod.Fixtures.failureOf;
import static io.openavathar.runpod.Fixtures.pod;
import static io.openavathar.runpod.Fixtures.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.openavathar.InvalidInputException;
import io.openavathar.PodProvisioningException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.pod.PodStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Start, stop and terminate, with RunPod's 404 and 409 answers. */
class RunPodLifecycleTest {
  private static final String ACTION = "/v2/pods/p1/action";

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
  void stop_postsTheAction_andReturnsTheUpdatedPod() {
    wm.stubFor(
        post(urlPathEqualTo(ACTION))
            .willReturn(okJson(pod("p1", "openavathar-a", "EXITED").toString())));

    assertThat(await(provider().stop("p1")).status()).isEqualTo(PodStatus.EXITED);
    wm.verify(
        1,
        postRequestedFor(urlPathEqualTo(ACTION))
            .withRequestBody(equalToJson("{\"action\":\"stop\"}")));
  }

  @Test
  void start_postsTheAction() {
    wm.stubFor(
        post(urlPathEqualTo(ACTION))
            .willReturn(okJson(pod("p1", "openavathar-a", "STARTING").toString())));

    assertThat(await(provider().start("p1")).status()).isEqualTo(PodStatus.STARTING);
    wm.verify(
        1,
        postRequestedFor(urlPathEqualTo(ACTION))
            .withRequestBody(equalToJson("{\"action\":\"start\"}")));
  }

  @Test
  void start_whenPodUnknown_saysThereIsNoSuchPod() {
    wm.stubFor(
        post(urlPathEqualTo(ACTION))
            .willReturn(
                aResponse().withStatus(404).withBody(problem(404, "Not Found", "pod not found"))));

    Throwable failure = failureOf(provider().start("p1"));

    assertThat(failure)
        .isInstanceOf(PodProvisioningException.class)
        .hasMessageContaining("no pod p1");
    wm.verify(1, postRequestedFor(urlPathEqualTo(ACTION)));
  }

  @Test
  void start_when409_namesTheActionAndTheStatus_withoutRetrying() {
    wm.stubFor(
        post(urlPathEqualTo(ACTION))
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withBody(
                        problem(409, "Conflict", "action not valid for current pod status"))));
    wm.stubFor(
        get(urlPathEqualTo("/v2/pods/p1"))
            .willReturn(okJson(pod("p1", "openavathar-a", "RUNNING").toString())));

    Throwable failure = failureOf(provider().start("p1"));

    assertThat(failure)
        .isInstanceOf(PodProvisioningException.class)
        .hasMessageContaining("Pod p1 cannot start while RUNNING");
    assertThat(((PodProvisioningException) failure).canRetry()).isFalse();
    wm.verify(1, postRequestedFor(urlPathEqualTo(ACTION)));
  }

  @Test
  void stop_whenAnEarlierAttemptsAnswerWasLost_andRunPodThenSays409_returnsTheStoppedPod() {
    wm.stubFor(
        post(urlPathEqualTo(ACTION))
            .inScenario("lost")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(502).withBody("bad gateway"))
            .willSetStateTo("stopped"));
    wm.stubFor(
        post(urlPathEqualTo(ACTION))
            .inScenario("lost")
            .whenScenarioStateIs("stopped")
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withBody(problem(409, "Conflict", "pod is not running"))));
    wm.stubFor(
        get(urlPathEqualTo("/v2/pods/p1"))
            .willReturn(okJson(pod("p1", "openavathar-a", "EXITED").toString())));

    assertThat(await(provider().stop("p1")).status()).isEqualTo(PodStatus.EXITED);
    wm.verify(2, postRequestedFor(urlPathEqualTo(ACTION)));
  }

  @Test
  void stop_whenRunPodStaysDown_failsRetryable() {
    wm.stubFor(post(urlPathEqualTo(ACTION)).willReturn(aResponse().withStatus(503).withBody("{}")));

    assertThat(failureOf(provider().stop("p1"))).isInstanceOf(RemoteUnavailableException.class);
    wm.verify(4, postRequestedFor(urlPathEqualTo(ACTION)));
  }

  @Test
  void terminate_deletesThePod() {
    wm.stubFor(delete(urlPathEqualTo("/v2/pods/p1")).willReturn(aResponse().withStatus(204)));

    await(provider().terminate("p1"));

    wm.verify(1, deleteRequestedFor(urlPathEqualTo("/v2/pods/p1")));
  }

  @Test
  void terminate_whenAlreadyGone_succeeds() {
    wm.stubFor(
        delete(urlPathEqualTo("/v2/pods/p1"))
            .willReturn(
                aResponse().withStatus(404).withBody(problem(404, "Not Found", "pod not found"))));

    await(provider().terminate("p1"));

    wm.verify(1, deleteRequestedFor(urlPathEqualTo("/v2/pods/p1")));
  }

  @Test
  void terminate_when409_explainsClusterMembership() {
    wm.stubFor(
        delete(urlPathEqualTo("/v2/pods/p1"))
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withBody(problem(409, "Conflict", "pod belongs to a cluster"))));

    assertThat(failureOf(provider().terminate("p1")))
        .isInstanceOf(PodProvisioningException.class)
        .hasMessageContaining("cluster");
  }

  @Test
  void actions_withBlankId_failWithoutCallingRunPod() {
    assertThat(failureOf(provider().stop(" "))).isInstanceOf(InvalidInputException.class);
    assertThat(wm.getAllServeEvents()).isEmpty();
  }
}
