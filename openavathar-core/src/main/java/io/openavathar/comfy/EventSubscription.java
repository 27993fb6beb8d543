package io.openavathar.comfy;

import java.util.Objects;

/** The part of a {@link ComfyEventStream} a tracked prompt uses; a hand-driven fake in tests. */
interface EventSubscription {
  void addListener(ComfyEventListener listener);

  void removeListener(ComfyEventListener listener);

  boolean isConnected();

  /** Subscribes through {@code stream}. */
  static EventSubscription of(ComfyEventStream stream) {
    Objects.requireNonNull(stream, "events");
    return new EventSubscription() {
      @Override
      public void addListener(ComfyEventListener listener) {
        stream.addListener(listener);
      }

      @Override
      public void removeListener(ComfyEventListener listener) {
        stream.removeListener(listener);
      }

      @Override
      public boolean isConnected() {
        return stream.isConnected();
      }
    };
  }
}
