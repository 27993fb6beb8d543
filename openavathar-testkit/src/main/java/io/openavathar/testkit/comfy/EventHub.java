package io.openavathar.testkit.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of connected sockets, and the one place that sends WebSocket frames.
 *
 * <p>Per-prompt messages go to the socket whose client id owns the prompt, or nowhere when it is
 * not connected (ComfyUI keeps no buffer). Applies the socket faults (silence, drop after N frames)
 * and reports every sent frame to listeners. Thread-safe.
 */
final class EventHub {

  private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
  private static final int LOG_CAPACITY = 10_000;

  private final ConcurrentHashMap<String, SimSocket> sockets = new ConcurrentHashMap<>();
  private final List<Consumer<SentEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Deque<SentEvent> log = new ArrayDeque<>();
  private final AtomicInteger dropAfter = new AtomicInteger(-1);
  private final PromptQueue queue;
  private final JsonNode serverFeatures;
  private volatile boolean silenced;
  private volatile boolean dropping;

  EventHub(PromptQueue queue, JsonNode serverFeatures) {
    this.queue = queue;
    this.serverFeatures = serverFeatures;
  }

  /** Registers a new socket (replacing one with the same id) and sends it the handshake. */
  void register(SimSocket socket) {
    sockets.put(socket.clientId(), socket);
    ObjectNode data = statusData();
    data.put("sid", socket.clientId());
    deliver(socket, Json.message("status", data), null);
    queue
        .currentNodeOf(socket.clientId())
        .ifPresent(
            node -> {
              ObjectNode hint = Json.object();
              hint.put("node", node);
              deliver(socket, Json.message("executing", hint), null);
            });
  }

  /** Forgets a closed socket, unless a newer socket with the same id replaced it. */
  void unregister(SimSocket socket) {
    sockets.remove(socket.clientId(), socket);
  }

  void sendFeatureFlags(SimSocket socket) {
    deliver(socket, Json.message("feature_flags", serverFeatures.deepCopy()), null);
  }

  /** Sends to the socket of one client; dropped silently when it is not connected. */
  void send(String clientId, String type, ObjectNode data) {
    SimSocket socket = sockets.get(clientId);
    if (socket != null) {
      deliver(socket, Json.message(type, data), promptIdOf(data));
    }
  }

  /**
   * Sends to one client, or to every socket when {@code clientId} is null ({@code send_sync(...,
   * sid=None)}).
   */
  void sendOrBroadcast(String clientId, String type, ObjectNode data) {
    if (clientId != null) {
      send(clientId, type, data);
    } else {
      broadcast(type, data);
    }
  }

  void broadcast(String type, ObjectNode data) {
    ObjectNode message = Json.message(type, data);
    String promptId = promptIdOf(data);
    for (SimSocket socket : new ArrayList<>(sockets.values())) {
      deliver(socket, message, promptId);
    }
  }

  void broadcastStatus() {
    broadcast("status", statusData());
  }

  ObjectNode statusData() {
    ObjectNode data = Json.object();
    data.putObject("status").putObject("exec_info").put("queue_remaining", queue.remaining());
    return data;
  }

  /**
   * Sends a binary preview frame (type 1, or type 4 for sockets that negotiated preview metadata).
   */
  void sendPreview(String clientId, String promptId, String nodeId, byte[] jpeg) {
    List<SimSocket> targets = new ArrayList<>();
    if (clientId == null) {
      targets.addAll(sockets.values());
    } else if (sockets.get(clientId) != null) {
      targets.add(sockets.get(clientId));
    }
    for (SimSocket socket : targets) {
      if (silenced) {
        return;
      }
      ByteBuffer frame =
          socket.supportsPreviewMetadata()
              ? previewWithMetadata(promptId, nodeId, jpeg)
              : previewPlain(jpeg);
      socket.sendBinary(
          frame,
          () ->
              record(
                  new SentEvent(
                      System.nanoTime(), socket.clientId(), "binary_preview", promptId, "")));
    }
  }

  private static ByteBuffer previewPlain(byte[] jpeg) {
    ByteBuffer frame = ByteBuffer.allocate(8 + jpeg.length);
    frame.putInt(1).putInt(1).put(jpeg).flip();
    return frame;
  }

  private static ByteBuffer previewWithMetadata(String promptId, String nodeId, byte[] jpeg) {
    ObjectNode metadata = Json.object();
    metadata.put("node_id", nodeId);
    metadata.put("prompt_id", promptId);
    metadata.put("display_node_id", nodeId);
    metadata.putNull("parent_node_id");
    metadata.put("real_node_id", nodeId);
    metadata.put("image_type", "image/jpeg");
    byte[] json = Json.write(metadata).getBytes(StandardCharsets.UTF_8);
    ByteBuffer frame = ByteBuffer.allocate(8 + json.length + jpeg.length);
    frame.putInt(4).putInt(json.length).put(json).put(jpeg).flip();
    return frame;
  }

  private void deliver(SimSocket socket, ObjectNode message, String promptId) {
    if (silenced || dropping) {
      return;
    }
    String text = Json.write(message);
    String type = message.get("type").asText();
    int left = dropAfter.get() < 0 ? -1 : dropAfter.decrementAndGet();
    Runnable afterSent = () -> {};
    if (left == 0) {
      dropping = true; // frames after the N-th are lost, as on a dying connection
      afterSent = this::dropNow;
    }
    Runnable report =
        () -> record(new SentEvent(System.nanoTime(), socket.clientId(), type, promptId, text));
    if (!socket.sendText(text, report, afterSent) && left == 0) {
      dropNow();
    }
  }

  private void record(SentEvent event) {
    synchronized (log) {
      if (log.size() == LOG_CAPACITY) {
        log.removeFirst();
      }
      log.addLast(event);
    }
    for (Consumer<SentEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("An onEventSent listener threw; the simulator goes on [type={}]", event.type(), e);
      }
    }
  }

  private static String promptIdOf(JsonNode data) {
    JsonNode promptId = data.get("prompt_id");
    return promptId != null && promptId.isTextual() ? promptId.asText() : null;
  }

  List<SentEvent> sentEvents() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  void addListener(Consumer<SentEvent> listener) {
    listeners.add(listener);
  }

  void setSilenced(boolean silenced) {
    this.silenced = silenced;
  }

  void dropAfter(int frames) {
    dropAfter.set(frames);
    if (frames == 0) {
      dropNow();
    }
  }

  /** Unregisters every socket, then closes their connections without a close frame. */
  void dropNow() {
    dropAfter.set(-1);
    List<SimSocket> dropped = new ArrayList<>(sockets.values());
    dropped.forEach(this::unregister);
    dropping = false;
    LOG.debug("Dropping {} WebSocket connection(s)", dropped.size());
    dropped.forEach(SimSocket::disconnect);
  }

  int connectedCount() {
    return sockets.size();
  }
}
