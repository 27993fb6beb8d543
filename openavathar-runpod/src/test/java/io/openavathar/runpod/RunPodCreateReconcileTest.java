package io.openavathar.runpod;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.openavathar.runpod.Fixtures.await;
import static io.openavathar.runpod.Fixtures.failureOf;
import static io.openavathar.runpod.Fixtures.pod;
import static io.openavathar.runpod.Fixtures.podList;
import static io.openavathar.runpod.Fixtures.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.openavathar.PodProvisioningException;
import io.openavathar.pod.CloudType;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodSpec;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A create whose answer is lost is never repeated blindly: the pod is looked up by its unique name
 * first. The server side is a WireMock scenario in which the create moves the account to the state
 * "created", where the list shows the pod.
 */
class RunPodCreateReconcileTest {
  private static final String NAME = "openavathar-job42";

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

  /** The plan's GPU on community cloud, named: the reconciling is what these tests are about. */
  private static PodSpec spec() {
    return PodSpec.builder()
        .name(NAME)
        .gpuTypes(PodSpec.DEFAULT_GPU_TYPE)
        .clouds(CloudType.COMMUNITY)
        .build();
  }

  /** GET /pods lists nothing until a create has happened, then the pod (plus an unrelated one). */
  private void listShowsThePodOnceCreated() {
    wm.stubFor(
        get(urlPathEqualTo("/v2/pods"))
            .inScenario("account")
            .whenScenarioStateIs(STARTED)
            .willReturn(okJson(podList(pod("other", "someone-else", "RUNNING")))));
    wm.stubFor(
        get(urlPathEqualTo("/v2/pods"))
            .inScenario("account")
            .whenScenarioStateIs("created")
            .willReturn(
                okJson(
                    podList(
                        pod("other", "someone-else", "RUNNING"),
                        pod("made1", NAME, "PROVISIONING")))));
  }

  @Test
  void deploy_whenTheAnswerTimesOutAfterTheServerCreatedThePod_findsItAndNeverCreatesTwice() {
    listShowsThePodOnceCreated();
    wm.stubFor(
        post(urlPathEqualTo("/v2/pods"))
            .inScenario("account")
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withFixedDelay(3_000)
                    .withBody(pod("made1", NAME, "PROVISIONING").toString()))
            .willSetStateTo("created"));
    provider = Fixtures.fast(wm.baseUrl(), 4).readTimeout(Duration.ofMillis(300)).build();

    Pod pod = await(provider.deploy(spec()));

    assertThat(pod.id()).isEqualTo("made1");
    wm.verify(1, postRequestedFor(urlPathEqualTo("/v2/pods")));
    // One look before the create (names the caller chose may exist already) and one after the lost
    // answer.
    wm.verify(2, getRequestedFor(urlPathEqualTo("/v2/pods")));
  }

  @Test
  void deploy_whenTheConnectionDropsAfterTheServerCreatedThePod_findsIt() {
    listShowsThePodOnceCreated();
    wm.stubFor(
        post(urlPathEqualTo("/v2/pods"))
            .inScenario("account")
            .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE))
            .willSetStateTo("created"));
    provider = Fixtures.fast(wm.baseUrl(), 4).build();

    assertThat(await(provider.deploy(spec())).id()).isEqualTo("made1");
    wm.verify(1, postRequestedFor(urlPathEqualTo("/v2/pods")));
  }

  @Test
  void deploy_when500AfterTheServerCreatedThePod_findsIt() {
    listShowsThePodOnceCreated();
    wm.stubFor(
        post(urlPathEqualTo("/v2/pods"))
            .inScenario("account")
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withBody(problem(500, "Internal Server Error", "read-back failed")))
            .willSetStateTo("created"));
    provider = Fixtures.fast(wm.baseUrl(), 4).build();

    assertThat(await(provider.deploy(spec())).id()).isEqualTo("made1");
    wm.verify(1, postRequestedFor(urlPathEqualTo("/v2/pods")));
  }

  @Test
  void deploy_when503AndThePodIsAbsent_createsAgain() {
    wm.stubFor(get(urlPathEqualTo("/v2/pods")).willReturn(okJson(podList())));
    wm.stubFor(
        post(urlPathEqualTo("/v2/pods"))
            .inScenario("flaky")
            .whenScenarioStateIs(STARTED)
            .willReturn(
                aResponse()
                    .withStatus(503)
                    .withBody(problem(503, "Service Unavailable", "try again")))
            .willSetStateTo("up"));
    wm.stubFor(
        post(urlPathEqualTo("/v2/pods"))
            .inScenario("flaky")
            .whenScenarioStateIs("up")
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withBody(pod("made2", NAME, "PROVISIONING").toString())));
    provider = Fixtures.fast(wm.baseUrl(), 4).build();

    assertThat(await(provider.deploy(spec())).id()).isEqualTo("made2");
    wm.verify(2, postRequestedFor(urlPathEqualTo("/v2/pods")));
    wm.verify(
        2,
        getRequestedFor(
            urlPathEqualTo("/v2/pods"))); // before the first create, and before the second
  }

  @Test
  void deploy_whenAPodWithTheChosenNameExistedBefore_doesNotMistakeItForTheNewOne() {
    // The caller's name is taken by an older pod; the create's answer is lost and the create did
    // not happen.
    wm.stubFor(
        get(urlPathEqualTo("/v2/pods")).willReturn(okJson(podList(pod("old", NAME, "EXITED")))));
    wm.stubFor(
        post(urlPathEqualTo("/v2/pods"))
            .inScenario("flaky")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(502).withBody("bad gateway"))
            .willSetStateTo("up"));
    wm.stubFor(
        post(urlPathEqualTo("/v2/pods"))
            .inScenario("flaky")
            .whenScenarioStateIs("up")
            .willReturn(
                aResponse().withStatus(201).withBody(pod("new", NAME, "PROVISIONING").toString())));
    provider = Fixtures.fast(wm.baseUrl(), 4).build();

    assertThat(await(provider.deploy(spec())).id()).isEqualTo("new");
  }

  @Test
  void deploy_whenEveryAttemptFailsAndThePodNeverAppears_failsRetryableAfterBoundedCreates() {
    wm.stubFor(get(urlPathEqualTo("/v2/pods")).willReturn(okJson(podList())));
    wm.stubFor(
        post(urlPathEqualTo("/v2/pods"))
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withBody(problem(500, "Internal Server Error", "boom"))));
    provider = Fixtures.fast(wm.baseUrl(), 3).build();

    Throwable failure = failureOf(provider.deploy(spec()));

    assertThat(failure)
        .isInstanceOf(PodProvisioningException.class)
        .hasMessageContaining("failed 3 times")
        .hasMessageContaining("does not list the pod");
    assertThat(((PodProvisioningException) failure).canRetry()).isTrue();
    wm.verify(3, postRequestedFor(urlPathEqualTo("/v2/pods")));
  }
}
