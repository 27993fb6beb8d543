package io.openavathar.internal.job;

import io.openavathar.store.VideoRecord;
import java.util.concurrent.CompletableFuture;

/**
 * Where a workflow runs. Today: a pod running ComfyUI ({@link ComfyPodBackend}); later a RunPod
 * Serverless endpoint, which slots in here without touching the state machine.
 */
public interface GenerationBackend extends AutoCloseable {
  /**
   * Runs a prepared job to its video: moves it through {@code WAITING_FOR_POD ... DOWNLOADING} with
   * {@code control}, and completes with the video's row or fails with an {@link
   * io.openavathar.OpenAvatharException}. Must not block the calling thread. The backend does not
   * store the video: the job records it together with its end, in one transaction.
   */
  CompletableFuture<VideoRecord> run(PreparedJob job, JobControl control);

  /**
   * Continues a job found unfinished after a restart, from what {@code record} says was done: a
   * submitted prompt is re-attached by its id, never submitted twice.
   */
  CompletableFuture<VideoRecord> resume(
      PreparedJob job, JobControl control, io.openavathar.store.JobRecord record);

  /**
   * Stops the prompt a job's record names (submitted by an earlier run: of a job no studio runs, or
   * of a resumed job cancelled before this backend reached its server) and completes with what the
   * server confirmed; never fails.
   */
  CompletableFuture<io.openavathar.CancelOutcome> stopPrompt(io.openavathar.store.JobRecord record);

  @Override
  void close();
}
