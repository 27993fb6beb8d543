package io.openavathar.internal.job;

import io.openavathar.JobProgress;
import io.openavathar.JobState;

/** What a backend may do to the job it runs: move it forward, report progress, learn of cancellation. */
public interface JobControl {
  /** Moves the job to {@code state} (ignored once the job ended). */
  void transition(JobState state);

  /** Publishes progress (its fraction never goes down; ignored once the job ended). */
  void progress(JobProgress progress);

  /** Whether the job was cancelled; backends check it between steps. */
  boolean isCancelled();

  /** Runs {@code hook} once when the job is cancelled (at once if it already was). */
  void onCancel(Runnable hook);

  /**
   * Records (durably, before anything is sent) the pod, its ComfyUI base URL and the prompt id of the submission about
   * to be made.
   */
  void attach(String podId, String comfyUrl, String promptId);
}
