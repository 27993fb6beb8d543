package io.openavathar.testkit.internal;

import java.util.Objects;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Adapts Jetty's WebSocket listener to a handler. Exists only because Jetty invokes endpoints
 * through public method handles, so the endpoint class must be public; the logic stays
 * package-private elsewhere.
 */
public final class WebSocketEndpoint implements Session.Listener.AutoDemanding {

  /** Receives the socket's life-cycle and text frames. */
  public interface Handler {
    /** Called once when the upgrade completed. */
    void onOpen(Session session);

    /** Called for each complete text frame from the client. */
    void onText(String text);

    /** Called once when the socket closed or failed. */
    void onClosed();
  }

  private final Handler handler;

  /** Creates an endpoint that forwards to {@code handler}. */
  public WebSocketEndpoint(Handler handler) {
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  @Override
  public void onWebSocketOpen(Session session) {
    handler.onOpen(session);
  }

  @Override
  public void onWebSocketText(String text) {
    handler.onText(text);
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    handler.onClosed();
    callback.succeed();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    handler.onClosed();
  }
}
