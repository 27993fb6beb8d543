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

  /**
   * The provider whose pods this manager handles.
   *
   * @return the provider
   */
  PodProvider provider();

  /**
   * The policy it starts, waits for and stops pods by.
   *
   * @return the policy
   */
  PodPolicy policy();

  /**
   * Every pod the provider can see, as {@link PodProvider#listPods()} reports them.
   *
   * @return completes with the pods
   */
  CompletableFuture<List<Pod>> listPods();

  /**
   * The provider's GPU types with prices and availability.
   *
   * @return completes with the GPU types
   */
  CompletableFuture<List<GpuType>> gpuTypes();

  /**
   * Deploys a pod; the studio will stop it when idle like the pods it starts itself. With a store,
   * the pod's name is recorded before the create request, so that a run that crashes during the
   * create leaves a pod the next run adopts (see {@link #adoption()}); a create that fails
   * unclearly is looked up by that name at once.
   *
   * @param spec what to deploy
   * @return completes with the new pod, usually not ready yet (see {@link #awaitReady})
   */
  CompletableFuture<Pod> deploy(PodSpec spec);

  /**
   * The look-up, started when the studio was built, of the pods an earlier run recorded it was
   * about to create (it stopped or crashed during the create): such a pod is adopted as one the SDK
   * started (idle stop and {@link #podsStartedHere()} cover it). Completes with the ids of the pods
   * adopted.
   *
   * @return completes with the ids of the adopted pods, often none
   */
  CompletableFuture<List<String>> adoption();

  /**
   * Starts (resumes) a stopped pod; the studio then treats it as one the SDK started.
   *
   * @param podId the pod's id
   * @return completes with the pod, usually not ready yet (see {@link #awaitReady})
   */
  CompletableFuture<Pod> start(String podId);

  /**
   * Stops a pod and closes the connections to it once its jobs (if any) have ended; they move to
   * another pod.
   *
   * @param podId the pod's id
   * @return completes with the stopped pod
   */
  CompletableFuture<Pod> stop(String podId);

  /**
   * Terminates a pod and closes the connections to it once its jobs (if any) have ended.
   *
   * @param podId the pod's id
   * @return completes when the provider accepted the termination
   */
  CompletableFuture<Void> terminate(String podId);

  /**
   * Streams a pod's log lines until closed, resuming after drops.
   *
   * @param podId the pod's id
   * @param follow true to keep streaming new lines (the end of the provider's stream counts as a
   *     drop), false to end when the provider ends the stream
   * @param listener hears the lines and the stream's changes
   * @return the stream; close it to stop
   */
  PodLogStream streamLogs(String podId, boolean follow, PodLogListener listener);

  /**
   * Completes when the pod serves ComfyUI, or fails after {@code timeout} (the pod is left as it
   * is). With a store, a pod the SDK deployed or started has its boot time recorded (request to
   * ready, per GPU type).
   *
   * @param podId the pod's id
   * @param timeout the longest wait
   * @return completes with the ready pod
   */
  CompletableFuture<Pod> awaitReady(String podId, Duration timeout);

  /**
   * Jobs waiting for a pod.
   *
   * @return the number of waiting jobs
   */
  int waitingJobs();

  /**
   * Jobs in flight on a pod.
   *
   * @param podId the pod's id
   * @return the number of jobs on it, 0 if none
   */
  int load(String podId);

  /**
   * Stops (or terminates, per the policy) the pods the SDK started that sat idle for the policy's
   * idle time.
   *
   * @return completes with the ids of the pods stopped
   */
  CompletableFuture<List<String>> stopIdlePods();

  /**
   * Stops every pod the SDK started (by any run on the same store) whose last job ended {@code
   * idle} ago, that no unfinished job in the store uses and whose ComfyUI queue is empty; completes
   * with their ids.
   *
   * @param idle how long a pod must have been idle
   * @return completes with the ids of the pods stopped
   */
  CompletableFuture<List<String>> stopIdlePods(Duration idle);

  /**
   * The ids of the pods the SDK started (this run or, with a store, an earlier one).
   *
   * @return the pod ids, immutable
   */
  Set<String> podsStartedHere();
}
