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

  @Override
  void close();
}
