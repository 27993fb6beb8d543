package io.openavathar.studio;

import io.openavathar.GenerationJob;
import io.openavathar.JobListener;
import io.openavathar.JobProgress;
import io.openavathar.JobState;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Fans the SDK's job events out to every open page ({@code GET /api/events}). Listener calls only
 * format and queue (fast, never blocking), as {@link JobListener} requires.
 */
final class EventHub implements JobListener {
  private final Set<Sse> streams = ConcurrentHashMap.newKeySet();
  private volatile Function<GenerationJob, Map<String, Object>> view = j -> Map.of("id", j.id());
  private volatile Function<GenerationJob, Map<String, Object>> progressView =
      j -> Map.of("id", j.id());

  /**
   * How a job becomes the JSON a page reads (set once the views exist): {@code view} on a state
   * change (it may read the store: a few per job), {@code progressView} for progress (many per job:
   * memory only).
   */
  void views(
      Function<GenerationJob, Map<String, Object>> view,
      Function<GenerationJob, Map<String, Object>> progressView) {
    this.view = view;
    this.progressView = progressView;
  }

  void add(Sse stream) {
    streams.add(stream);
  }

  void remove(Sse stream) {
    streams.remove(stream);
  }

  @Override
  public void onStateChanged(GenerationJob job, JobState from, JobState to) {
    broadcast("job", view.apply(job));
  }

  @Override
  public void onProgress(GenerationJob job, JobProgress progress) {
    broadcast("job", progressView.apply(job));
  }

  /**
   * Tells every page that something besides a job changed (pods, license, settings): it reloads
   * that part.
   */
  void changed(String what) {
    broadcast("changed", Map.of("what", what));
  }

  void broadcast(String event, Map<String, Object> body) {
    String json;
    try {
      json = Http.JSON.writeValueAsString(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("an event could not be written as JSON", e);
    }
    for (Sse s : streams) {
      s.send(event, json);
    }
  }

  /** Ends every stream (the server is closing). */
  void close() {
    for (Sse s : streams) {
      s.end();
    }
    streams.clear();
  }
}
