package io.openavathar.internal.pod;

import io.openavathar.pod.Pod;
import io.openavathar.store.StartedPod;
import io.openavathar.store.StudioStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The books of placement: the jobs in flight on each pod and the line of jobs waiting for a slot
 * (at most {@code maxJobsPerPod} leases per pod, the least-loaded ready pod first, waiting jobs
 * served first come first served as slots free up, holding no thread), when each pod last ended a
 * job, and which pods the SDK started (so that idle stop may stop them). The one writer of the
 * store's started-pod rows: a pod started, active, forgotten. A {@link Lease} is released here; the
 * pod's connection closes when its last lease ends after it left service. Thread-safe.
 */
final class PodSlots {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PodSlots.class);

  /** A job waiting for a slot on one of these ready pods. */
  private record Waiter(CompletableFuture<Lease> lease, Map<String, Pod> pods) {}

  private final int maxJobsPerPod;
  private final Clock clock;
  private final String providerName;

  /** Where the pods started here are remembered across runs; null: nowhere. */
  private final StudioStore store;

  private final PodConnections connections;

  private final Object lock = new Object();
  private final Map<String, Integer> leases = new HashMap<>();
  private final Map<String, Instant> lastActivity = new HashMap<>();
  private final Deque<Waiter> waiters = new ArrayDeque<>();

  /** Pods the SDK started, and when, so that they may be stopped when idle. */
  private final Map<String, Instant> startedHere = new HashMap<>();

  /**
   * Books for the pods of {@code providerName}, taking over from {@code store} (may be null) the
   * pods an earlier run started.
   */
  PodSlots(
      int maxJobsPerPod,
      Clock clock,
      String providerName,
      StudioStore store,
      PodConnections connections) {
    this.maxJobsPerPod = maxJobsPerPod;
    this.clock = clock;
    this.providerName = providerName;
    this.store = store;
    this.connections = connections;
    if (store != null) {
      for (StartedPod p : store.startedPods()) {
        if (p.provider().equals(providerName)) {
          startedHere.put(p.podId(), p.startedAt());
          lastActivity.put(p.podId(), p.lastActivity());
        }
      }
    }
  }

  /**
   * A lease on the least-loaded ready pod, or a place in line when every one of them is full. A
   * lease is activity on the pod, recorded in the store too (a lease given to a waiting job is
   * recorded by the {@link #release} that frees its slot): another studio sharing the store leaves
   * the pod alone while the job uploads, before the job's record names the pod.
   */
  CompletableFuture<Lease> lease(List<Pod> ready, Consumer<String> progress) {
    Lease leased;
    synchronized (lock) {
      Pod best =
          ready.stream()
              .min(
                  Comparator.<Pod>comparingInt(p -> leases.getOrDefault(p.id(), 0))
                      .thenComparing(
                          p -> lastActivity.getOrDefault(p.id(), Instant.MIN),
                          Comparator.reverseOrder()))
              .orElseThrow();
      if (leases.getOrDefault(best.id(), 0) >= maxJobsPerPod) {
        Map<String, Pod> byId = new HashMap<>();
        ready.forEach(p -> byId.put(p.id(), p));
        Waiter w = new Waiter(new CompletableFuture<>(), byId);
        waiters.add(w);
        progress.accept("Waiting for a free pod (" + waiters.size() + " in line)");
        return w.lease();
      }
      leases.merge(best.id(), 1, Integer::sum);
      leased = new Lease(best, this);
    }
    storeActivity(leased.pod().id(), clock.instant());
    return CompletableFuture.completedFuture(leased);
  }

  /**
   * Records activity on a pod in the store, for the idle stops of every studio sharing it (the
   * store keeps it for pods the SDK started, whichever studio started them).
   */
  private void storeActivity(String podId, Instant at) {
    if (store != null) {
      try {
        store.podActive(podId, at);
      } catch (RuntimeException e) {
        log.warn("Could not record activity on pod {}: {}", podId, e.getMessage());
      }
    }
  }

  /**
   * Ends a lease (called once per lease, by {@link Lease#close()}): the activity is recorded (in
   * the store too, whichever studio started the pod), the pod's connection closes if it left
   * service and this was its last job, and the slot goes to the first job waiting for this pod, if
   * any.
   */
  void release(Pod pod) {
    String id = pod.id();
    Instant now = clock.instant();
    Optional<Map.Entry<Waiter, Lease>> next;
    boolean idle;
    synchronized (lock) {
      leases.merge(id, -1, (a, b) -> a + b <= 0 ? null : a + b);
      lastActivity.put(id, now);
      next = nextWaiter(pod);
      idle = !leases.containsKey(id);
    }
    if (idle) {
      connections.closeIfLeft(id);
    }
    storeActivity(id, now);
    // Completed outside the lock: the waiting job's next steps run on this thread.
    next.ifPresent(
        e -> {
          if (!e.getKey().lease().complete(e.getValue())) {
            e.getValue().close();
          }
        });
  }

  /** The caller holds the lock. */
  private Optional<Map.Entry<Waiter, Lease>> nextWaiter(Pod pod) {
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (w.lease().isDone()) {
        it.remove();
        continue;
      }
      Pod target = w.pods().get(pod.id());
      if (target != null && leases.getOrDefault(pod.id(), 0) < maxJobsPerPod) {
        it.remove();
        leases.merge(pod.id(), 1, Integer::sum);
        return Optional.of(Map.entry(w, new Lease(target, this)));
      }
    }
    return Optional.empty();
  }

  /** Jobs in flight on a pod. */
  int load(String podId) {
    synchronized (lock) {
      return leases.getOrDefault(podId, 0);
    }
  }

  /** Jobs waiting for a free slot on a ready pod. */
  int waiting() {
    synchronized (lock) {
      waiters.removeIf(w -> w.lease().isDone());
      return waiters.size();
    }
  }

  /** When the pod last ended a job, if known. */
  Optional<Instant> lastActivity(String podId) {
    synchronized (lock) {
      return Optional.ofNullable(lastActivity.get(podId));
    }
  }

  /** The SDK started (or adopted) the pod at {@code at}: idle stop covers it from now on. */
  void started(String podId, Instant at) {
    synchronized (lock) {
      startedHere.put(podId, at);
      lastActivity.put(podId, at);
    }
    if (store != null) {
      store.podStarted(new StartedPod(podId, providerName, at, at));
    }
  }

  /** The pod is no longer one the SDK may stop (it is stopped or gone). */
  void forget(String podId) {
    synchronized (lock) {
      startedHere.remove(podId);
    }
    if (store != null) {
      store.podForgotten(podId);
    }
  }

  /**
   * Removes from the pods started here, and returns, those without a job whose last job ended
   * {@code idle} before {@code now}; the store forgets them too.
   */
  List<String> takeIdle(Duration idle, Instant now) {
    List<String> idleIds = new ArrayList<>();
    synchronized (lock) {
      for (Map.Entry<String, Instant> e : startedHere.entrySet()) {
        String id = e.getKey();
        Instant last = lastActivity.getOrDefault(id, e.getValue());
        if (leases.getOrDefault(id, 0) == 0 && !last.plus(idle).isAfter(now)) {
          idleIds.add(id);
        }
      }
      idleIds.forEach(startedHere::remove);
    }
    if (store != null) {
      idleIds.forEach(store::podForgotten);
    }
    return idleIds;
  }

  /** The pods the SDK started and may stop when idle. */
  Set<String> startedHere() {
    synchronized (lock) {
      return Set.copyOf(startedHere.keySet());
    }
  }

  /**
   * The pod left service (stopped, terminated, gone): its connection closes now if no job holds it,
   * else when its last job ends.
   */
  void leftService(String podId) {
    if (connections.leaving(podId) && load(podId) == 0) {
      connections.closeIfLeft(podId);
    }
  }
}
