package io.openavathar.internal.pod;

import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodPolicy;
import io.openavathar.pod.PodProvider;
import io.openavathar.pod.PodStatus;
import io.openavathar.store.JobQuery;
import io.openavathar.store.StartedPod;
import io.openavathar.store.StudioStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idle stop: decides which pods the SDK started sit idle and stops (or terminates, per {@link
 * PodPolicy#idleAction()}) them. The manager keeps the books (which pods it started, their jobs,
 * their connections); the reaper only reads them through {@link Fleet} and acts on the provider.
 */
final class IdleReaper {
  private static final Logger log = LoggerFactory.getLogger(IdleReaper.class);

  /** What the reaper needs of the pod manager. */
  interface Fleet {
    /**
     * Removes from the pods started here, and returns, those without a job whose last job ended
     * {@code idle} before {@code now}; the store forgets them too.
     */
    List<String> takeIdle(Duration idle, Instant now);

    /** When the pod last ended a job here, if it did. */
    Optional<Instant> lastActivity(String podId);

    /** Jobs on the pod here now. */
    int load(String podId);

    /** Forgets a pod the SDK started (it is stopped or gone). */
    void forget(String podId);

    /** The pod left service: its connections close once its jobs end. */
    void leftService(String podId);

    ComfyUiClient comfyUi(Pod pod);
  }

  private final Fleet fleet;
  private final PodProvider provider;
  private final PodPolicy policy;
  private final StudioStore store;
  private final Clock clock;
  private final Supplier<CompletableFuture<List<String>>> adoption;

  /**
   * {@code store} may be null (nothing survives the run); {@code adoption} is waited for before a
   * store sweep.
   */
  IdleReaper(
      Fleet fleet,
      PodProvider provider,
      PodPolicy policy,
      StudioStore store,
      Clock clock,
      Supplier<CompletableFuture<List<String>>> adoption) {
    this.fleet = fleet;
    this.provider = provider;
    this.policy = policy;
    this.store = store;
    this.clock = clock;
    this.adoption = adoption;
  }

  /**
   * Checks for idle pods periodically on {@code scheduler}, if the policy has an idle stop; null
   * otherwise.
   */
  ScheduledFuture<?> schedule(ScheduledExecutorService scheduler) {
    return policy
        .idleStop()
        .filter(d -> provider.canManagePods())
        .map(
            idle -> {
              long period = Math.max(1000, Math.min(60_000, idle.toMillis() / 4));
              return scheduler.scheduleAtFixedRate(
                  this::stopIdlePodsQuietly, period, period, TimeUnit.MILLISECONDS);
            })
        .orElse(null);
  }

  /**
   * The pods idle for the policy's idle time, stopped; completes with their ids. With a store, as
   * {@link #stopIdlePods(Duration)}: every pod the SDK started on it (by any studio sharing it),
   * unless a job of any studio is on it, its last activity on the store is recent, or its ComfyUI
   * queue is not empty. Without one, the pods started here that have had no job of ours for that
   * long.
   */
  CompletableFuture<List<String>> stopIdlePods() {
    Optional<Duration> idle = policy.idleStop();
    if (idle.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    if (store != null) {
      return stopIdlePods(idle.get());
    }
    List<String> idleIds = fleet.takeIdle(idle.get(), clock.instant());
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (String id : idleIds) {
      log.debug("Pod {} idle for {}: {}", id, idle.get(), policy.idleAction());
      calls.add(idleAction(id));
    }
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .thenApply(v -> List.copyOf(idleIds));
  }

  /** See {@link io.openavathar.pod.PodManager#stopIdlePods(Duration)}. */
  CompletableFuture<List<String>> stopIdlePods(Duration idle) {
    Objects.requireNonNull(idle, "idle");
    if (store == null || !provider.canManagePods()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return adoption
        .get()
        .handle((ids, e) -> null)
        .thenCompose(
            v -> {
              Instant now = clock.instant();
              Map<String, Instant> lastActive = new HashMap<>();
              for (StartedPod p : store.startedPods()) {
                if (p.provider().equals(provider.name())) {
                  Instant here = fleet.lastActivity(p.podId()).orElse(p.lastActivity());
                  lastActive.put(
                      p.podId(), here.isAfter(p.lastActivity()) ? here : p.lastActivity());
                }
              }
              Set<String> jobsOn = new HashSet<>();
              store.jobs(JobQuery.unfinished()).forEach(j -> j.podId().ifPresent(jobsOn::add));
              return provider
                  .listPods()
                  .thenCompose(
                      pods -> {
                        Set<String> listed = new HashSet<>();
                        List<CompletableFuture<Optional<String>>> checks = new ArrayList<>();
                        for (Pod pod : pods) {
                          listed.add(pod.id());
                          Instant last = lastActive.get(pod.id());
                          if (last == null
                              || pod.status() == PodStatus.EXITED
                              || jobsOn.contains(pod.id())
                              || fleet.load(pod.id()) > 0
                              || last.plus(idle).isAfter(now)) {
                            continue;
                          }
                          checks.add(
                              queueEmpty(pod)
                                  .thenCompose(
                                      empty -> {
                                        if (!empty || inUse(pod.id(), idle)) {
                                          return CompletableFuture.completedFuture(
                                              Optional.<String>empty());
                                        }
                                        log.debug(
                                            "Pod {} idle since {}: {}",
                                            pod.id(),
                                            last,
                                            policy.idleAction());
                                        fleet.forget(pod.id());
                                        return idleAction(pod.id())
                                            .thenApply(x -> Optional.of(pod.id()));
                                      }));
                        }
                        lastActive.keySet().stream()
                            .filter(id -> !listed.contains(id))
                            .forEach(fleet::forget);
                        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
                            .thenApply(
                                x ->
                                    checks.stream()
                                        .map(CompletableFuture::join)
                                        .flatMap(Optional::stream)
                                        .toList());
                      });
            });
  }

  /**
   * Whether, looked at again just before the stop, a studio sharing the store has begun using the
   * pod since the first look: a job of any studio on it, or activity on it within {@code idle}.
   * Narrows (does not close) the window in which another studio leases the pod as it is stopped;
   * such a job fails over to another pod.
   */
  private boolean inUse(String podId, Duration idle) {
    Instant now = clock.instant();
    boolean active =
        store.startedPods().stream()
            .filter(p -> p.podId().equals(podId))
            .anyMatch(p -> p.lastActivity().plus(idle).isAfter(now));
    return active
        || fleet.load(podId) > 0
        || store.jobs(JobQuery.unfinished()).stream()
            .anyMatch(j -> j.podId().filter(podId::equals).isPresent());
  }

  /** Stops or terminates an idle pod, then closes the connections to it. */
  private CompletableFuture<?> idleAction(String podId) {
    CompletableFuture<?> call =
        policy.idleAction() == PodPolicy.IdleAction.TERMINATE
            ? provider.terminate(podId)
            : provider.stop(podId);
    return call.thenRun(() -> fleet.leftService(podId));
  }

  /**
   * Whether ComfyUI on the pod runs or queues nothing (true when it does not answer: it works for
   * no one).
   */
  private CompletableFuture<Boolean> queueEmpty(Pod pod) {
    if (pod.comfyUiUrl().isEmpty()) {
      return CompletableFuture.completedFuture(true);
    }
    return fleet
        .comfyUi(pod)
        .queue()
        .handle((q, e) -> e != null || (q.running().isEmpty() && q.pending().isEmpty()));
  }

  private void stopIdlePodsQuietly() {
    stopIdlePods()
        .whenComplete(
            (ids, e) -> {
              if (e != null) {
                log.warn("Could not stop an idle pod; will try again: {}", e.getMessage());
              }
            });
  }
}
