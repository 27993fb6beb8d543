package io.openavathar.internal.job;

import io.openavathar.GeneratedVideo;
import java.util.concurrent.CompletableFuture;

/**
 * Where a workflow runs. Today: a pod running ComfyUI ({@link ComfyPodBackend}); later a RunPod Serverless
 * endpoint, which slots in here without touching the state machine.
 */
public interface GenerationBackend extends AutoCloseable {
  /**
   * Runs a prepared job to its video: moves it through {@code WAITING_FOR_POD ... DOWNLOADING} with
   * {@code control}, and completes with the video or fails with an
   * {@link io.openavathar.OpenAvatharException}. Must not block the calling thread.
   */
  CompletableFuture<GeneratedVideo> run(PreparedJob job, JobControl control);

  /**
   * Continues a job found unfinished after a restart, from what {@code record} says was done: a submitted prompt is
   * re-attached by its id, never submitted twice.
   */
  CompletableFuture<GeneratedVideo> resume(PreparedJob job, JobControl control, io.openavathar.store.JobRecord record);

  @Override
  void close();
}
