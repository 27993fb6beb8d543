package io.openavathar.internal.pod;

import io.openavathar.OpenAvatharException;
import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodPolicy;
import io.openavathar.pod.PodProvider;
import io.openavathar.pod.PodSpec;
import io.openavathar.pod.PodStatus;
import io.openavathar.store.PodBoot;
import io.openavathar.store.PodIntent;
import io.openavathar.store.StudioStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to pods, over the {@link PodProvider}: deploy (with the pod's name recorded first,
 * so that a run that crashes during the create leaves a pod the next run adopts), start, stop,
 * terminate, and waiting until a pod serves ComfyUI (with its boot time). Each keeps the books
 * ({@link PodSlots}: the pods the SDK started) and the connections (a pod that leaves service has
 * its client closed once its jobs end). Used by the facade and by placement alike. Thread-safe.
 */
final class PodLifecycle {
  private static final Logger log = LoggerFactory.getLogger(PodLifecycle.class);

  private final PodProvider provider;
  private final PodPolicy policy;
  private final StudioStore store;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final PodSlots slots;
  private final PodConnections connections;

  /** Deploys and starts requested here, until their pod serves ComfyUI. */
  private final BootTimes boots;

  /** The look-up of pods an earlier run was creating when it stopped (see {@link #adoption()}). */
  private final CompletableFuture<List<String>> adoption;

  /** {@code store} may be null (nothing survives the run). Starts the adoption look-up. */
  PodLifecycle(
      PodProvider provider,
      PodPolicy policy,
      StudioStore store,
      ScheduledExecutorService scheduler,
      Clock clock,
      PodSlots slots,
      PodConnections connections) {
    this.provider = provider;
    this.policy = policy;
    this.store = store;
    this.scheduler = scheduler;
    this.clock = clock;
    this.slots = slots;
    this.connections = connections;
    this.boots = new BootTimes(store, clock);
    this.adoption = adoptIntendedPods();
    adoption.whenComplete(
        (ids, e) -> {
          if (e != null) {
            log.warn(
                "Could not look for pods an earlier run was creating; will look again on the next start: {}",
                unwrap(e).getMessage());
          }
        });
  }

  /** The provider's pods; those that left service have their connections closed. */
  CompletableFuture<List<Pod>> listPods() {
    return provider.listPods().thenApply(this::noteLeft);
  }

  /** See {@link io.openavathar.pod.PodManager#deploy}. */
  CompletableFuture<Pod> deploy(PodSpec spec) {
    Instant requested = clock.instant();
    return deployOnly(spec)
        .thenApply(
            pod -> {
              boots.requested(pod.id(), PodBoot.Kind.DEPLOY, requested);
              return pod;
            });
  }

  private CompletableFuture<Pod> deployOnly(PodSpec spec) {
    if (store == null) {
      return provider.deploy(spec).thenApply(this::remember);
    }
    AtomicReference<PodIntent> intent = new AtomicReference<>();
    return provider
        .deploy(
            spec,
            name -> {
              PodIntent i = new PodIntent(name, provider.name(), clock.instant());
              store.podIntended(i);
              intent.set(i);
            })
        .handle(
            (pod, failure) -> {
              PodIntent i = intent.get();
              if (failure == null) {
                remember(pod);
                if (i != null) {
                  store.podIntentCleared(i.name());
                }
                return CompletableFuture.completedFuture(pod);
              }
              if (i == null) {
                return CompletableFuture.<Pod>failedFuture(failure);
              }
              // The create may have made the pod although it failed: adopt it if it exists, so idle
              // stop covers it.
              return adopt(List.of(i))
                  .handle((ids, e) -> null)
                  .thenCompose(v -> CompletableFuture.<Pod>failedFuture(failure));
            })
        .thenCompose(f -> f);
  }

  /**
   * Looks up the pods an earlier run recorded it was about to create (it stopped or crashed during
   * the create): a pod with such a name is adopted as one the SDK started (idle stop covers it);
   * the intent is cleared either way. If the provider cannot list its pods, the intents are kept
   * for the next time. Completes with the ids of the pods adopted.
   */
  private CompletableFuture<List<String>> adoptIntendedPods() {
    if (store == null || !provider.canManagePods()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return adopt(
        store.podIntents().stream().filter(i -> i.provider().equals(provider.name())).toList());
  }

  /** The look-up of intended pods started when this was made. */
  CompletableFuture<List<String>> adoption() {
    return adoption;
  }

  private CompletableFuture<List<String>> adopt(List<PodIntent> intents) {
    if (intents.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return provider
        .listPods()
        .thenApply(
            pods -> {
              List<String> adopted = new ArrayList<>();
              for (PodIntent i : intents) {
                Optional<Pod> found =
                    pods.stream().filter(p -> p.name().equals(i.name())).findFirst();
                if (found.isPresent()) {
                  String id = found.get().id();
                  log.info(
                      "Adopted pod {} ({}), created by a run that stopped during the create",
                      id,
                      i.name());
                  slots.started(id, i.at());
                  adopted.add(id);
                }
                store.podIntentCleared(i.name());
              }
              return List.copyOf(adopted);
            });
  }

  CompletableFuture<Pod> start(String podId) {
    Instant requested = clock.instant();
    return provider
        .start(podId)
        .thenApply(
            pod -> {
              boots.requested(pod.id(), PodBoot.Kind.START, requested);
              return remember(pod);
            });
  }

  /** See {@link io.openavathar.pod.PodManager#stop}. */
  CompletableFuture<Pod> stop(String podId) {
    forget(podId);
    return provider
        .stop(podId)
        .thenApply(
            p -> {
              slots.leftService(podId);
              return p;
            });
  }

  /** See {@link io.openavathar.pod.PodManager#terminate}. */
  CompletableFuture<Void> terminate(String podId) {
    forget(podId);
    return provider.terminate(podId).thenRun(() -> slots.leftService(podId));
  }

  /** See {@link io.openavathar.pod.PodManager#awaitReady}. */
  CompletableFuture<Pod> awaitReady(String podId, Duration timeout) {
    return new ReadinessWaiter(
            provider, policy, connections::client, scheduler, clock, podId, timeout)
        .start()
        .thenApply(
            pod -> {
              boots.ready(pod);
              return pod;
            });
  }

  private Pod remember(Pod pod) {
    connections.serving(pod.id());
    slots.started(pod.id(), clock.instant());
    return pod;
  }

  /** The pod is stopped or gone: it is no longer the SDK's to stop, nor booting. */
  void forget(String podId) {
    boots.forget(podId);
    slots.forget(podId);
  }

  /**
   * Notes the pods of a listing that left service (stopped, terminated, or no longer listed
   * although they have a client), so that their connections close. Returns {@code pods}.
   */
  private List<Pod> noteLeft(List<Pod> pods) {
    if (!provider.canManagePods()) {
      return pods; // your own servers are not stopped by anyone here; a client to one that is down
      // is kept
    }
    Set<String> listed = new HashSet<>();
    for (Pod p : pods) {
      listed.add(p.id());
      if (p.status() == PodStatus.EXITED || p.status() == PodStatus.TERMINATED) {
        slots.leftService(p.id());
      }
    }
    connections.podIds().stream().filter(id -> !listed.contains(id)).forEach(slots::leftService);
    return pods;
  }

  /** What the idle reaper needs: the books, forgetting, and the connections. */
  IdleReaper.Fleet fleet() {
    return new IdleReaper.Fleet() {
      @Override
      public List<String> takeIdle(Duration idle, Instant now) {
        return slots.takeIdle(idle, now);
      }

      @Override
      public Optional<Instant> lastActivity(String podId) {
        return slots.lastActivity(podId);
      }

      @Override
      public int load(String podId) {
        return slots.load(podId);
      }

      @Override
      public void forget(String podId) {
        PodLifecycle.this.forget(podId);
      }

      @Override
      public void leftService(String podId) {
        slots.leftService(podId);
      }

      @Override
      public ComfyUiClient comfyUi(Pod pod) {
        return connections.client(pod);
      }
    };
  }

  /** The SDK exception a failed future carries (wrapped if it is none). */
  static OpenAvatharException unwrap(Throwable t) {
    Throwable c = t;
    while (c instanceof CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    return c instanceof OpenAvatharException o ? o : new OpenAvatharException(c.toString(), c);
  }
}
