package io.openavathar.internal.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.RemoteUnavailableException;
import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodPolicy;
import io.openavathar.pod.PodStatus;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which pod a job gets, and what a preview of it promises, with placement's own parts. */
class PodPlacementTest {
  ComfyUiSimulator comfy;
  FakePodProvider provider;
  ScheduledExecutorService scheduler;
  final DefaultPodManagerTest.TestClock clock = new DefaultPodManagerTest.TestClock();
  final List<String> progress = new CopyOnWriteArrayList<>();
  PodConnections connections;
  PodSlots slots;
  PodPlacement placement;

  @BeforeEach
  void setUp() {
    comfy = ComfyUiSimulator.start();
    provider = new FakePodProvider(comfy.baseUrl());
    scheduler = Executors.newSingleThreadScheduledExecutor();
    placement(PodPolicy.builder());
  }

  void placement(PodPolicy.Builder policy) {
    PodPolicy p =
        policy
            .apiPolling(Duration.ofMillis(5), Duration.ofMillis(20))
            .probeInterval(Duration.ofMillis(5))
            .maxJobsPerPod(1)
            .build();
    if (connections != null) {
      connections.close();
    }
    connections =
        new PodConnections(
            url ->
                ComfyUiClient.builder().baseUrl(url).maxAttempts(1).scheduler(scheduler).build());
    slots = new PodSlots(p.maxJobsPerPod(), clock, provider.name(), null, connections);
    PodLifecycle lifecycle =
        new PodLifecycle(provider, p, null, scheduler, clock, slots, connections);
    placement = new PodPlacement(provider, p, lifecycle, slots, connections);
  }

  @AfterEach
  void tearDown() {
    connections.close();
    scheduler.shutdownNow();
    comfy.close();
  }

  Pod ready(String id) {
    Pod p = provider.add(id, PodStatus.RUNNING, true);
    provider.serve(id);
    return p;
  }

  CompletableFuture<Lease> acquire(Optional<String> target) {
    return placement.acquire(target, progress::add);
  }

  static <T> T join(CompletableFuture<T> f) {
    return DefaultPodManagerTest.join(f);
  }

  @Test
  void theRequestsPod_isWaitedFor_evenWhenAnotherReadyPodIsFree() {
    ready("a");
    ready("b");
    Lease onA = join(acquire(Optional.of("a")));

    CompletableFuture<Lease> wantsA = acquire(Optional.of("a"));
    Lease any = join(acquire(Optional.empty()));

    assertThat(any.pod().id()).isEqualTo("b");
    assertThat(wantsA).isNotDone();
    onA.close();
    assertThat(join(wantsA).pod().id()).isEqualTo("a");
  }

  @Test
  void aPodThatIsBooting_isWaitedFor_ratherThanStartingOrDeployingAnother() {
    provider.add("booting", PodStatus.STARTING, true);
    provider.add("stopped", PodStatus.EXITED, true);

    CompletableFuture<Lease> f = acquire(Optional.empty());
    assertThat(f).isNotDone();
    provider.serve("booting");

    assertThat(join(f).pod().id()).isEqualTo("booting");
    assertThat(progress).contains("Pod booting is starting, waiting for it");
    assertThat(provider.calls).noneMatch(c -> c.startsWith("start ") || c.startsWith("deploy "));
  }

  @Test
  void withoutAutoStart_andNoReadyPod_theJobFailsNamingThePods() {
    placement(PodPolicy.builder().autoStart(false));
    provider.add("stopped", PodStatus.EXITED, true);

    assertThatThrownBy(() -> join(acquire(Optional.empty())))
        .isInstanceOf(RemoteUnavailableException.class)
        .hasMessageContaining("No ComfyUI server is ready (stopped ");
    assertThat(provider.calls).noneMatch(c -> c.startsWith("start ") || c.startsWith("deploy "));
  }

  @Test
  void preview_ofAReadyPod_leasesNothing() {
    ready("a");

    PodPlacement.Preview preview = join(placement.preview(Optional.empty()));

    assertThat(preview.podId()).contains("a");
    assertThat(preview.podMustStart()).isFalse();
    assertThat(slots.load("a")).isZero();
  }

  @Test
  void preview_ofAStoppedSdkPod_saysItMustStart_withoutStartingIt() {
    provider.pods.put(
        "s",
        provider.add("s", PodStatus.EXITED, true).toBuilder().gpuType("NVIDIA RTX A5000").build());

    PodPlacement.Preview preview = join(placement.preview(Optional.empty()));

    assertThat(preview.podId()).contains("s");
    assertThat(preview.gpuType()).isEqualTo("NVIDIA RTX A5000");
    assertThat(preview.podMustStart()).isTrue();
    assertThat(provider.calls).doesNotContain("start s");
  }
}
