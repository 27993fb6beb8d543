package io.openavathar.internal.pod;

import io.openavathar.pod.Pod;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The jobs in flight on each pod and the line of jobs waiting for a slot: at most {@code
 * maxJobsPerPod} leases per pod, the least-loaded ready pod first, waiting jobs served first come
 * first served as slots free up (holding no thread). Also remembers when each pod last ended a job,
 * for idle stop. Thread-safe.
 */
final class PodSlots {
  /** A job waiting for a slot on one of these ready pods. */
  private record Waiter(CompletableFuture<DefaultPodManager.Lease> lease, Map<String, Pod> pods) {}

  private final int maxJobsPerPod;
  private final Clock clock;

  /** Told the pod id each time a lease ends (the manager records the activity durably). */
  private final Consumer<String> onRelease;

  private final Object lock = new Object();
  private final Map<String, Integer> leases = new HashMap<>();
  private final Map<String, Instant> lastActivity = new HashMap<>();
  private final Deque<Waiter> waiters = new ArrayDeque<>();

  PodSlots(int maxJobsPerPod, Clock clock, Consumer<String> onRelease) {
    this.maxJobsPerPod = maxJobsPerPod;
    this.clock = clock;
    this.onRelease = onRelease;
  }

  /** A lease on the least-loaded ready pod, or a place in line when every one of them is full. */
  CompletableFuture<DefaultPodManager.Lease> lease(List<Pod> ready, Consumer<String> progress) {
    synchronized (lock) {
      Pod best =
          ready.stream()
              .min(
                  Comparator.<Pod>comparingInt(p -> leases.getOrDefault(p.id(), 0))
                      .thenComparing(
                          p -> lastActivity.getOrDefault(p.id(), Instant.MIN),
                          Comparator.reverseOrder()))
              .orElseThrow();
      if (leases.getOrDefault(best.id(), 0) < maxJobsPerPod) {
        leases.merge(best.id(), 1, Integer::sum);
        return CompletableFuture.completedFuture(new DefaultPodManager.Lease(best, this));
      }
      Map<String, Pod> byId = new HashMap<>();
      ready.forEach(p -> byId.put(p.id(), p));
      Waiter w = new Waiter(new CompletableFuture<>(), byId);
      waiters.add(w);
      progress.accept("Waiting for a free pod (" + waiters.size() + " in line)");
      return w.lease();
    }
  }

  /** Ends a lease: the slot goes to the first job waiting for this pod, if any. */
  void release(Pod pod) {
    Optional<Map.Entry<Waiter, DefaultPodManager.Lease>> next;
    synchronized (lock) {
      leases.merge(pod.id(), -1, (a, b) -> a + b <= 0 ? null : a + b);
      lastActivity.put(pod.id(), clock.instant());
      next = nextWaiter(pod);
    }
    onRelease.accept(pod.id());
    // Completed outside the lock: the waiting job's next steps run on this thread.
    next.ifPresent(
        e -> {
          if (!e.getKey().lease().complete(e.getValue())) {
            e.getValue().close();
          }
        });
  }

  /** The caller holds the lock. */
  private Optional<Map.Entry<Waiter, DefaultPodManager.Lease>> nextWaiter(Pod pod) {
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
        return Optional.of(Map.entry(w, new DefaultPodManager.Lease(target, this)));
      }
    }
    return Optional.empty();
  }

  int load(String podId) {
    synchronized (lock) {
      return leases.getOrDefault(podId, 0);
    }
  }

  int waiting() {
    synchronized (lock) {
      waiters.removeIf(w -> w.lease().isDone());
      return waiters.size();
    }
  }

  /** Records activity on a pod now (or at a remembered instant). */
  void touch(String podId, Instant at) {
    synchronized (lock) {
      lastActivity.put(podId, at);
    }
  }

  /** When the pod last ended a job, if known. */
  Optional<Instant> lastActivity(String podId) {
    synchronized (lock) {
      return Optional.ofNullable(lastActivity.get(podId));
    }
  }
}
