package io.openavathar.internal.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodStatus;
import io.openavathar.store.StartedPod;
import io.openavathar.store.StudioStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The books of placement: leases, waiting jobs, the pods started here, their store rows. */
class PodSlotsTest {
  final DefaultPodManagerTest.TestClock clock = new DefaultPodManagerTest.TestClock();
  final StudioStore store = StudioStore.inMemory();
  final List<ComfyUiClient> made = new CopyOnWriteArrayList<>();
  final PodConnections connections =
      new PodConnections(
          url -> {
            ComfyUiClient c = ComfyUiClient.builder().baseUrl(url).maxAttempts(1).build();
            made.add(c);
            return c;
          });
  final List<String> progress = new CopyOnWriteArrayList<>();

  final Pod a = pod("a");
  final Pod b = pod("b");

  static Pod pod(String id) {
    return Pod.builder(id)
        .status(PodStatus.RUNNING)
        .comfyUiUrl(URI.create("http://127.0.0.1:9/" + id))
        .build();
  }

  PodSlots slots(int maxJobsPerPod) {
    return new PodSlots(maxJobsPerPod, clock, "fake", store, connections);
  }

  @AfterEach
  void tearDown() {
    connections.close();
    store.close();
  }

  Lease lease(PodSlots slots, Pod... ready) {
    CompletableFuture<Lease> f = slots.lease(List.of(ready), progress::add);
    assertThat(f).isDone();
    return f.join();
  }

  @Test
  void lease_closedTwice_freesItsSlotOnce() {
    PodSlots slots = slots(2);
    Lease first = lease(slots, a);
    lease(slots, a);

    first.close();
    first.close();

    assertThat(slots.load("a")).isEqualTo(1);
  }

  @Test
  void lease_goesToTheLeastLoadedPod_thenToTheOneMostRecentlyActive() {
    PodSlots slots = slots(2);
    lease(slots, a).close();
    clock.advance(Duration.ofMinutes(1));
    lease(slots, b).close();

    Lease recent = lease(slots, a, b);
    Lease other = lease(slots, a, b);

    assertThat(recent.pod().id()).isEqualTo("b");
    assertThat(other.pod().id()).isEqualTo("a");
  }

  @Test
  void release_givesTheSlotToTheFirstJobWaitingForThatPod() {
    PodSlots slots = slots(1);
    Lease held = lease(slots, a);
    CompletableFuture<Lease> onB = slots.lease(List.of(b), progress::add);
    CompletableFuture<Lease> waiting = slots.lease(List.of(a), progress::add);
    CompletableFuture<Lease> later = slots.lease(List.of(a), progress::add);
    assertThat(waiting).isNotDone();
    assertThat(slots.waiting()).isEqualTo(2);
    assertThat(progress).contains("Waiting for a free pod (1 in line)");

    held.close();

    assertThat(onB).isDone();
    assertThat(waiting).isCompleted();
    assertThat(waiting.join().pod().id()).isEqualTo("a");
    assertThat(later).isNotDone();
    assertThat(slots.load("a")).isEqualTo(1);
    assertThat(slots.waiting()).isEqualTo(1);
  }

  @Test
  void release_ofAPodStartedHere_recordsItsActivityInTheStore_andOfOthersNot() {
    PodSlots slots = slots(2);
    Instant started = clock.instant();
    slots.started("a", started);
    Lease onA = lease(slots, a);
    Lease onB = lease(slots, b);
    clock.advance(Duration.ofMinutes(5));

    onA.close();
    onB.close();

    assertThat(store.startedPods())
        .containsExactly(new StartedPod("a", "fake", started, clock.instant()));
    assertThat(slots.lastActivity("b")).contains(clock.instant());
  }

  @Test
  void leftService_closesThePodsConnectionOnlyOnceItsLastJobEnds() {
    PodSlots slots = slots(2);
    ComfyUiClient client = connections.client(a);
    Lease first = lease(slots, a);
    Lease second = lease(slots, a);

    slots.leftService("a");
    first.close();
    assertThat(PodConnectionsTest.isClosed(client)).isFalse();
    second.close();

    assertThat(PodConnectionsTest.isClosed(client)).isTrue();
    assertThat(connections.podIds()).isEmpty();
  }

  @Test
  void leftService_ofAPodWithoutJobs_closesItsConnectionAtOnce() {
    PodSlots slots = slots(2);
    ComfyUiClient client = connections.client(a);

    slots.leftService("a");

    assertThat(PodConnectionsTest.isClosed(client)).isTrue();
  }

  @Test
  void takeIdle_takesThePodsStartedHereWithoutJobsIdleLongEnough_andTheStoreForgetsThem() {
    PodSlots slots = slots(2);
    Instant t0 = clock.instant();
    slots.started("a", t0);
    slots.started("b", t0);
    slots.started("c", t0);
    Lease busy = lease(slots, b);
    clock.advance(Duration.ofMinutes(10));
    lease(slots, c()).close(); // c was active 10 minutes later than the others

    List<String> idle = slots.takeIdle(Duration.ofMinutes(10), clock.instant());

    assertThat(idle).containsExactly("a");
    assertThat(slots.startedHere()).containsExactlyInAnyOrder("b", "c");
    assertThat(store.startedPods())
        .extracting(StartedPod::podId)
        .containsExactlyInAnyOrder("b", "c");
    busy.close();
  }

  Pod c() {
    return pod("c");
  }

  @Test
  void podsAnEarlierRunStarted_areTakenOverFromTheStore_andForgottenThere() {
    Instant earlier = clock.instant().minus(Duration.ofHours(1));
    store.podStarted(new StartedPod("old", "fake", earlier, earlier.plusSeconds(60)));
    store.podStarted(new StartedPod("elsewhere", "other", earlier, earlier));
    PodSlots slots = slots(2);

    assertThat(slots.startedHere()).containsExactly("old");
    assertThat(slots.lastActivity("old")).contains(earlier.plusSeconds(60));

    slots.forget("old");

    assertThat(slots.startedHere()).isEmpty();
    assertThat(store.startedPods()).extracting(StartedPod::podId).containsExactly("elsewhere");
  }
}
