package io.openavathar.internal.pod;

import io.openavathar.InvalidInputException;
import io.openavathar.OpenAvatharException;
import io.openavathar.PodNotFoundException;
import io.openavathar.PodProvisioningException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.Setting;
import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.pod.GpuOffer;
import io.openavathar.pod.GpuType;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodLogListener;
import io.openavathar.pod.PodLogStream;
import io.openavathar.pod.PodManager;
import io.openavathar.pod.PodPolicy;
import io.openavathar.pod.PodProvider;
import io.openavathar.pod.PodSpec;
import io.openavathar.pod.PodStatus;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policy over a {@link PodProvider}: finds a pod that serves ComfyUI for each job, starting or
 * deploying one when none is ready, spreads jobs over ready pods, and stops pods it started once
 * they sit idle. Obtain the studio's from {@code AvatarStudio.pods()}; thread-safe; never blocks
 * the calling thread.
 *
 * <p>The choice for a job: the request's pod if given; else the least-loaded ready pod; else a pod
 * already starting; else a stopped SDK pod is started; else a new one is deployed from {@link
 * PodPolicy#deploySpec()} — at most {@link PodPolicy#maxPods()} pods are started automatically, and
 * jobs beyond that wait for them. Ready means: the provider reports RUNNING with ComfyUI's port
 * mapped, and ComfyUI answers {@code /system_stats}.
 */
public final class DefaultPodManager implements PodManager, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DefaultPodManager.class);

  private final PodProvider provider;
  private final PodPolicy policy;
  private final Function<URI, ComfyUiClient> clientFactory;
  private final io.openavathar.store.StudioStore store;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Map<URI, ComfyUiClient> clients = new ConcurrentHashMap<>();

  /**
   * The ComfyUI URL each pod's client was made for, so that the client can be closed when the pod
   * leaves.
   */
  private final Map<String, URI> clientUrls = new ConcurrentHashMap<>();

  /**
   * Pods that left service (stopped, terminated, gone) whose client closes once their last job
   * ends.
   */
  private final Set<String> leaving = ConcurrentHashMap.newKeySet();

  /** Why each pod last failed its ComfyUI probe, for messages. */
  private final Map<String, String> probeFailures = new ConcurrentHashMap<>();

  private final Object lock = new Object();

  /** Jobs in flight per pod, the line of waiting jobs, and when each pod last ended a job. */
  private final PodSlots slots;

  /** Deploys and starts this manager requested, until their pod serves ComfyUI. */
  private final BootTimes boots;

  /** Pods this manager deployed or started, so it may stop them when idle (guarded by lock). */
  private final Map<String, Instant> startedHere = new HashMap<>();

  /** A pod being started or deployed for waiting jobs, shared by all of them (guarded by lock). */
  private CompletableFuture<Pod> pending;

  private final IdleReaper reaper;
  private final ScheduledFuture<?> idleTask;

  /**
   * The look-up of pods an earlier run was creating when it stopped (see {@link
   * #adoptIntendedPods()}).
   */
  private final CompletableFuture<List<String>> adoption;

  /**
   * A manager over {@code provider}. {@code clients} makes the ComfyUI client of a pod URL (cached
   * per URL); {@code scheduler} runs polls and the idle check; neither is shut down by {@link
   * #close()}.
   */
  public DefaultPodManager(
      PodProvider provider,
      PodPolicy policy,
      Function<URI, ComfyUiClient> clients,
      ScheduledExecutorService scheduler,
      Clock clock) {
    this(provider, policy, clients, scheduler, clock, null);
  }

  /**
   * A manager that remembers in {@code store} which pods it started (and when they were last busy),
   * so that idle stop covers pods started by an earlier run of the application.
   */
  public DefaultPodManager(
      PodProvider provider,
      PodPolicy policy,
      Function<URI, ComfyUiClient> clients,
      ScheduledExecutorService scheduler,
      Clock clock,
      io.openavathar.store.StudioStore store) {
    this.store = store;
    this.slots = new PodSlots(policy.maxJobsPerPod(), clock, this::recordActivity);
    if (store != null) {
      for (io.openavathar.store.StartedPod p : store.startedPods()) {
        if (p.provider().equals(provider.name())) {
          startedHere.put(p.podId(), p.startedAt());
          slots.touch(p.podId(), p.lastActivity());
        }
      }
    }
    this.provider = Objects.requireNonNull(provider, "provider");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clientFactory = Objects.requireNonNull(clients, "clients");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.boots = new BootTimes(store, clock);
    this.reaper = new IdleReaper(new Books(), provider, policy, store, clock, this::adoption);
    this.idleTask = reaper.schedule(scheduler);
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

  public PodProvider provider() {
    return provider;
  }

  public PodPolicy policy() {
    return policy;
  }

  /** The ComfyUI client of a pod (one per pod URL, shared). */
  public ComfyUiClient comfyUi(Pod pod) {
    URI url =
        pod.comfyUiUrl()
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "Pod "
                            + pod.id()
                            + " exposes no ComfyUI URL (is port "
                            + PodSpec.COMFYUI_PORT
                            + "/http declared?)."));
    clientUrls.put(pod.id(), url);
    return clients.computeIfAbsent(url, clientFactory);
  }

  // --- Pod operations (delegated, with the manager's bookkeeping)
  // --------------------------------------------

  public CompletableFuture<List<Pod>> listPods() {
    return provider.listPods().thenApply(this::noteLeft);
  }

  public CompletableFuture<List<GpuType>> gpuTypes() {
    return provider.gpuTypes();
  }

  /**
   * Deploys a pod; the manager will stop it when idle like the pods it starts itself. With a store,
   * the pod's name is recorded before the create request, so that a run that crashes during the
   * create leaves a pod the next run adopts (see {@link #adoptIntendedPods()}); a create that fails
   * unclearly is looked up by that name at once.
   */
  public CompletableFuture<Pod> deploy(PodSpec spec) {
    Instant requested = clock.instant();
    return deployOnly(spec)
        .thenApply(
            pod -> {
              boots.requested(pod.id(), io.openavathar.store.PodBoot.Kind.DEPLOY, requested);
              return pod;
            });
  }

  private CompletableFuture<Pod> deployOnly(PodSpec spec) {
    if (store == null) {
      return provider.deploy(spec).thenApply(this::remember);
    }
    java.util.concurrent.atomic.AtomicReference<io.openavathar.store.PodIntent> intent =
        new java.util.concurrent.atomic.AtomicReference<>();
    return provider
        .deploy(
            spec,
            name -> {
              io.openavathar.store.PodIntent i =
                  new io.openavathar.store.PodIntent(name, provider.name(), clock.instant());
              store.podIntended(i);
              intent.set(i);
            })
        .handle(
            (pod, failure) -> {
              io.openavathar.store.PodIntent i = intent.get();
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
   * the create): a pod with such a name is adopted as one this manager started (idle stop and
   * {@link #podsStartedHere()} cover it); the intent is cleared either way. Runs when the manager
   * is made (see {@link #adoption()}); completes with the ids of the pods adopted. If the provider
   * cannot list its pods, the intents are kept for the next time.
   */
  public CompletableFuture<List<String>> adoptIntendedPods() {
    if (store == null || !provider.canManagePods()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return adopt(
        store.podIntents().stream().filter(i -> i.provider().equals(provider.name())).toList());
  }

  /** The look-up {@link #adoptIntendedPods()} started when this manager was made. */
  public CompletableFuture<List<String>> adoption() {
    return adoption;
  }

  private CompletableFuture<List<String>> adopt(List<io.openavathar.store.PodIntent> intents) {
    if (intents.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return provider
        .listPods()
        .thenApply(
            pods -> {
              List<String> adopted = new ArrayList<>();
              for (io.openavathar.store.PodIntent i : intents) {
                Optional<Pod> found =
                    pods.stream().filter(p -> p.name().equals(i.name())).findFirst();
                if (found.isPresent()) {
                  String id = found.get().id();
                  log.info(
                      "Adopted pod {} ({}), created by a run that stopped during the create",
                      id,
                      i.name());
                  synchronized (lock) {
                    startedHere.put(id, i.at());
                  }
                  slots.touch(id, i.at());
                  store.podStarted(
                      new io.openavathar.store.StartedPod(id, provider.name(), i.at(), i.at()));
                  adopted.add(id);
                }
                store.podIntentCleared(i.name());
              }
              return List.copyOf(adopted);
            });
  }

  public CompletableFuture<Pod> start(String podId) {
    Instant requested = clock.instant();
    return provider
        .start(podId)
        .thenApply(
            pod -> {
              boots.requested(pod.id(), io.openavathar.store.PodBoot.Kind.START, requested);
              return remember(pod);
            });
  }

  /**
   * Stops a pod and closes the connections to it once its jobs (if any) have ended; they move to
   * another pod.
   */
  public CompletableFuture<Pod> stop(String podId) {
    forget(podId);
    return provider
        .stop(podId)
        .thenApply(
            p -> {
              leftService(podId);
              return p;
            });
  }

  /** Terminates a pod and closes the connections to it once its jobs (if any) have ended. */
  public CompletableFuture<Void> terminate(String podId) {
    forget(podId);
    return provider.terminate(podId).thenRun(() -> leftService(podId));
  }

  public PodLogStream streamLogs(String podId, boolean follow, PodLogListener listener) {
    return provider.streamLogs(podId, follow, listener);
  }

  /**
   * Completes when the pod serves ComfyUI, or fails after {@code timeout} (the pod is left as it
   * is). With a store, a pod this manager deployed or started has its boot time recorded (request
   * to ready, per GPU type).
   */
  public CompletableFuture<Pod> awaitReady(String podId, Duration timeout) {
    return new ReadinessWaiter(provider, policy, this::comfyUi, scheduler, clock, podId, timeout)
        .start()
        .thenApply(
            pod -> {
              boots.ready(pod);
              return pod;
            });
  }

  private Pod remember(Pod pod) {
    leaving.remove(pod.id());
    Instant now = clock.instant();
    synchronized (lock) {
      startedHere.put(pod.id(), now);
    }
    slots.touch(pod.id(), now);
    if (store != null) {
      store.podStarted(new io.openavathar.store.StartedPod(pod.id(), provider.name(), now, now));
    }
    return pod;
  }

  private void forget(String podId) {
    boots.forget(podId);
    synchronized (lock) {
      startedHere.remove(podId);
    }
    if (store != null) {
      store.podForgotten(podId);
    }
  }

  // --- Choosing a pod for a job
  // ------------------------------------------------------------------------------

  /** A job's hold on a pod: counts toward its load and keeps it from idle stop until closed. */
  public static final class Lease implements AutoCloseable {
    private final Pod pod;
    private final PodSlots slots;
    private final java.util.concurrent.atomic.AtomicBoolean closed =
        new java.util.concurrent.atomic.AtomicBoolean();

    Lease(Pod pod, PodSlots slots) {
      this.pod = pod;
      this.slots = slots;
    }

    public Pod pod() {
      return pod;
    }

    /** Ends the lease (idempotent); the slot goes to the next job waiting for this pod. */
    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        slots.release(pod);
      }
    }
  }

  /**
   * A lease ended on {@code podId}: remember the activity durably (the store keeps it for pods the
   * SDK started, by any studio sharing it: their idle stops read it).
   */
  private void recordActivity(String podId) {
    closeIfLeftAndIdle(podId);
    storeActivity(podId);
  }

  private void storeActivity(String podId) {
    if (store != null) {
      try {
        store.podActive(podId, clock.instant());
      } catch (RuntimeException e) {
        log.warn("Could not record activity on pod {}: {}", podId, e.getMessage());
      }
    }
  }

  /** Jobs waiting for a free slot on a ready pod. */
  public int waitingJobs() {
    return slots.waiting();
  }

  /** Jobs in flight on a pod (through this manager's leases). */
  public int load(String podId) {
    return slots.load(podId);
  }

  /**
   * A ready pod for one job, leased: the request's pod if {@code targetPod} is given, else as the
   * class doc says. {@code progress} hears what is happening ("Requesting GPU pod", "Pod created,
   * waiting for it to start", "Pod is ready").
   */
  public CompletableFuture<Lease> acquire(Optional<String> targetPod, Consumer<String> progress) {
    // A lease is activity too: another studio's idle stop leaves the pod alone while its job
    // uploads (before the job's record names the pod).
    return (targetPod.isPresent() ? acquireTarget(targetPod.get(), progress) : acquireAny(progress))
        .thenApply(
            lease -> {
              storeActivity(lease.pod().id());
              return lease;
            });
  }

  private CompletableFuture<Lease> acquireAny(Consumer<String> progress) {
    return listPods()
        .thenCompose(
            pods -> {
              List<Pod> up =
                  pods.stream().filter(this::isComfyPod).filter(this::providerSaysUp).toList();
              List<CompletableFuture<Optional<Pod>>> probes = up.stream().map(this::probe).toList();
              return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new))
                  .thenCompose(
                      v -> {
                        List<Pod> ready =
                            probes.stream()
                                .map(CompletableFuture::join)
                                .flatMap(Optional::stream)
                                .toList();
                        if (!ready.isEmpty()) {
                          return leaseLeastLoaded(ready, progress);
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
  public CompletableFuture<Placement> placement(Optional<String> targetPod) {
    return listPods()
        .thenCompose(
            pods -> {
              List<Pod> candidates =
                  targetPod
                      .map(id -> pods.stream().filter(p -> p.id().equals(id)).toList())
                      .orElseGet(() -> pods.stream().filter(this::isComfyPod).toList());
              if (targetPod.isPresent() && candidates.isEmpty()) {
                return CompletableFuture.failedFuture(
                    new PodNotFoundException(
                        targetPod.get(), provider.name(), pods.stream().map(Pod::id).toList()));
              }
              List<Pod> up = candidates.stream().filter(this::providerSaysUp).toList();
              List<CompletableFuture<Optional<Placement>>> probes =
                  up.stream().map(this::readyPlacement).toList();
              return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new))
                  .thenCompose(
                      v -> {
                        Optional<Placement> ready =
                            probes.stream()
                                .map(CompletableFuture::join)
                                .flatMap(Optional::stream)
                                .min(
                                    java.util.Comparator.comparingInt(
                                        pl -> slots.load(pl.podId().orElseThrow())));
                        if (ready.isPresent()) {
                          return CompletableFuture.completedFuture(ready.get());
                        }
                        if (!provider.canManagePods()
                            || (targetPod.isEmpty() && !policy.autoStart())) {
                          return CompletableFuture.failedFuture(
                              new RemoteUnavailableException(
                                  "No ComfyUI server is ready ("
                                      + (pods.isEmpty() ? "no pods" : describe(pods))
                                      + "). Start ComfyUI or check ",
                                  Setting.COMFY_URL,
                                  ", then try again.",
                                  null));
                        }
                        Optional<Pod> restart =
                            targetPod.isPresent()
                                ? candidates.stream().findFirst()
                                : candidates.stream()
                                    .filter(Pod::isManaged)
                                    .filter(p -> p.status() != PodStatus.TERMINATED)
                                    .findFirst();
                        return restart.isPresent() && restart.get().gpuType().isPresent()
                            ? restartPlacement(restart.get())
                            : deployPlacement();
                      });
            });
  }

  /**
   * A ready pod's placement: its GPU type (else the one ComfyUI reports) and price; empty if
   * ComfyUI is not up.
   */
  private CompletableFuture<Optional<Placement>> readyPlacement(Pod pod) {
    return comfyUi(pod)
        .probe()
        .handle(
            (stats, e) -> {
              if (e != null) {
                return Optional.empty();
              }
              String gpu =
                  pod.gpuType()
                      .filter(t -> !t.isBlank())
                      .orElseGet(() -> stats.gpuName().orElse(""));
              return Optional.of(
                  new Placement(gpu, pod.costPerHour(), false, Optional.of(pod.id())));
            });
  }

  /**
   * A stopped pod that would be started, priced from the catalog of its cloud (0 when the catalog
   * does not say).
   */
  private CompletableFuture<Placement> restartPlacement(Pod pod) {
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
              return new Placement(gpuId, price, true, Optional.of(pod.id()));
            });
  }

  /** The first GPU a deploy would try (see {@link PodProvider#offers}), at its catalog price. */
  private CompletableFuture<Placement> deployPlacement() {
    return provider
        .offers(policy.deploySpec())
        .thenApply(
            offers -> {
              if (offers.isEmpty()) {
                throw new io.openavathar.NoGpuAvailableException(
                    List.of(),
                    List.of(),
                    List.of(Setting.MAX_PRICE, Setting.MIN_GPU_MEMORY, Setting.CLOUD),
                    "");
              }
              GpuOffer first = offers.get(0);
              return new Placement(
                  first.gpuId(), first.pricePerHour().orElse(0), true, Optional.empty());
            });
  }

  /**
   * Where a job would run: the GPU type (empty if unknown), the price per hour (0 if unknown),
   * whether a pod must start (or be deployed) first, and the pod if one exists.
   */
  public record Placement(
      String gpuType, double pricePerHour, boolean podMustStart, Optional<String> podId) {
    public Placement {
      java.util.Objects.requireNonNull(gpuType, "gpuType");
      java.util.Objects.requireNonNull(podId, "podId");
    }
  }

  private CompletableFuture<Lease> acquireTarget(String podId, Consumer<String> progress) {
    return provider
        .getPod(podId)
        .thenCompose(
            found -> {
              if (found.isEmpty() || found.get().status() == PodStatus.TERMINATED) {
                leftService(podId);
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
              if (providerSaysUp(pod)) {
                return probe(pod)
                    .thenCompose(
                        ready -> {
                          if (ready.isPresent()) {
                            return leaseLeastLoaded(List.of(ready.get()), progress);
                          }
                          if (!provider.canManagePods()) {
                            // A fixed server that does not answer will not be started by anyone:
                            // say so now.
                            return CompletableFuture.failedFuture(
                                new RemoteUnavailableException(
                                    "ComfyUI of pod "
                                        + podId
                                        + " does not answer ("
                                        + describe(List.of(pod))
                                        + "). Start it, or run"
                                        + " the job on another pod.",
                                    null));
                          }
                          return waitFor(pod.id(), progress);
                        });
              }
              if (pod.status() == PodStatus.EXITED && provider.canManagePods()) {
                leftService(podId);
                progress.accept("Starting pod " + podId);
                return start(podId).thenCompose(p -> waitFor(p.id(), progress));
              }
              return waitFor(pod.id(), progress);
            });
  }

  private CompletableFuture<Lease> waitFor(String podId, Consumer<String> progress) {
    progress.accept("Waiting for pod " + podId + " to serve ComfyUI");
    return awaitReady(podId, policy.readyTimeout())
        .thenCompose(
            p -> {
              progress.accept("Pod is ready");
              return leaseLeastLoaded(List.of(p), progress);
            });
  }

  private CompletableFuture<Lease> startOrDeploy(
      List<Pod> pods, List<Pod> up, Consumer<String> progress) {
    if (!provider.canManagePods() || !policy.autoStart()) {
      throw new RemoteUnavailableException(
          "No ComfyUI server is ready ("
              + (pods.isEmpty() ? "no pods" : describe(pods))
              + "). Start ComfyUI or check ",
          Setting.COMFY_URL,
          ", then try again.",
          null);
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
    return shared.thenCompose(p -> leaseLeastLoaded(List.of(p), progress));
  }

  /**
   * Under the lock: decide between waiting for a booting pod, starting a stopped one and deploying.
   */
  private CompletableFuture<Pod> chooseStart(
      List<Pod> pods, List<Pod> up, Consumer<String> progress) {
    List<Pod> managed = pods.stream().filter(Pod::isManaged).filter(this::isComfyPod).toList();
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
      return awaitReady(booting.get().id(), policy.readyTimeout());
    }
    long active = managed.stream().filter(p -> p.status() != PodStatus.EXITED).count();
    if (active >= policy.maxPods()) {
      return CompletableFuture.failedFuture(
          new PodProvisioningException(
              "All "
                  + policy.maxPods()
                  + " pods the SDK may start are in use but none serves ComfyUI ("
                  + describe(managed)
                  + "). Raise maxPods, or stop or terminate a broken pod.",
              false,
              true));
    }
    Optional<Pod> stopped =
        managed.stream().filter(p -> p.status() == PodStatus.EXITED).findFirst();
    if (stopped.isPresent()) {
      String id = stopped.get().id();
      progress.accept("Starting stopped pod " + id);
      return start(id)
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
    return awaitReady(id, policy.readyTimeout());
  }

  private CompletableFuture<Pod> deployAndWait(Consumer<String> progress) {
    progress.accept("Requesting GPU pod");
    return deploy(policy.deploySpec())
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
              return awaitReady(pod.id(), policy.readyTimeout())
                  .exceptionallyCompose(
                      e -> {
                        // A pod that never became ready is billed all the same: terminate it.
                        log.debug("Terminating pod {} that did not become ready", pod.id());
                        return terminate(pod.id())
                            .handle((v, t) -> null)
                            .thenCompose(v -> CompletableFuture.failedFuture(e));
                      });
            });
  }

  private CompletableFuture<Lease> leaseLeastLoaded(List<Pod> ready, Consumer<String> progress) {
    return slots.lease(ready, progress);
  }

  private boolean isComfyPod(Pod p) {
    return p.comfyUiUrl().isPresent() && p.status() != PodStatus.TERMINATED;
  }

  private boolean providerSaysUp(Pod p) {
    return p.status() == PodStatus.RUNNING
        && (!provider.canManagePods() || p.isServing(PodSpec.COMFYUI_PORT));
  }

  private CompletableFuture<Optional<Pod>> probe(Pod pod) {
    return comfyUi(pod)
        .probe()
        .handle(
            (s, e) -> {
              if (e != null) {
                log.debug("Pod {} does not serve ComfyUI yet: {}", pod.id(), e.toString());
                probeFailures.put(pod.id(), unwrap(e).getMessage());
                return Optional.empty();
              }
              probeFailures.remove(pod.id());
              return Optional.of(pod);
            });
  }

  private String describe(List<Pod> pods) {
    List<String> parts = new ArrayList<>();
    for (Pod p : pods) {
      String why = probeFailures.get(p.id());
      parts.add(
          p.id()
              + " "
              + p.rawStatus()
              + p.comfyUiUrl().map(u -> " at " + u).orElse("")
              + (why == null ? "" : ": " + why));
    }
    return String.join("; ", parts);
  }

  // --- Connections to pods that left service
  // ------------------------------------------------------------------

  /**
   * Notes the pods of a listing that left service (stopped, terminated, or no longer listed
   * although this manager holds a client for them), so that their connections close. Returns {@code
   * pods}.
   */
  private List<Pod> noteLeft(List<Pod> pods) {
    if (!provider.canManagePods()) {
      return pods; // your own servers are not stopped by anyone here; a client to one that is down
      // is kept
    }
    Set<String> listed = new java.util.HashSet<>();
    for (Pod p : pods) {
      listed.add(p.id());
      if (p.status() == PodStatus.EXITED || p.status() == PodStatus.TERMINATED) {
        leftService(p.id());
      }
    }
    clientUrls.keySet().stream()
        .filter(id -> !listed.contains(id))
        .toList()
        .forEach(this::leftService);
    return pods;
  }

  /**
   * A pod left service: its ComfyUI client (and with it the event streams opened on it, which would
   * otherwise keep reconnecting) is closed now if no job holds the pod, else when its last job
   * ends. A later job on the pod, once it is started again, makes a new client.
   */
  private void leftService(String podId) {
    if (clientUrls.containsKey(podId)) {
      leaving.add(podId);
      closeIfLeftAndIdle(podId);
    }
  }

  private void closeIfLeftAndIdle(String podId) {
    if (slots.load(podId) > 0 || !leaving.remove(podId)) {
      return;
    }
    URI url = clientUrls.remove(podId);
    if (url == null || clientUrls.containsValue(url)) {
      return; // another pod still uses this URL
    }
    ComfyUiClient client = clients.remove(url);
    if (client != null) {
      log.debug("Pod {} left service; closing its ComfyUI client {}", podId, client.displayUrl());
      closeQuietly(client);
    }
  }

  private static void closeQuietly(ComfyUiClient c) {
    try {
      c.close();
    } catch (RuntimeException e) {
      log.debug("Closing {} failed", c, e);
    }
  }

  // --- Idle stop (IdleReaper decides, this manager keeps the books)
  // ------------------------------------------

  /**
   * Stops (or terminates, per {@link PodPolicy#idleAction()}) every pod this manager started that
   * has had no job for {@link PodPolicy#idleStop()}. Runs by itself periodically; call it to check
   * now. Completes with the ids.
   */
  @Override
  public CompletableFuture<List<String>> stopIdlePods() {
    return reaper.stopIdlePods();
  }

  /**
   * Stops (or terminates, per {@link PodPolicy#idleAction()}) every pod the SDK started, in this or
   * any run on the same store, that has been idle for {@code idle}: its last job of ours ended at
   * least that long ago (the store's last activity), no unfinished job in the store and no lease
   * here uses it, and its ComfyUI queue is empty (a ComfyUI that does not answer counts as empty).
   * For use when no long-running studio is around ({@code openavathar pods stop-idle}, from cron).
   * Pods the SDK started that the provider no longer lists are forgotten. Completes with the ids
   * stopped; without a store, with none.
   */
  @Override
  public CompletableFuture<List<String>> stopIdlePods(Duration idle) {
    return reaper.stopIdlePods(idle);
  }

  /** The books the reaper reads: pods started here, their jobs and connections. */
  private final class Books implements IdleReaper.Fleet {
    @Override
    public List<String> takeIdle(Duration idle, Instant now) {
      List<String> idleIds = new ArrayList<>();
      synchronized (lock) {
        for (Map.Entry<String, Instant> e : startedHere.entrySet()) {
          String id = e.getKey();
          Instant last = slots.lastActivity(id).orElse(e.getValue());
          if (slots.load(id) == 0 && !last.plus(idle).isAfter(now)) {
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
      DefaultPodManager.this.forget(podId);
    }

    @Override
    public void leftService(String podId) {
      DefaultPodManager.this.leftService(podId);
    }

    @Override
    public ComfyUiClient comfyUi(Pod pod) {
      return DefaultPodManager.this.comfyUi(pod);
    }
  }

  /** Pods this manager started and may stop when idle. */
  public Set<String> podsStartedHere() {
    synchronized (lock) {
      return Set.copyOf(startedHere.keySet());
    }
  }

  /** Stops the idle check and closes the ComfyUI clients; pods keep running. */
  @Override
  public void close() {
    if (idleTask != null) {
      idleTask.cancel(false);
    }
    clients.values().forEach(DefaultPodManager::closeQuietly);
    clients.clear();
    clientUrls.clear();
  }

  @Override
  public String toString() {
    return "DefaultPodManager{" + provider.name() + ", " + policy + "}";
  }

  static OpenAvatharException unwrap(Throwable t) {
    Throwable c = t;
    while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    return c instanceof OpenAvatharException o ? o : new OpenAvatharException(c.toString(), c);
  }
}
