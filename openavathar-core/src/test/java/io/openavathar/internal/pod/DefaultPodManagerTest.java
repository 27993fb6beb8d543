package io.openavathar.internal.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.PodNotFoundException;
import io.openavathar.PodProvisioningException;
import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.pod.PodPolicy;
import io.openavathar.pod.PodStatus;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DefaultPodManagerTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  /** A clock the test moves by hand. */
  static final class TestClock extends Clock {
    volatile Instant now = Instant.parse("2026-11-25T12:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  ComfyUiSimulator comfy;
  FakePodProvider provider;
  ScheduledExecutorService scheduler;
  TestClock clock = new TestClock();
  DefaultPodManager manager;
  final List<String> progress = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    comfy = ComfyUiSimulator.start();
    provider = new FakePodProvider(comfy.baseUrl());
    scheduler = Executors.newSingleThreadScheduledExecutor();
    manager =
        manager(
            PodPolicy.builder()
                .apiPolling(Duration.ofMillis(5), Duration.ofMillis(20))
                .probeInterval(Duration.ofMillis(5))
                .idleStop(Duration.ofMinutes(15), PodPolicy.IdleAction.STOP)
                .build());
  }

  DefaultPodManager manager(PodPolicy policy) {
    return new DefaultPodManager(
        provider,
        policy,
        url -> ComfyUiClient.builder().baseUrl(url).maxAttempts(1).scheduler(scheduler).build(),
        scheduler,
        clock);
  }

  @AfterEach
  void tearDown() {
    manager.close();
    scheduler.shutdownNow();
    comfy.close();
  }

  Lease acquire() {
    return join(manager.placement().acquire(Optional.empty(), progress::add));
  }

  void awaitWaiting(int n) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (manager.waitingJobs() < n && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // an observable count, bounded by WAIT
    }
  }

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw PodLifecycle.unwrap(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void acquire_withNoPod_deploysOne_andWaitsUntilComfyAnswers() {
    CompletableFuture<Lease> f = manager.placement().acquire(Optional.empty(), progress::add);
    assertThat(f).isNotDone();
    provider.serve("pod-1");

    Lease lease = join(f);

    assertThat(lease.pod().id()).isEqualTo("pod-1");
    assertThat(provider.calls).containsOnlyOnce("deploy pod-1");
    assertThat(progress).contains("Requesting GPU pod", "Pod is ready");
    assertThat(progress).anyMatch(m -> m.startsWith("Pod pod-1 created"));
    assertThat(manager.podsStartedHere()).containsExactly("pod-1");
  }

  @Test
  void bootTimes_fromTheDeployOrStartRequestToComfyUiReady_areRecordedPerGpuType() {
    String gpu = "NVIDIA GeForce RTX 4090";
    try (io.openavathar.store.StudioStore store = io.openavathar.store.StudioStore.inMemory()) {
      manager.close();
      manager =
          new DefaultPodManager(
              provider,
              PodPolicy.builder()
                  .apiPolling(Duration.ofMillis(5), Duration.ofMillis(20))
                  .probeInterval(Duration.ofMillis(5))
                  .build(),
              url ->
                  ComfyUiClient.builder().baseUrl(url).maxAttempts(1).scheduler(scheduler).build(),
              scheduler,
              clock,
              store);
      Instant deployedAt = clock.instant();
      CompletableFuture<Lease> first = manager.placement().acquire(Optional.empty(), progress::add);
      awaitCall("deploy pod-1");
      clock.advance(Duration.ofSeconds(95));
      serveWithGpu("pod-1", gpu);
      join(first).close();

      join(manager.stop("pod-1"));
      clock.advance(Duration.ofMinutes(30));
      Instant startedAt = clock.instant();
      CompletableFuture<Lease> second =
          manager.placement().acquire(Optional.empty(), progress::add);
      awaitCall("start pod-1");
      clock.advance(Duration.ofSeconds(40));
      serveWithGpu("pod-1", gpu);
      join(second).close();

      assertThat(store.recentBoots(gpu, 10))
          .containsExactly(
              new io.openavathar.store.PodBoot(
                  "pod-1",
                  gpu,
                  io.openavathar.store.PodBoot.Kind.START,
                  startedAt,
                  startedAt.plusSeconds(40)),
              new io.openavathar.store.PodBoot(
                  "pod-1",
                  gpu,
                  io.openavathar.store.PodBoot.Kind.DEPLOY,
                  deployedAt,
                  deployedAt.plusSeconds(95)));
      // Ready again without a request of ours: nothing more to measure.
      join(manager.awaitReady("pod-1", WAIT));
      assertThat(store.recentBoots(gpu, 10)).hasSize(2);
    }
  }

  private void serveWithGpu(String id, String gpu) {
    provider.pods.computeIfPresent(id, (k, p) -> p.toBuilder().gpuType(gpu).build());
    provider.serve(id); // after the GPU type: a poll in between sees a pod not yet serving
  }

  private void awaitCall(String call) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!provider.calls.contains(call) && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // an observable call, bounded by WAIT
    }
    assertThat(provider.calls).contains(call);
  }

  @Test
  void acquire_whenRunningButComfyNotLoaded_keepsWaiting() {
    provider.add("pod-1", PodStatus.RUNNING, true);
    provider.pods.computeIfPresent(
        "pod-1", (k, p) -> p.toBuilder().runtime(true, java.util.Set.of(8188)).build());
    CompletableFuture<Lease> f = manager.placement().acquire(Optional.empty(), progress::add);
    // RUNNING with the port mapped, but ComfyUI (127.0.0.1:9) does not answer: not ready, and no
    // second pod.
    assertThat(provider.calls).doesNotContain("deploy pod-1");
    provider.serve("pod-1");
    assertThat(join(f).pod().id()).isEqualTo("pod-1");
    assertThat(provider.calls).noneMatch(c -> c.startsWith("deploy"));
  }

  @Test
  void acquire_twoJobsAtOnce_deployOnePod_whenMaxPodsIsOne() {
    CompletableFuture<Lease> a = manager.placement().acquire(Optional.empty(), progress::add);
    CompletableFuture<Lease> b = manager.placement().acquire(Optional.empty(), progress::add);
    provider.serve("pod-1");
    assertThat(join(a).pod().id()).isEqualTo("pod-1");
    assertThat(join(b).pod().id()).isEqualTo("pod-1");
    assertThat(provider.calls.stream().filter(c -> c.startsWith("deploy"))).hasSize(1);
    assertThat(manager.load("pod-1")).isEqualTo(2);
  }

  @Test
  void acquire_prefersTheLeastLoadedReadyPod() {
    provider.add("a", PodStatus.RUNNING, false);
    provider.add("b", PodStatus.RUNNING, false);
    provider.serve("a");
    provider.serve("b");
    Lease first = acquire();
    Lease second = acquire();
    assertThat(List.of(first.pod().id(), second.pod().id())).containsExactlyInAnyOrder("a", "b");
    first.close();
    assertThat(acquire().pod().id()).isEqualTo(first.pod().id());
  }

  @Test
  void acquire_whenEveryReadyPodIsFull_waitsForTheNextFreeSlot() {
    manager.close();
    manager = manager(PodPolicy.builder().maxJobsPerPod(1).build());
    provider.add("a", PodStatus.RUNNING, false);
    provider.serve("a");
    Lease first = acquire();
    CompletableFuture<Lease> second = manager.placement().acquire(Optional.empty(), progress::add);
    awaitWaiting(1); // second in line first, so the order of the line is known
    CompletableFuture<Lease> third = manager.placement().acquire(Optional.empty(), progress::add);
    awaitWaiting(2);
    assertThat(manager.waitingJobs()).isEqualTo(2);
    assertThat(second).isNotDone();

    first.close();
    Lease next = join(second);
    assertThat(next.pod().id()).isEqualTo("a");
    assertThat(third).isNotDone();
    next.close();
    assertThat(join(third).pod().id()).isEqualTo("a");
    assertThat(manager.load("a")).isEqualTo(1);
    assertThat(progress).anyMatch(m -> m.startsWith("Waiting for a free pod"));
  }

  @Test
  void acquire_startsAStoppedSdkPod_beforeDeployingANewOne() {
    provider.add("old", PodStatus.EXITED, true);
    CompletableFuture<Lease> f = manager.placement().acquire(Optional.empty(), progress::add);
    provider.serve("old");
    assertThat(join(f).pod().id()).isEqualTo("old");
    assertThat(provider.calls).contains("start old").noneMatch(c -> c.startsWith("deploy"));
    assertThat(progress).contains("Starting stopped pod old");
  }

  @Test
  void acquire_whenAStoppedPodCannotStart_deploysANewOne() {
    provider.add("old", PodStatus.EXITED, true);
    provider.failStart = true;
    CompletableFuture<Lease> f = manager.placement().acquire(Optional.empty(), progress::add);
    provider.serve("pod-1");
    assertThat(join(f).pod().id()).isEqualTo("pod-1");
    assertThat(provider.calls).contains("start old", "deploy pod-1");
  }

  @Test
  void acquire_ignoresPodsOthersStopped_thatAreNotOurs() {
    provider.add("theirs", PodStatus.EXITED, false);
    CompletableFuture<Lease> f = manager.placement().acquire(Optional.empty(), progress::add);
    provider.serve("pod-1");
    assertThat(join(f).pod().id()).isEqualTo("pod-1");
    assertThat(provider.calls).doesNotContain("start theirs");
  }

  @Test
  void acquire_whenThePodErrors_failsSayingWhatToTry() {
    CompletableFuture<Lease> f = manager.placement().acquire(Optional.empty(), progress::add);
    provider.set("pod-1", PodStatus.ERROR);
    assertThatThrownBy(() -> join(f))
        .isInstanceOf(PodProvisioningException.class)
        .hasMessageContaining("pod-1 went to ERROR")
        .hasMessageContaining("another GPU type")
        .satisfies(e -> assertThat(((PodProvisioningException) e).canManual()).isTrue());
    assertThat(provider.calls).contains("terminate pod-1");
  }

  @Test
  void acquire_whenThePodNeverBecomesReady_terminatesItAfterTheTimeout() {
    manager.close();
    manager =
        manager(
            PodPolicy.builder()
                .apiPolling(Duration.ofMillis(5), Duration.ofMillis(5))
                .readyTimeout(Duration.ofMinutes(15))
                .build());
    CompletableFuture<Lease> f = manager.placement().acquire(Optional.empty(), progress::add);
    clock.advance(Duration.ofMinutes(16));
    assertThatThrownBy(() -> join(f))
        .isInstanceOf(PodProvisioningException.class)
        .hasMessageContaining("did not become ready within 15 min")
        .satisfies(e -> assertThat(((PodProvisioningException) e).canRetry()).isTrue());
    assertThat(provider.calls).contains("terminate pod-1");
  }

  @Test
  void acquire_targetPod_isHonoured_andUnknownOnesAreNamed() {
    provider.add("a", PodStatus.RUNNING, false);
    provider.add("b", PodStatus.RUNNING, false);
    provider.serve("a");
    provider.serve("b");
    assertThat(join(manager.placement().acquire(Optional.of("b"), progress::add)).pod().id())
        .isEqualTo("b");
    assertThatThrownBy(() -> join(manager.placement().acquire(Optional.of("zz"), progress::add)))
        .isInstanceOfSatisfying(
            PodNotFoundException.class,
            e -> {
              assertThat(e.podId()).isEqualTo("zz");
              assertThat(e.knownPods()).containsExactlyInAnyOrder("a", "b");
            })
        .hasMessageContaining("No pod 'zz'")
        .hasMessageContaining("known pods")
        .hasMessageContaining("a")
        .hasMessageContaining("b");
  }

  @Test
  void stopIdlePods_stopsOnlyPodsStartedHere_afterTheIdleTime_andNotWhileLeased() {
    provider.add("theirs", PodStatus.EXITED, false);
    CompletableFuture<Lease> f = manager.placement().acquire(Optional.empty(), progress::add);
    provider.serve("pod-1");
    Lease lease = join(f);

    clock.advance(Duration.ofMinutes(20));
    assertThat(join(manager.stopIdlePods())).isEmpty();

    lease.close();
    clock.advance(Duration.ofMinutes(14));
    assertThat(join(manager.stopIdlePods())).isEmpty();
    clock.advance(Duration.ofMinutes(2));
    assertThat(join(manager.stopIdlePods())).containsExactly("pod-1");
    assertThat(provider.calls).contains("stop pod-1").doesNotContain("stop theirs");
    assertThat(join(manager.stopIdlePods())).isEmpty();
  }

  @Test
  void stopIdlePods_canTerminate_orBeOff() {
    manager.close();
    manager =
        manager(
            PodPolicy.builder()
                .apiPolling(Duration.ofMillis(5), Duration.ofMillis(20))
                .probeInterval(Duration.ofMillis(5))
                .idleStop(Duration.ofMinutes(1), PodPolicy.IdleAction.TERMINATE)
                .build());
    CompletableFuture<Lease> f = manager.placement().acquire(Optional.empty(), progress::add);
    provider.serve("pod-1");
    join(f).close();
    clock.advance(Duration.ofMinutes(2));
    assertThat(join(manager.stopIdlePods())).containsExactly("pod-1");
    assertThat(provider.calls).contains("terminate pod-1");

    manager.close();
    manager = manager(PodPolicy.builder().idleStopOff().build());
    assertThat(join(manager.stopIdlePods())).isEmpty();
  }

  // --- Connections to pods that left service
  // ---------------------------------------------------------------

  /** A ready pod "a" leased, with an event stream open on its client as the studio keeps one. */
  Lease leaseWithEvents() {
    provider.add("a", PodStatus.RUNNING, true);
    provider.serve("a");
    Lease lease = acquire();
    manager.comfyUi(lease.pod()).openEvents("studio", io.openavathar.comfy.ComfyEventListener.NONE);
    awaitSockets(1);
    return lease;
  }

  void awaitSockets(int n) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (comfy.connectedWebSockets() != n && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // an observable count, bounded by WAIT
    }
    assertThat(comfy.connectedWebSockets()).isEqualTo(n);
  }

  @Test
  void stop_closesThePodsClientAndEventStream_andARestartedPodConnectsAgain() {
    Lease lease = leaseWithEvents();
    ComfyUiClient before = manager.comfyUi(lease.pod());
    lease.close();

    join(manager.stop("a"));

    awaitSockets(0);
    // The old client is closed (its stream no longer reconnects); the restarted pod gets a new one.
    assertThatThrownBy(() -> join(before.systemStats())).isNotNull();
    join(manager.start("a"));
    provider.serve("a");
    Lease again = acquire();
    ComfyUiClient after = manager.comfyUi(again.pod());
    assertThat(after).isNotSameAs(before);
    after.openEvents("studio", io.openavathar.comfy.ComfyEventListener.NONE);
    awaitSockets(1);
  }

  @Test
  void stop_ofAPodWithAJob_keepsItsConnectionUntilTheJobEnds() {
    Lease lease = leaseWithEvents();
    ComfyUiClient client = manager.comfyUi(lease.pod());

    join(manager.stop("a"));

    assertThat(manager.comfyUi(lease.pod())).isSameAs(client);
    assertThat(comfy.connectedWebSockets()).isEqualTo(1);
    lease.close();
    awaitSockets(0);
  }

  @Test
  void stopIdlePods_closesTheConnectionsOfThePodsItStops() {
    leaseWithEvents().close();
    manager.start("a"); // now started here, so idle stop covers it
    provider.serve("a");
    clock.advance(Duration.ofMinutes(16));

    assertThat(join(manager.stopIdlePods())).containsExactly("a");

    awaitSockets(0);
  }

  @Test
  void listing_closesTheConnectionsOfPodsStoppedOrTerminatedElsewhere() {
    leaseWithEvents().close();
    provider.set("a", PodStatus.EXITED);
    join(manager.listPods());
    awaitSockets(0);

    provider.serve("a");
    Lease again = acquire();
    manager.comfyUi(again.pod()).openEvents("studio", io.openavathar.comfy.ComfyEventListener.NONE);
    awaitSockets(1);
    again.close();
    provider.pods.remove("a");
    join(manager.listPods());
    awaitSockets(0);
  }
}
