package io.openavathar.comfy;

/**
 * A reconnecting WebSocket subscription to one server's events for one client id. Obtain one from
 * {@link ComfyUiClient#openEvents}. Thread-safe; {@link #close()} is idempotent.
 */
public final class ComfyEventStream implements AutoCloseable {

  private ComfyEventStream() {}

  static ComfyEventStream open(ComfyUiClient client, String clientId, ComfyEventListener listener) {
    throw new UnsupportedOperationException("filled in by the event stream implementation");
  }

  /** The client id this stream listens as; pass it as {@code client_id} when submitting prompts. */
  public String clientId() {
    throw new UnsupportedOperationException();
  }

  /**
   * Adds a listener; it hears every later event (filter by {@link ComfyEvent#promptId()}) and connection change.
   * Several prompts share one stream this way.
   */
  public void addListener(ComfyEventListener listener) {
    throw new UnsupportedOperationException();
  }

  public void removeListener(ComfyEventListener listener) {
    throw new UnsupportedOperationException();
  }

  /** Whether the socket is open right now. */
  public boolean isConnected() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {
    throw new UnsupportedOperationException();
  }
}
