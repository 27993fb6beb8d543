package io.openavathar.runpod;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.JobState;
import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.internal.pod.DefaultPodManager;
import io.openavathar.pod.PodSpec;
import io.openavathar.store.JobRecord;
import io.openavathar.store.PodIntent;
import io.openavathar.store.StartedPod;
import io.openavathar.store.StudioStore;
import io.openavathar.testkit.runpod.RecordedApiRequest;
import io.openavathar.testkit.runpod.RunPodSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing left billing: a studio records the name of a pod before creating it, so a studio that
 * starts on the same data directory after a crash during the create adopts the pod (idle stop and
 * {@code --stop-pod} cover it) or clears the intent; {@code stopIdlePods(idle)} stops, without a
 * long-running studio, the SDK's pods idle that long.
 */
class RunPodBillingTest {
  static final String KEY = "rpa_TESTKEY0123456789ABCDEFGHIJ";
  static final Duration WAIT = Duration.ofSeconds(30);
  static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  static final Duration IDLE = Duration.ofMinutes(15);

  @TempDir Path dir;
  RunPodSimulator runpod;
  ScheduledExecutorService scheduler;
  final RunPodStudioTest.TestClock clock = new RunPodStudioTest.TestClock();
  final List<AutoCloseable> toClose = new ArrayList<>();

  /** Pods the test means to leave running. */
  final List<String> leftRunning = new ArrayList<>();

  @BeforeEach
  void setUp() {
    runpod =
        RunPodSimulator.builder()
            .apiKey(KEY)
            .provisioningDelay(Duration.ofMillis(50))
            .startingDelay(Duration.ofMillis(50))
            .runtimeDelay(Duration.ofMillis(50))
            .comfyReadyDelay(Duration.ofMillis(100))
            .start();
    clock.now = T0;
    scheduler = Executors.newScheduledThreadPool(2);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    scheduler.shutdownNow();
    assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    try {
      assertThat(runpod.billingPods())
          .as("pods left running (and billing)")
          .containsExactlyInAnyOrderElementsOf(leftRunning);
    } finally {
      runpod.close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    toClose.add(c);
    return c;
  }

  private RunPodPodProvider provider() {
    return closeLater(
        RunPodPodProvider.builder()
            .apiKey(KEY)
            .apiUrl(runpod.apiUrl())
            .proxyUrlPattern(runpod.proxyUrlPattern())
            .initialBackoff(Duration.ofMillis(10))
            .readTimeout(Duration.ofMinutes(2))
            .build());
  }

  private DefaultPodManager manager(RunPodPodProvider provider, StudioStore store) {
    return closeLater(
        new DefaultPodManager(
            provider,
            RunPodStudioTest.fastPolicy().build(),
            url -> ComfyUiClient.builder().baseUrl(url).build(),
            scheduler,
            clock,
            store));
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void aStudioThatCrashedDuringTheCreate_leavesAPodTheNextStudioAdopts() throws Exception {
    StudioStore store = closeLater(StudioStore.open(dir));
    // The create makes the pod but answers only after the first studio is gone.
    runpod.createTimesOut(Duration.ofSeconds(20));
    DefaultPodManager crashed = manager(provider(), store);
    crashed.deploy(
        PodSpec.builder().gpuTypes("NVIDIA GeForce RTX 4090").build()); // never awaited: the crash
    RecordedApiRequest create;
    do {
      create = runpod.takeRequest(WAIT);
    } while (!create.method().equals("POST"));
    assertThat(store.podIntents())
        .singleElement()
        .satisfies(i -> assertThat(i.provider()).isEqualTo("runpod"));
    String podId = runpod.pods().get(0).id();
    assertThat(runpod.pods().get(0).name()).isEqualTo(store.podIntents().get(0).name());

    DefaultPodManager next = manager(provider(), store);

    assertThat(await(next.adoption())).containsExactly(podId);
    assertThat(next.podsStartedHere()).containsExactly(podId);
    assertThat(store.podIntents()).isEmpty();
    assertThat(store.startedPods()).extracting(StartedPod::podId).containsExactly(podId);
    await(next.stop(podId));
  }

  @Test
  void aDeployThatFailsUnclearlyAfterCreatingThePod_adoptsItAtOnce() throws Exception {
    StudioStore store = closeLater(StudioStore.open(dir));
    runpod.createDropsConnection(); // the pod is made, the answer lost
    runpod.failNext("GET", "/v2/pods", 500, 1); // and the deployer's own look-up fails
    RunPodPodProvider oneTry =
        closeLater(
            RunPodPodProvider.builder()
                .apiKey(KEY)
                .apiUrl(runpod.apiUrl())
                .proxyUrlPattern(runpod.proxyUrlPattern())
                .initialBackoff(Duration.ofMillis(10))
                .maxAttempts(1)
                .build());
    DefaultPodManager manager = manager(oneTry, store);

    CompletableFuture<?> deploy =
        manager.deploy(PodSpec.builder().gpuTypes("NVIDIA GeForce RTX 4090").build());

    assertThat(deploy).failsWithin(WAIT);
    String podId = runpod.pods().get(0).id();
    assertThat(manager.podsStartedHere()).containsExactly(podId);
    assertThat(store.podIntents()).isEmpty();
    await(manager.terminate(podId));
  }

  @Test
  void anIntentWhosePodWasNeverCreated_isCleared() throws Exception {
    StudioStore store = closeLater(StudioStore.open(dir));
    store.podIntended(new PodIntent("openavathar-neverborn", "runpod", T0));
    store.podIntended(new PodIntent("other-provider-pod", "static", T0));

    DefaultPodManager next = manager(provider(), store);

    assertThat(await(next.adoption())).isEmpty();
    assertThat(next.podsStartedHere()).isEmpty();
    assertThat(store.podIntents())
        .extracting(PodIntent::name)
        .containsExactly("other-provider-pod");
  }

  @Test
  void aDeployThatWorks_clearsItsIntentAndRemembersThePod() throws Exception {
    StudioStore store = closeLater(StudioStore.open(dir));
    DefaultPodManager manager = manager(provider(), store);

    String podId =
        await(manager.deploy(PodSpec.builder().gpuTypes("NVIDIA GeForce RTX 4090").build())).id();

    assertThat(store.podIntents()).isEmpty();
    assertThat(store.startedPods()).extracting(StartedPod::podId).containsExactly(podId);
    await(manager.terminate(podId));
  }

  /**
   * A pod started by an earlier run (its studio gone, as after a CLI command), ready and serving
   * ComfyUI.
   */
  private String podOfAnEarlierRun(StudioStore store) throws Exception {
    DefaultPodManager earlier = manager(provider(), store);
    String podId =
        await(earlier.deploy(PodSpec.builder().gpuTypes("NVIDIA GeForce RTX 4090").build())).id();
    await(earlier.awaitReady(podId, WAIT));
    earlier.close();
    return podId;
  }

  @Test
  void stopIdlePods_withoutALongRunningStudio_stopsThePodOnceIdleThatLong() throws Exception {
    StudioStore store = closeLater(StudioStore.open(dir));
    String podId = podOfAnEarlierRun(store);
    DefaultPodManager cron = manager(provider(), store);

    clock.now = T0.plus(IDLE).minusSeconds(1);
    assertThat(await(cron.stopIdlePods(IDLE))).isEmpty();
    assertThat(runpod.billingPods()).containsExactly(podId);

    clock.now = T0.plus(IDLE);
    assertThat(await(cron.stopIdlePods(IDLE))).containsExactly(podId);
    assertThat(runpod.pod(podId).orElseThrow().status()).isEqualTo("EXITED");
    assertThat(store.startedPods()).isEmpty();
  }

  @Test
  void stopIdlePods_leavesAPodAJobOfOursStillUses_andPodsTheSdkDidNotStart() throws Exception {
    StudioStore store = closeLater(StudioStore.open(dir));
    String ours = podOfAnEarlierRun(store);
    String theirs =
        await(provider().deploy(PodSpec.builder().gpuTypes("NVIDIA GeForce RTX 4090").build()))
            .id();
    store.insertJob(
        JobRecord.builder("j1")
            .state(JobState.GENERATING)
            .requestJson("{}")
            .podId(ours)
            .createdAt(T0)
            .updatedAt(T0)
            .build());
    DefaultPodManager cron = manager(provider(), store);
    clock.now = T0.plus(IDLE.multipliedBy(4));

    assertThat(await(cron.stopIdlePods(IDLE))).isEmpty();

    assertThat(runpod.billingPods()).containsExactlyInAnyOrder(ours, theirs);
    await(cron.terminate(ours));
    await(cron.terminate(theirs));
  }

  @Test
  void stopIdlePods_forgetsPodsTheProviderNoLongerLists() throws Exception {
    StudioStore store = closeLater(StudioStore.open(dir));
    store.podStarted(new StartedPod("gone1", "runpod", T0, T0));
    DefaultPodManager cron = manager(provider(), store);
    clock.now = T0.plus(IDLE);

    assertThat(await(cron.stopIdlePods(IDLE))).isEmpty();
    assertThat(store.startedPods()).isEmpty();
  }
}
