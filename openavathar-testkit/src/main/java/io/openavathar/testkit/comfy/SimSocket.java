package io.openavathar.testkit.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.testkit.internal.WebSocketEndpoint;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of one {@code /ws} connection. Sends are serialised per socket so frames keep
 * their order.
 */
final class SimSocket implements WebSocketEndpoint.Handler {

  private static final Logger LOG = LoggerFactory.getLogger(SimSocket.class);

  private final String clientId;
  private final EventHub hub;
  private volatile Session session;
  private volatile boolean firstMessage = true;
  private volatile boolean previewMetadata;

  SimSocket(String clientId, EventHub hub) {
    this.clientId = clientId;
    this.hub = hub;
  }

  String clientId() {
    return clientId;
  }

  boolean supportsPreviewMetadata() {
    return previewMetadata;
  }

  @Override
  public void onOpen(Session session) {
    this.session = session;
    hub.register(this);
  }

  @Override
  public void onText(String text) {
    if (!firstMessage) {
      return;
    }
    firstMessage = false;
    try {
      JsonNode message = Json.MAPPER.readTree(text);
      if ("feature_flags".equals(message.path("type").asText())) {
        previewMetadata = message.path("data").path("supports_preview_metadata").asBoolean(false);
        hub.sendFeatureFlags(this);
      }
    } catch (Exception e) {
      LOG.debug("Ignoring client text that is not JSON [clientId={}]", clientId);
    }
  }

  @Override
  public void onClosed() {
    hub.unregister(this);
  }

  /**
   * Sends a text frame if the socket is open: {@code beforeSend} runs first (under this socket's
   * lock, so reports keep frame order), {@code afterSent} once the write ended either way. False if
   * the socket is closed.
   */
  synchronized boolean sendText(String text, Runnable beforeSend, Runnable afterSent) {
    Session current = session;
    if (current == null || !current.isOpen()) {
      return false;
    }
    beforeSend.run();
    current.sendText(
        text,
        Callback.from(
            afterSent,
            failure -> {
              LOG.debug("Could not send to socket [clientId={}]: {}", clientId, failure.toString());
              afterSent.run();
            }));
    return true;
  }

  synchronized boolean sendBinary(ByteBuffer frame, Runnable beforeSend) {
    Session current = session;
    if (current == null || !current.isOpen()) {
      return false;
    }
    beforeSend.run();
    current.sendBinary(frame, Callback.NOOP);
    return true;
  }

  /** Closes the TCP connection without a close frame. */
  void disconnect() {
    Session current = session;
    if (current != null) {
      current.disconnect();
    }
  }
}
