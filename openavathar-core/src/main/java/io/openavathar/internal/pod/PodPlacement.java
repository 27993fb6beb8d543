package io.openavathar.internal.pod;

import io.openavathar.NoGpuAvailableException;
import io.openavathar.PodNotFoundException;
import io.openavathar.PodProvisioningException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.Setting;
import io.openavathar.pod.GpuOffer;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodPolicy;
import io.openavathar.pod.PodProvider;
import io.openavathar.pod.PodStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Placement of jobs on pods: finds a pod that serves ComfyUI for each job and leases it. The
 * choice: the request's pod if given; else the least-loaded ready pod; else a pod already starting;
 * else a stopped SDK pod is started; else a new one is deployed from {@link PodPolicy#deploySpec()}
 * — at most {@link PodPolicy#maxPods()} pods are started automatically, and jobs beyond that wait
 * for them. Ready means: the provider reports RUNNING with ComfyUI's port mapped, and ComfyUI
 * answers {@code /system_stats}. Leases and waiting jobs are kept in {@link PodSlots}; starting,
 * deploying and waiting for readiness are {@link PodLifecycle}'s. Thread-safe; never blocks.
 */
public final class PodPlacement {
  private static final Logger log = LoggerFactory.getLogger(PodPlacement.class);

  private final PodProvider provider;
  private final PodPolicy policy;
  private final PodLifecycle lifecycle;
  private final PodSlots slots;
  private final PodProbes probes;

  private final Object lock = new Object();

  /** A pod being started or deployed for waiting jobs, shared by all of them (guarded by lock). */
  private CompletableFuture<Pod> pending;

  PodPlacement(
      PodProvider provider,
      PodPolicy policy,
      PodLifecycle lifecycle,
      PodSlots slots,
      PodConnections connections) {
    this.provider = provider;
    this.policy = policy;
    this.lifecycle = lifecycle;
    this.slots = slots;
    this.probes = new PodProbes(provider, connections);
  }

  /**
   * A ready pod for one job, leased: the request's pod if {@code targetPod} is given, else as the
   * class doc says. {@code progress} hears what is happening ("Requesting GPU pod", "Pod created,
   * waiting for it to start", "Pod is ready"). Close the lease when the job ends.
   */
  public CompletableFuture<Lease> acquire(Optional<String> targetPod, Consumer<String> progress) {
    if (targetPod.isPresent()) {
      return acquireTarget(targetPod.get(), progress);
    }
    return lifecycle
        .listPods()
        .thenCompose(
            pods -> {
              List<Pod> up =
                  pods.stream().filter(probes::isComfyPod).filter(probes::providerSaysUp).toList();
              return PodProbes.present(up.stream().map(probes::ready).toList())
                  .thenCompose(
                      ready -> {
                        if (!ready.isEmpty()) {
                          return slots.lease(ready, progress);
                        }
                        return startOrDeploy(pods, up, progress);
                      });
            });
  }

  /**
   * Where a job would run if it were submitted now, found without starting, deploying or leasing
   * anything: the request's pod if given; else the least-loaded ready pod; else the pod that would
   * be started or deployed (its GPU type and price from the provider's catalog). Used for cost
   * estimates.
   */
  public CompletableFuture<Preview> preview(Optional<String> targetPod) {
    return lifecycle
        .listPods()
        .thenCompose(
            pods -> {
              List<Pod> candidates =
                  targetPod
                      .map(id -> pods.stream().filter(p -> p.id().equals(id)).toList())
                      .orElseGet(() -> pods.stream().filter(probes::isComfyPod).toList());
              if (targetPod.isPresent() && candidates.isEmpty()) {
                return CompletableFuture.failedFuture(
                    new PodNotFoundException(
                        targetPod.get(), provider.name(), pods.stream().map(Pod::id).toList()));
              }
              List<Pod> up = candidates.stream().filter(probes::providerSaysUp).toList();
              return PodProbes.present(up.stream().map(this::readyPreview).toList())
                  .thenCompose(
                      previews -> {
                        Optional<Preview> ready =
                            previews.stream()
                                .min(
                                    Comparator.comparingInt(
                                        pl -> slots.load(pl.podId().orElseThrow())));
                        if (ready.isPresent()) {
                          return CompletableFuture.completedFuture(ready.get());
                        }
                        if (!provider.canManagePods()
                            || (targetPod.isEmpty() && !policy.autoStart())) {
                          return CompletableFuture.failedFuture(probes.noServerReady(pods));
                        }
                        Optional<Pod> restart =
                            targetPod.isPresent()
                                ? candidates.stream().findFirst()
                                : candidates.stream()
                                    .filter(Pod::isManaged)
                                    .filter(p -> p.status() != PodStatus.TERMINATED)
                                    .findFirst();
                        return restart.isPresent() && restart.get().gpuType().isPresent()
                            ? restartPreview(restart.get())
                            : deployPreview();
                      });
            });
  }

  /**
   * Where a job would run: the GPU type (empty if unknown), the price per hour (0 if unknown),
   * whether a pod must start (or be deployed) first, and the pod if one exists.
   */
  public record Preview(
      String gpuType, double pricePerHour, boolean podMustStart, Optional<String> podId) {
    public Preview {
      Objects.requireNonNull(gpuType, "gpuType");
      Objects.requireNonNull(podId, "podId");
    }
  }

  /**
   * A ready pod's preview: its GPU type (else the one ComfyUI reports) and price; empty if ComfyUI
   * is not up.
   */
  private CompletableFuture<Optional<Preview>> readyPreview(Pod pod) {
    return probes
        .stats(pod)
        .thenApply(
            answer ->
                answer.map(
                    stats -> {
                      String gpu =
                          pod.gpuType()
                              .filter(t -> !t.isBlank())
                              .orElseGet(() -> stats.gpuName().orElse(""));
                      return new Preview(gpu, pod.costPerHour(), false, Optional.of(pod.id()));
                    }));
  }

  /**
   * A stopped pod that would be started, priced from the catalog of its cloud (0 when the catalog
   * does not say).
   */
  private CompletableFuture<Preview> restartPreview(Pod pod) {
    String gpuId = pod.gpuType().orElseThrow();
    return provider
        .gpuTypes(pod.cloudType())
        .handle(
            (types, e) -> {
              double price =
                  e != null
                      ? 0
                      : types.stream()
                              .filter(t -> t.id().equals(gpuId))
                              .findFirst()
                              .map(t -> t.pricePerHour(pod.cloudType()).orElse(0))
                              .orElse(0.0)
                          * pod.gpuCount();
              return new Preview(gpuId, price, true, Optional.of(pod.id()));
            });
  }

  /** The first GPU a deploy would try (see {@link PodProvider#offers}), at its catalog price. */
  private CompletableFuture<Preview> deployPreview() {
    return provider
        .offers(policy.deploySpec())
        .thenApply(
            offers -> {
              if (offers.isEmpty()) {
                throw new NoGpuAvailableException(
                    List.of(),
                    List.of(),
                    List.of(Setting.MAX_PRICE, Setting.MIN_GPU_MEMORY, Setting.CLOUD),
                    "");
              }
              GpuOffer first = offers.get(0);
              return new Preview(
                  first.gpuId(), first.pricePerHour().orElse(0), true, Optional.empty());
            });
  }

  private CompletableFuture<Lease> acquireTarget(String podId, Consumer<String> progress) {
    return provider
        .getPod(podId)
        .thenCompose(
            found -> {
              if (found.isEmpty() || found.get().status() == PodStatus.TERMINATED) {
                slots.leftService(podId);
              }
              if (found.isEmpty()) {
                return provider
                    .listPods()
                    .thenApply(
                        all -> {
                          throw new PodNotFoundException(
                              podId, provider.name(), all.stream().map(Pod::id).toList());
                        });
              }
              Pod pod = found.get();
              if (probes.providerSaysUp(pod)) {
                return probes
                    .ready(pod)
                    .thenCompose(
                        ready -> {
                          if (ready.isPresent()) {
                            return slots.lease(List.of(ready.get()), progress);
                          }
                          if (!provider.canManagePods()) {
                            // A fixed server that does not answer will not be started by anyone:
                            // say so now.
                            return CompletableFuture.failedFuture(
                                new RemoteUnavailableException(
                                    "ComfyUI of pod "
                                        + podId
                                        + " does not answer ("
                                        + probes.describe(List.of(pod))
                                        + "). Start it, or run"
                                        + " the job on another pod.",
                                    null));
                          }
                          return waitFor(pod.id(), progress);
                        });
              }
              if (pod.status() == PodStatus.EXITED && provider.canManagePods()) {
                slots.leftService(podId);
                progress.accept("Starting pod " + podId);
                return lifecycle.start(podId).thenCompose(p -> waitFor(p.id(), progress));
              }
              return waitFor(pod.id(), progress);
            });
  }

  private CompletableFuture<Lease> waitFor(String podId, Consumer<String> progress) {
    progress.accept("Waiting for pod " + podId + " to serve ComfyUI");
    return lifecycle
        .awaitReady(podId, policy.readyTimeout())
        .thenCompose(
            p -> {
              progress.accept("Pod is ready");
              return slots.lease(List.of(p), progress);
            });
  }

  private CompletableFuture<Lease> startOrDeploy(
      List<Pod> pods, List<Pod> up, Consumer<String> progress) {
    if (!provider.canManagePods() || !policy.autoStart()) {
      throw probes.noServerReady(pods);
    }
    CompletableFuture<Pod> shared;
    synchronized (lock) {
      if (pending == null || pending.isDone()) {
        pending = chooseStart(pods, up, progress);
        CompletableFuture<Pod> mine = pending;
        mine.whenComplete(
            (p, e) -> {
              synchronized (lock) {
                if (pending == mine) {
                  pending = null;
                }
              }
              if (e == null) {
                progress.accept("Pod is ready");
              }
            });
      } else {
        progress.accept("Waiting for a pod that is starting");
      }
      shared = pending;
    }
    return shared.thenCompose(p -> slots.lease(List.of(p), progress));
  }

  /**
   * Under the lock: decide between waiting for a booting pod, starting a stopped one and deploying.
   */
  private CompletableFuture<Pod> chooseStart(
      List<Pod> pods, List<Pod> up, Consumer<String> progress) {
    List<Pod> managed = pods.stream().filter(Pod::isManaged).filter(probes::isComfyPod).toList();
    Optional<Pod> booting =
        managed.stream()
            .filter(
                p ->
                    p.status() == PodStatus.PROVISIONING
                        || p.status() == PodStatus.STARTING
                        || p.status() == PodStatus.RUNNING)
            .findFirst();
    if (booting.isPresent()) {
      progress.accept("Pod " + booting.get().id() + " is starting, waiting for it");
      return lifecycle.awaitReady(booting.get().id(), policy.readyTimeout());
    }
    long active = managed.stream().filter(p -> p.status() != PodStatus.EXITED).count();
    if (active >= policy.maxPods()) {
      return CompletableFuture.failedFuture(
          new PodProvisioningException(
              "All "
                  + policy.maxPods()
                  + " pods the SDK may start are in use but none serves ComfyUI ("
                  + probes.describe(managed)
                  + "). Raise maxPods, or stop or terminate a broken pod.",
              false,
              true));
    }
    Optional<Pod> stopped =
        managed.stream().filter(p -> p.status() == PodStatus.EXITED).findFirst();
    if (stopped.isPresent()) {
      String id = stopped.get().id();
      progress.accept("Starting stopped pod " + id);
      return lifecycle
          .start(id)
          .exceptionallyCompose(
              e -> {
                // A stopped pod resumes on its old host, whose GPU may be rented out by now: deploy
                // a fresh one instead.
                log.debug("Could not start pod {} ({}); deploying a new one", id, e.toString());
                return deployAndWait(progress);
              })
          .thenCompose(
              p ->
                  p.id().equals(id)
                      ? readyAfterStart(id, progress)
                      : CompletableFuture.completedFuture(p));
    }
    return deployAndWait(progress);
  }

  private CompletableFuture<Pod> readyAfterStart(String id, Consumer<String> progress) {
    progress.accept("Pod " + id + " started, waiting for ComfyUI");
    return lifecycle.awaitReady(id, policy.readyTimeout());
  }

  private CompletableFuture<Pod> deployAndWait(Consumer<String> progress) {
    progress.accept("Requesting GPU pod");
    return lifecycle
        .deploy(policy.deploySpec())
        .thenCompose(
            pod -> {
              progress.accept(
                  "Pod "
                      + pod.id()
                      + " created ("
                      + pod.gpuType().orElse("GPU")
                      + ", "
                      + pod.cloudType()
                      + " cloud), waiting for it to start");
              return lifecycle
                  .awaitReady(pod.id(), policy.readyTimeout())
                  .exceptionallyCompose(
                      e -> {
                        // A pod that never became ready is billed all the same: terminate it.
                        log.debug("Terminating pod {} that did not become ready", pod.id());
                        return lifecycle
                            .terminate(pod.id())
                            .handle((v, t) -> null)
                            .thenCompose(v -> CompletableFuture.failedFuture(e));
                      });
            });
  }
}
