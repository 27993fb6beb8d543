package io.openavathar.runpod;

import static io.openavathar.runpod.Fixtures.await;
import static io.openavathar.runpod.Fixtures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.NoGpuAvailableException;
import io.openavathar.PodProvisioningException;
import io.openavathar.Setting;
import io.openavathar.internal.Json;
import io.openavathar.pod.CloudType;
import io.openavathar.pod.GpuOffer;
import io.openavathar.pod.GpuType;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodSpec;
import io.openavathar.testkit.runpod.RecordedApiRequest;
import io.openavathar.testkit.runpod.RunPodSimulator;
import io.openavathar.testkit.runpod.SimulatedGpuType.Availability;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GPUs chosen by need and price from the live catalog, with fallback, on the RunPod simulator
 * (default catalog: RTX 4090 24 GB $0.34 community / $0.69 secure, RTX A6000 48 GB $0.33 / $0.49,
 * A100 80 GB $1.19 / $1.64).
 */
class RunPodGpuChoiceTest {
  static final String RTX4090 = PodSpec.DEFAULT_GPU_TYPE;
  static final String A6000 = "NVIDIA RTX A6000";
  static final String A100 = "NVIDIA A100 80GB PCIe";

  RunPodSimulator runpod;
  RunPodPodProvider provider;

  @BeforeEach
  void start() {
    runpod = RunPodSimulator.builder().manualTime().start();
    provider = Fixtures.fast(runpod.apiUrl().toString().replaceFirst("/v2$", ""), 2).build();
  }

  @AfterEach
  void stop() {
    provider.close();
    runpod.close();
  }

  List<String> creates() {
    return runpod.requests().stream()
        .filter(r -> r.method().equals("POST") && r.path().equals("/v2/pods"))
        .map(r -> json(r.body()))
        .map(b -> b.path("gpu").path("id").asText() + "/" + b.path("cloud").asText())
        .toList();
  }

  static JsonNode json(String body) {
    try {
      return Json.mapper().readTree(body);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static List<String> names(List<GpuOffer> offers) {
    return offers.stream().map(GpuOffer::toString).toList();
  }

  @Test
  void byDefault_theRtx4090OnCommunityComesFirst_thenTheCheapest_thenSecure() {
    assertThat(names(await(provider.offers(PodSpec.builder().build()))))
        .containsExactly(
            "RTX 4090/community", "RTX A6000/community", "RTX A6000/secure", "RTX 4090/secure");

    Pod pod = await(provider.deploy(PodSpec.builder().build()));

    assertThat(pod.gpuType()).contains(RTX4090);
    assertThat(pod.cloudType()).isEqualTo(CloudType.COMMUNITY);
    assertThat(creates()).containsExactly(RTX4090 + "/COMMUNITY");
  }

  @Test
  void byNeed_picksTheCheapestThatQualifies() {
    Pod pod = await(provider.deploy(PodSpec.builder().minGpuMemoryGb(40).build()));

    assertThat(pod.gpuType()).contains(A6000);
    assertThat(pod.cloudType()).isEqualTo(CloudType.COMMUNITY);
  }

  @Test
  void whenTheCatalogHasNoneFree_thatGpuIsNotTried() {
    runpod.setAvailability(RTX4090, "COMMUNITY", Availability.NONE);

    Pod pod = await(provider.deploy(PodSpec.builder().build()));

    assertThat(pod.gpuType()).contains(A6000);
    assertThat(creates()).containsExactly(A6000 + "/COMMUNITY");
  }

  @Test
  void onACapacity400InOtherWords_movesOnToTheNextOffer() {
    runpod.noCapacityFor(RTX4090, "COMMUNITY", "Something went wrong. Please try again later.");

    Pod pod = await(provider.deploy(PodSpec.builder().build()));

    assertThat(pod.gpuType()).contains(A6000);
    assertThat(creates()).containsExactly(RTX4090 + "/COMMUNITY", A6000 + "/COMMUNITY");
  }

  @Test
  void secureIsTriedAfterCommunity() {
    runpod.noCapacityFor(RTX4090, "COMMUNITY");
    runpod.noCapacityFor(
        A6000, "COMMUNITY", "This machine does not have the resources to deploy your pod.");

    Pod pod = await(provider.deploy(PodSpec.builder().build()));

    assertThat(pod.gpuType()).contains(A6000);
    assertThat(pod.cloudType()).isEqualTo(CloudType.SECURE);
    assertThat(creates())
        .containsExactly(RTX4090 + "/COMMUNITY", A6000 + "/COMMUNITY", A6000 + "/SECURE");
  }

  @Test
  void thePriceCapLeavesOutWhatCostsMore_andWhenNothingIsLeftSaysWhichLimitToRelax() {
    assertThat(names(await(provider.offers(PodSpec.builder().maxPricePerHour(0.40).build()))))
        .containsExactly("RTX 4090/community", "RTX A6000/community");

    Throwable failure = failureOf(provider.deploy(PodSpec.builder().maxPricePerHour(0.30).build()));

    assertThat(failure)
        .isInstanceOf(NoGpuAvailableException.class)
        .hasMessageStartingWith(
            "No GPU qualifies for the pod: left out RTX 4090/community (over the price cap)")
        .hasMessageEndingWith("Relax the pod spec's maxPricePerHour.");
    NoGpuAvailableException e = (NoGpuAvailableException) failure;
    assertThat(e.tried()).isEmpty();
    assertThat(e.limits()).containsExactly(Setting.MAX_PRICE);
    assertThat(e.canRetry()).isFalse();
    assertThat(runpod.createCalls()).isZero();
  }

  @Test
  void anExplicitList_isTriedInItsOrder_underThePriceCap() {
    Pod pod =
        await(
            provider.deploy(
                PodSpec.builder()
                    .gpuTypes(A100, RTX4090)
                    .maxPricePerHour(2.00)
                    .clouds(CloudType.SECURE, CloudType.COMMUNITY)
                    .build()));

    assertThat(pod.gpuType()).contains(A100);
    assertThat(pod.cloudType()).isEqualTo(CloudType.SECURE);
    assertThat(names(await(provider.offers(PodSpec.builder().gpuTypes(A100, RTX4090).build()))))
        .containsExactly(
            "RTX 4090/community", "RTX 4090/secure"); // the A100 is over $1.00 in both clouds
  }

  @Test
  void whenEveryOfferIsRefused_theErrorListsEachCandidateAndWhy() {
    runpod.noCapacityFor(RTX4090, "COMMUNITY");
    runpod.noCapacityFor(A6000, "COMMUNITY", "Something went wrong. Please try again later.");
    runpod.noCapacityFor(A6000, "SECURE");
    runpod.noCapacityFor(RTX4090, "SECURE");

    Throwable failure = failureOf(provider.deploy(PodSpec.builder().build()));

    assertThat(failure)
        .isInstanceOf(NoGpuAvailableException.class)
        .hasMessage(
            "No GPU could be had; tried RTX 4090/community (no capacity), RTX A6000/community (HTTP 400:"
                + " Something went wrong. Please try again later.), RTX A6000/secure (no capacity), RTX 4090/secure"
                + " (no capacity). Retry later, or allow more GPUs with the pod spec's maxPricePerHour."); // the A100
    assertThat(((NoGpuAvailableException) failure).canRetry()).isTrue();
    assertThat(runpod.pods()).isEmpty();
  }

  @Test
  void gpuTypes_asksForTheCloudsAvailability() {
    runpod.setAvailability(RTX4090, "COMMUNITY", Availability.NONE);

    List<GpuType> community = await(provider.gpuTypes(CloudType.COMMUNITY));
    List<GpuType> secure = await(provider.gpuTypes(CloudType.SECURE));

    assertThat(community)
        .filteredOn(t -> t.id().equals(RTX4090))
        .extracting(GpuType::availability)
        .containsExactly(GpuType.Availability.NONE);
    assertThat(secure)
        .filteredOn(t -> t.id().equals(RTX4090))
        .extracting(GpuType::availability)
        .containsExactly(GpuType.Availability.HIGH);
    assertThat(runpod.requests())
        .filteredOn(r -> r.path().equals("/v2/catalog/gpus"))
        .extracting(RecordedApiRequest::query)
        .allMatch(q -> q.contains("include=AVAILABILITY"))
        .anyMatch(q -> q.contains("cloud=COMMUNITY"))
        .anyMatch(q -> q.contains("cloud=SECURE"));
  }

  @Test
  void whenTheCatalogCannotBeRead_namedGpusAreTriedAnyway_butNeedFailsClearly() {
    runpod.failNext("GET", "/v2/catalog/gpus", 503, 4);
    assertThat(await(provider.offers(PodSpec.builder().gpuTypes(A6000).build())))
        .extracting(o -> o + " " + o.pricePerHour())
        .containsExactly(
            "RTX A6000/community OptionalDouble.empty", "RTX A6000/secure OptionalDouble.empty");

    runpod.failNext("GET", "/v2/catalog/gpus", 503, 4);
    Pod pod = await(provider.deploy(PodSpec.builder().gpuTypes(A6000).build()));
    assertThat(pod.gpuType()).contains(A6000);

    runpod.failNext("GET", "/v2/catalog/gpus", 503, 4);
    Throwable failure = failureOf(provider.deploy(PodSpec.builder().build()));
    assertThat(failure)
        .isInstanceOf(PodProvisioningException.class)
        .hasMessageContaining("Could not read RunPod's GPU catalog to choose GPUs by need")
        .hasMessageContaining(
            "name the GPU types with the pod spec's gpuTypes, which deploys without the catalog");
    assertThat(((PodProvisioningException) failure).setting()).contains(Setting.GPU);
    assertThat(runpod.pods()).hasSize(1);
  }
}
