package io.openavathar.internal.job;

import io.openavathar.CancelOutcome;
import io.openavathar.JobProgress;
import io.openavathar.JobState;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What a backend may do to the job it runs: move it forward, report progress, learn of
 * cancellation.
 */
public interface JobControl {
  /** Moves the job to {@code state} (ignored once the job ended). */
  void transition(JobState state);

  /**
   * Moves the job to {@code state} announcing {@code first} as its progress instead of the state's
   * generic message (so listeners do not hear "Generating" just before what is being generated);
   * only {@code first} when the job is in that state already.
   */
  default void transition(JobState state, JobProgress first) {
    transition(state);
    progress(first);
  }

  /** Publishes progress (its fraction never goes down; ignored once the job ended). */
  void progress(JobProgress progress);

  /** Whether the job was cancelled; backends check it between steps. */
  boolean isCancelled();

  /**
   * From now on, a cancel of this job is carried out by {@code canceller}: when the job is
   * cancelled, the engine ends it and calls the canceller once, which stops whatever the job has on
   * the server and completes with what the server confirmed (it must not fail; the job's {@code
   * cancellation()} completes with it). Replaces the previous canceller. Returns false, and keeps
   * the previous one, if the job was already cancelled: then the caller must send nothing more to
   * the server (the previous canceller is at it).
   */
  boolean cancelWith(Supplier<CompletableFuture<CancelOutcome>> canceller);

  /**
   * Records (durably, before anything is sent) the pod, its ComfyUI base URL and the prompt id of
   * the submission about to be made.
   */
  void attach(String podId, String comfyUrl, String promptId, String clientId);
}
