package io.openavathar.comfy;

import java.util.List;

/**
 * The prompt ids in {@code GET /queue}: the running ones and the pending ones (pending sorted by
 * queue number, so {@link #positionOf(String)} is the number of prompts ahead).
 */
public record QueueSnapshot(List<String> running, List<String> pending) {
  public QueueSnapshot {
    running = List.copyOf(running);
    pending = List.copyOf(pending);
  }

  public boolean isRunning(String promptId) {
    return running.contains(promptId);
  }

  public boolean isPending(String promptId) {
    return pending.contains(promptId);
  }

  /** Prompts ahead of this one (running ones included), or -1 if it is not queued. */
  public int positionOf(String promptId) {
    if (running.contains(promptId)) {
      return 0;
    }
    int i = pending.indexOf(promptId);
    return i < 0 ? -1 : running.size() + i;
  }
}
