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

  /** The job's id (a UUID string), also the ComfyUI prompt id of its submission. */
  String id();

  GenerationRequest request();

  /** The seed used: the request's, or the random one chosen for it. */
  long seed();

  JobState state();

  /** The latest progress snapshot. */
  JobProgress progress();

  /**
   * Completes with the video, or exceptionally with an {@link OpenAvatharException} subclass
   * ({@link JobCancelledException} when cancelled). Cancelling this future cancels the job.
   */
  CompletableFuture<GeneratedVideo> future();

  /**
   * Waits for the video at most {@code timeout}.
   *
   * @throws OpenAvatharException the job's own failure, unwrapped (never a {@code CompletionException})
   * @throws JobTimeoutException if the job is still running after {@code timeout} (the job goes on)
   */
  GeneratedVideo await(Duration timeout);

  /**
   * Cancels the job: a prompt already in ComfyUI is interrupted (by its prompt id) or removed from the queue, and the
   * job ends {@link JobState#CANCELLED}. Returns false if the job had already ended.
   */
  boolean cancel();

  /** Adds a listener for this job's later events. Listeners added after the end hear nothing. */
  void addListener(JobListener listener);

  void removeListener(JobListener listener);
}
