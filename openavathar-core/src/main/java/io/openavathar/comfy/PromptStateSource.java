package io.openavathar.comfy;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a tracked prompt's state comes from: the client's {@code /history} and {@code /queue}, or a
 * fake in tests.
 */
interface PromptStateSource {
  CompletableFuture<Optional<HistoryEntry>> history(String promptId);

  CompletableFuture<QueueSnapshot> queue();

  /** The HTTP calls of {@code client}. */
  static PromptStateSource of(ComfyUiClient client) {
    return new PromptStateSource() {
      @Override
      public CompletableFuture<Optional<HistoryEntry>> history(String promptId) {
        return client.history(promptId);
      }

      @Override
      public CompletableFuture<QueueSnapshot> queue() {
        return client.queue();
      }
    };
  }
}
