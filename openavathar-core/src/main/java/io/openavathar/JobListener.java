package io.openavathar;

/**
 * Hears a job's state changes and progress. Every method is a no-op by default, so new events can
 * be added. Called on SDK threads (OkHttp or the studio's scheduler), one call at a time per job,
 * in the order the job's changes were stored (a listener that cancels the job hears the end after
 * the event it is in); must be fast, must not block, and should not throw (a throwing listener is
 * logged at WARN and the job goes on).
 */
public interface JobListener {
  /** Ignores everything. */
  JobListener NONE = new JobListener() {};

  /**
   * The job moved from {@code from} to {@code to}; when {@code to} is terminal, the future is
   * already complete.
   *
   * @param job the job
   * @param from the previous state
   * @param to the new state
   */
  default void onStateChanged(GenerationJob job, JobState from, JobState to) {}

  /**
   * New progress; {@link JobProgress#fraction()} never goes down within a job.
   *
   * @param job the job
   * @param progress the new snapshot
   */
  default void onProgress(GenerationJob job, JobProgress progress) {}
}
