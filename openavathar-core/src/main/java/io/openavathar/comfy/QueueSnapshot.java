package io.openavathar.comfy;

import java.util.List;

/**
 * The prompt ids in {@code GET /queue}: the running ones and the pending ones (pending sorted by
 * queue number, so {@link #positionOf(String)} is the number of prompts ahead).
 */
public record QueueSnapshot(List<String> running, List<String> pending) {
  /**
   * Copies the lists.
   *
   * @param running the running prompt ids
   * @param pending the pending prompt ids, in the order they will run
   */
  public QueueSnapshot {
    running = List.copyOf(running);
    pending = List.copyOf(pending);
  }

  /**
   * Whether the prompt is running now.
   *
   * @param promptId the prompt id
   * @return true if running
   */
  public boolean isRunning(String promptId) {
    return running.contains(promptId);
  }

  /**
   * Whether the prompt waits in the queue.
   *
   * @param promptId the prompt id
   * @return true if pending
   */
  public boolean isPending(String promptId) {
    return pending.contains(promptId);
  }

  /**
   * Prompts ahead of this one (running ones included), or -1 if it is not queued.
   *
   * @param promptId the prompt id
   * @return the number of prompts ahead, or -1
   */
  public int positionOf(String promptId) {
    if (running.contains(promptId)) {
      return 0;
    }
    int i = pending.indexOf(promptId);
    return i < 0 ? -1 : running.size() + i;
  }
}
