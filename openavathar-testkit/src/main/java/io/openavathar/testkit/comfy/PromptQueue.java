package io.openavathar.testkit.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * The server's queue, running slot and in-memory history, guarded by this object's monitor.
 *
 * <p>Mirrors {@code execution.PromptQueue}: a min-heap on number, at most one running prompt,
 * history written only when a prompt finishes, capped at 10000 entries with the oldest evicted.
 * Thread-safe.
 */
final class PromptQueue {

  static final int MAX_HISTORY = 10_000;

  private final PriorityQueue<QueueItem> pending = new PriorityQueue<>(QueueItem.ORDER);
  private final Map<String, ObjectNode> history = new LinkedHashMap<>();
  private QueueItem running;
  private String currentNode;
  private long counter;
  private long seq;
  private long epoch;
  private boolean paused;
  private boolean interruptRequested;
  private boolean closed;
  private final Map<String, NodeHold> holds = new LinkedHashMap<>();

  /**
   * Assigns the queue number as {@code post_prompt} does: the client's number, else the counter
   * (negated for front).
   */
  synchronized Number assignNumber(JsonNode body) {
    JsonNode number = body.get("number");
    if (number != null && !number.isNull()) {
      return Double.parseDouble(number.asText());
    }
    long assigned = counter++;
    JsonNode front = body.get("front");
    return front != null && front.asBoolean() ? -assigned : assigned;
  }

  synchronized long nextSeq() {
    return seq++;
  }

  synchronized void put(QueueItem item) {
    pending.add(item);
    notifyAll();
  }

  /**
   * Blocks until a prompt may start, marks it running and returns it with the epoch it started in.
   */
  synchronized Started awaitNext() throws InterruptedException {
    while (!closed && (paused || pending.isEmpty())) {
      wait();
    }
    if (closed) {
      throw new InterruptedException("simulator closed");
    }
    running = pending.poll();
    currentNode = null;
    interruptRequested = false;
    return new Started(running, epoch);
  }

  /** A prompt taken off the queue, with the restart epoch it belongs to. */
  record Started(QueueItem item, long epoch) {}

  /**
   * Writes the history entry and frees the running slot; false if a restart abandoned the prompt.
   */
  synchronized boolean finish(Started started, ObjectNode entry) {
    if (started.epoch() != epoch) {
      return false;
    }
    if (history.size() > MAX_HISTORY) {
      Iterator<String> oldest = history.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    history.put(started.item().promptId(), entry);
    running = null;
    currentNode = null;
    return true;
  }

  /** Frees the running slot without writing history (the simulator itself failed). */
  synchronized void abandon(Started started) {
    if (started.epoch() == epoch && running == started.item()) {
      running = null;
      currentNode = null;
    }
  }

  synchronized boolean isCurrent(Started started) {
    return started.epoch() == epoch && !closed;
  }

  synchronized void setCurrentNode(Started started, String node) {
    if (started.epoch() == epoch) {
      currentNode = node;
    }
  }

  /** The node the given client's running prompt is executing, for the reconnect hint. */
  synchronized Optional<String> currentNodeOf(String clientId) {
    if (running != null && clientId.equals(running.clientId()) && currentNode != null) {
      return Optional.of(currentNode);
    }
    return Optional.empty();
  }

  synchronized int remaining() {
    return pending.size() + (running == null ? 0 : 1);
  }

  /**
   * Requests an interrupt: of whatever runs (id null), or only of that prompt if it is the running
   * one.
   */
  synchronized void interrupt(String promptId) {
    if (promptId == null || (running != null && running.promptId().equals(promptId))) {
      interruptRequested = true;
      notifyAll();
    }
  }

  synchronized boolean isInterrupted() {
    return interruptRequested;
  }

  /**
   * Waits up to {@code nanos}, returning early on restart or close. Not on an interrupt: like
   * ComfyUI, the work in progress (a sampler step, a node) ends before the interrupt is noticed.
   */
  synchronized void pause(Started started, long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    long left = nanos;
    while (left > 0 && started.epoch() == epoch && !closed) {
      wait(left / 1_000_000, (int) (left % 1_000_000));
      left = deadline - System.nanoTime();
    }
  }

  /** Holds the next prompt that executes {@code nodeId} inside it until the hold is released. */
  synchronized NodeHold hold(String nodeId) {
    NodeHold hold = new NodeHold(nodeId);
    holds.put(nodeId, hold);
    return hold;
  }

  /** The hold for this node, taken (it holds one prompt), if a test asked for one. */
  synchronized Optional<NodeHold> takeHold(String nodeId) {
    return Optional.ofNullable(holds.remove(nodeId));
  }

  synchronized boolean deletePending(String promptId) {
    for (Iterator<QueueItem> it = pending.iterator(); it.hasNext(); ) {
      if (it.next().promptId().equals(promptId)) {
        it.remove();
        return true;
      }
    }
    return false;
  }

  synchronized void clearPending() {
    pending.clear();
  }

  synchronized ObjectNode queueJson() {
    ObjectNode queue = Json.object();
    ArrayNode runningJson = queue.putArray("queue_running");
    if (running != null) {
      runningJson.add(running.toJson());
    }
    ArrayNode pendingJson = queue.putArray("queue_pending");
    pending.forEach(item -> pendingJson.add(item.toJson())); // heap order, as ComfyUI returns it
    return queue;
  }

  synchronized ObjectNode historyOf(String promptId) {
    ObjectNode out = Json.object();
    ObjectNode entry = history.get(promptId);
    if (entry != null) {
      out.set(promptId, entry.deepCopy());
    }
    return out;
  }

  /**
   * {@code get_history(max_items, offset)}: a negative offset with max_items means "the last
   * max_items".
   */
  synchronized ObjectNode history(Integer maxItems, int offset) {
    ObjectNode out = Json.object();
    int start = offset < 0 && maxItems != null ? history.size() - maxItems : offset;
    int i = 0;
    for (Map.Entry<String, ObjectNode> entry : history.entrySet()) {
      if (i >= start) {
        out.set(entry.getKey(), entry.getValue().deepCopy());
        if (maxItems != null && out.size() >= maxItems) {
          break;
        }
      }
      i++;
    }
    return out;
  }

  synchronized void deleteHistory(String promptId) {
    history.remove(promptId);
  }

  synchronized void clearHistory() {
    history.clear();
  }

  synchronized List<String> pendingIds() {
    List<String> ids = new ArrayList<>();
    pending.forEach(item -> ids.add(item.promptId()));
    return ids;
  }

  synchronized void setPaused(boolean paused) {
    this.paused = paused;
    notifyAll();
  }

  /** Forgets queue, running prompt and history, as a process restart does. */
  synchronized void restart() {
    epoch++;
    pending.clear();
    history.clear();
    running = null;
    currentNode = null;
    counter = 0;
    interruptRequested = false;
    notifyAll();
  }

  synchronized void close() {
    closed = true;
    holds.values().forEach(NodeHold::release);
    holds.clear();
    notifyAll();
  }
}
