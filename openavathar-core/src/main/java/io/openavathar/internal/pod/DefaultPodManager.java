package io.openavathar.internal.pod;

import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.pod.GpuType;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodLogListener;
import io.openavathar.pod.PodLogStream;
import io.openavathar.pod.PodManager;
import io.openavathar.pod.PodPolicy;
import io.openavathar.pod.PodProvider;
import io.openavathar.pod.PodSpec;
import io.openavathar.store.StudioStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;

/**
 * The studio's {@link PodManager}: a thin facade over the parts that run its pods. Obtain the
 * studio's from {@code AvatarStudio.pods()}; thread-safe; never blocks the calling thread.
 *
 * <ul>
 *   <li>{@link PodPlacement} chooses and leases a pod for each job (its books: {@link PodSlots});
 *   <li>{@link PodLifecycle} deploys, starts, stops and terminates pods and waits until they serve
 *       ComfyUI ({@link ReadinessWaiter}, {@link BootTimes});
 *   <li>{@link PodConnections} keeps one ComfyUI client per pod;
 *   <li>{@link IdleReaper} stops the pods the SDK started once they sit idle.
 * </ul>
 */
public final class DefaultPodManager implements PodManager, AutoCloseable {
  private final PodProvider provider;
  private final PodPolicy policy;
  private final PodConnections connections;
  private final PodSlots slots;
  private final PodLifecycle lifecycle;
  private final PodPlacement placement;
  private final IdleReaper reaper;
  private final ScheduledFuture<?> idleTask;

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
      StudioStore store) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.policy = Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(clock, "clock");
    this.connections = new PodConnections(clients);
    this.slots = new PodSlots(policy.maxJobsPerPod(), clock, provider.name(), store, connections);
    this.lifecycle =
        new PodLifecycle(provider, policy, store, scheduler, clock, slots, connections);
    this.placement = new PodPlacement(provider, policy, lifecycle, slots, connections);
    this.reaper =
        new IdleReaper(lifecycle.fleet(), provider, policy, store, clock, lifecycle::adoption);
    this.idleTask = reaper.schedule(scheduler);
  }

  @Override
  public PodProvider provider() {
    return provider;
  }

  @Override
  public PodPolicy policy() {
    return policy;
  }

  /** Where jobs are placed: {@link PodPlacement#acquire} leases a ready pod. */
  public PodPlacement placement() {
    return placement;
  }

  /** The ComfyUI client of a pod (one per pod URL, shared). */
  public ComfyUiClient comfyUi(Pod pod) {
    return connections.client(pod);
  }

  @Override
  public CompletableFuture<List<Pod>> listPods() {
    return lifecycle.listPods();
  }

  @Override
  public CompletableFuture<List<GpuType>> gpuTypes() {
    return provider.gpuTypes();
  }

  @Override
  public CompletableFuture<Pod> deploy(PodSpec spec) {
    return lifecycle.deploy(spec);
  }

  @Override
  public CompletableFuture<List<String>> adoption() {
    return lifecycle.adoption();
  }

  @Override
  public CompletableFuture<Pod> start(String podId) {
    return lifecycle.start(podId);
  }

  @Override
  public CompletableFuture<Pod> stop(String podId) {
    return lifecycle.stop(podId);
  }

  @Override
  public CompletableFuture<Void> terminate(String podId) {
    return lifecycle.terminate(podId);
  }

  @Override
  public PodLogStream streamLogs(String podId, boolean follow, PodLogListener listener) {
    return provider.streamLogs(podId, follow, listener);
  }

  @Override
  public CompletableFuture<Pod> awaitReady(String podId, Duration timeout) {
    return lifecycle.awaitReady(podId, timeout);
  }

  @Override
  public int waitingJobs() {
    return slots.waiting();
  }

  @Override
  public int load(String podId) {
    return slots.load(podId);
  }

  @Override
  public CompletableFuture<List<String>> stopIdlePods() {
    return reaper.stopIdlePods();
  }

  @Override
  public CompletableFuture<List<String>> stopIdlePods(Duration idle) {
    return reaper.stopIdlePods(idle);
  }

  @Override
  public Set<String> podsStartedHere() {
    return slots.startedHere();
  }

  /** Stops the idle check and closes the ComfyUI clients; pods keep running. */
  @Override
  public void close() {
    if (idleTask != null) {
      idleTask.cancel(false);
    }
    connections.close();
  }

  @Override
  public String toString() {
    return "DefaultPodManager{" + provider.name() + ", " + policy + "}";
  }
}
