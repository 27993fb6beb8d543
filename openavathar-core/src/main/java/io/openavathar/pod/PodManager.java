package io.openavathar.pod;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The studio's pods: lists, deploys, starts, stops and terminates them, streams their logs, and
 * stops the pods the SDK started once they sit idle. Obtain it from {@code AvatarStudio.pods()};
 * the studio closes it. Thread-safe; never blocks the calling thread.
 *
 * <p>For each job the studio uses the request's pod if given; else the least-loaded ready pod; else
 * a pod already starting; else a stopped SDK pod is started; else a new one is deployed from {@link
 * PodPolicy#deploySpec()} — at most {@link PodPolicy#maxPods()} pods are started automatically, and
 * jobs beyond that wait for them. Ready means: the provider reports RUNNING with ComfyUI's port
 * mapped, and ComfyUI answers {@code /system_stats}.
 */
public interface PodManager {

  PodProvider provider();

  PodPolicy policy();

  CompletableFuture<List<Pod>> listPods();

  CompletableFuture<List<GpuType>> gpuTypes();

  /**
   * Deploys a pod; the studio will stop it when idle like the pods it starts itself. With a store,
   * the pod's name is recorded before the create request, so that a run that crashes during the
   * create leaves a pod the next run adopts (see {@link #adoption()}); a create that fails
   * unclearly is looked up by that name at once.
   */
  CompletableFuture<Pod> deploy(PodSpec spec);

  /**
   * The look-up, started when the studio was built, of the pods an earlier run recorded it was
   * about to create (it stopped or crashed during the create): such a pod is adopted as one the SDK
   * started (idle stop and {@link #podsStartedHere()} cover it). Completes with the ids of the pods
   * adopted.
   */
  CompletableFuture<List<String>> adoption();

  CompletableFuture<Pod> start(String podId);

  /**
   * Stops a pod and closes the connections to it once its jobs (if any) have ended; they move to
   * another pod.
   */
  CompletableFuture<Pod> stop(String podId);

  /** Terminates a pod and closes the connections to it once its jobs (if any) have ended. */
  CompletableFuture<Void> terminate(String podId);

  PodLogStream streamLogs(String podId, boolean follow, PodLogListener listener);

  /**
   * Completes when the pod serves ComfyUI, or fails after {@code timeout} (the pod is left as it
   * is). With a store, a pod the SDK deployed or started has its boot time recorded (request to
   * ready, per GPU type).
   */
  CompletableFuture<Pod> awaitReady(String podId, Duration timeout);

  /** Jobs waiting for a pod. */
  int waitingJobs();

  /** Jobs in flight on a pod. */
  int load(String podId);

  /**
   * Stops (or terminates, per the policy) the pods the SDK started that sat idle for the policy's
   * idle time.
   */
  CompletableFuture<List<String>> stopIdlePods();

  /**
   * Stops every pod the SDK started (by any run on the same store) whose last job ended {@code
   * idle} ago, that no unfinished job in the store uses and whose ComfyUI queue is empty; completes
   * with their ids.
   */
  CompletableFuture<List<String>> stopIdlePods(Duration idle);

  /** The ids of the pods the SDK started (this run or, with a store, an earlier one). */
  Set<String> podsStartedHere();
}
