package io.openavathar;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A handle to one generation, returned at once by {@link AvatarStudio#generate}. Thread-safe.
 *
 * <pre>{@code
 * GenerationJob job = studio.generate(request);
 * job.addListener(new JobListener() {
 *   public void onProgress(GenerationJob j, JobProgress p) { System.out.println(p.message()); }
 * });
 * GeneratedVideo video = job.await(Duration.ofMinutes(30));
 * }</pre>
 */
public interface GenerationJob {

  /**
   * The job's id (a UUID string), also the ComfyUI prompt id of its submission.
   *
   * @return the job id, never null
   */
  String id();

  /**
   * The request this job runs, as given to {@link AvatarStudio#generate} (or as stored, for a job
   * resumed from the store).
   *
   * @return the request, never null
   */
  GenerationRequest request();

  /**
   * The seed used: the request's, or the random one chosen for it.
   *
   * @return the seed, 0 or more
   */
  long seed();

  /**
   * The job's current state; it changes on the studio's threads, so two calls may differ.
   *
   * @return the state now, never null
   */
  JobState state();

  /**
   * The latest progress snapshot.
   *
   * @return the latest snapshot, never null
   */
  JobProgress progress();

  /**
   * Completes with the video, or exceptionally with an {@link OpenAvatharException} subclass
   * ({@link JobCancelledException} when cancelled). Cancelling this future cancels the job.
   *
   * @return the job's future; the same instance on every call
   */
  CompletableFuture<GeneratedVideo> future();

  /**
   * Waits for the video at most {@code timeout}.
   *
   * @param timeout the longest time to wait; the job is not cancelled when it runs out
   * @return the finished video
   * @throws OpenAvatharException the job's own failure, unwrapped (never a {@code
   *     CompletionException})
   * @throws JobTimeoutException if the job is still running after {@code timeout} (the job goes on)
   */
  GeneratedVideo await(Duration timeout);

  /**
   * Cancels the job: it ends {@link JobState#CANCELLED} at once (its {@link #future()} fails with
   * {@link JobCancelledException}), and a prompt already in ComfyUI is removed from the queue if it
   * is pending or interrupted (by its prompt id) if it is running. The server's confirmation comes
   * later: see {@link #cancellation()}. {@link AvatarStudio#close()} waits (bounded) for cancels in
   * flight, so closing right after a cancel does not cut it off. Returns whether this call started
   * the cancel (false if the job had already ended or been cancelled).
   *
   * @return true if this call started the cancel
   */
  boolean cancel();

  /**
   * What the cancel did on the server, once the server confirmed it: ComfyUI interrupted the
   * running prompt (after the node or sampler step it was in: the real server does not stop at
   * once), removed the pending one, or the prompt had finished first; {@link
   * CancelOutcome.Kind#UNCONFIRMED} when the server could not be reached or did not confirm within
   * the studio's cancel timeout (the message then says how to stop the prompt). The outcome is also
   * written to the job's log. Never fails.
   *
   * <p>Completes only once the job was asked to cancel (by {@link #cancel()}, by cancelling {@link
   * #future()}, or through the studio's jobs); a cancel asked after the job ended completes it at
   * once with {@link CancelOutcome.Kind#FINISHED_FIRST}. A job that ends without a cancel never
   * completes it.
   *
   * @return a future of the cancel's outcome, a new copy on each call (completing it does not touch
   *     the job)
   */
  CompletableFuture<CancelOutcome> cancellation();

  /**
   * Adds a listener for this job's later events. Listeners added after the end hear nothing.
   *
   * @param listener the listener; called on SDK threads, see {@link JobListener}
   */
  void addListener(JobListener listener);

  /**
   * Removes a listener added by {@link #addListener}; does nothing if it was not added.
   *
   * @param listener the listener to remove
   */
  void removeListener(JobListener listener);
}
