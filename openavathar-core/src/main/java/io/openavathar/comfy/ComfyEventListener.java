package io.openavathar.comfy;

/**
 * Receives a {@link ComfyEventStream}'s events and connection changes. Called on OkHttp's WebSocket
 * thread, one call at a time; must be fast and must not throw (a throwing listener is logged and
 * the stream goes on). Every method is a no-op by default.
 */
public interface ComfyEventListener {
  /** A listener that ignores everything. */
  ComfyEventListener NONE = new ComfyEventListener() {};

  /** The socket is open and the server sent its first {@code status} (with {@code sid}). */
  default void onConnected() {}

  /**
   * A decoded event, of any prompt (filter by {@link ComfyEvent#promptId()}).
   *
   * @param event the event
   */
  default void onEvent(ComfyEvent event) {}

  /**
   * The socket dropped; the stream is reconnecting with backoff. Events in between are lost (no
   * replay).
   *
   * @param cause why it dropped
   */
  default void onDisconnected(Throwable cause) {}
}
