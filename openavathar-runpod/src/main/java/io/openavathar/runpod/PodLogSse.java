package io.openavathar.runpod;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.OpenAvatharException;
import io.openavathar.PodProvisioningException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.internal.Json;
import io.openavathar.pod.PodLogLine;
import io.openavathar.pod.PodLogListener;
import io.openavathar.pod.PodLogStream;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pod's log from {@code GET /pods/{id}/logs} (Server-Sent Events, one JSON {@code {source, line,
 * ts}} per event).
 *
 * <p>After a drop it reconnects with backoff, sending the id of the last event seen as {@code
 * Last-Event-ID} so RunPod resumes after it. With {@code follow} the end of the server's stream is
 * a drop too; without it, that end closes the stream. It gives up after {@code maxAttempts}
 * connection attempts in a row that fail before any event arrives (RunPod down or refusing), and at
 * once on 401, 403, 404 and other client errors.
 *
 * <p>Listener calls are serialised (one at a time, in order, never after {@code onClosed}) and come
 * from OkHttp or scheduler threads.
 */
final class PodLogSse implements PodLogStream {
  private static final Logger LOG = LoggerFactory.getLogger(PodLogSse.class);

  private final RunPodHttp h;
  private final EventSource.Factory factory;
  private final String podId;
  private final boolean follow;
  private final PodLogListener listener;
  private final Object lock = new Object();
  private final Object deliverLock = new Object();

  // Guarded by lock.
  private EventSource current;
  private ScheduledFuture<?> pendingReconnect;
  private String lastEventId;
  private int failedConnects;
  private int quietReconnects;
  private boolean closed;
  // Guarded by deliverLock.
  private boolean finished;

  private PodLogSse(
      RunPodHttp h, OkHttpClient sseClient, String podId, boolean follow, PodLogListener listener) {
    this.h = h;
    this.factory = EventSources.createFactory(sseClient);
    this.podId = podId;
    this.follow = follow;
    this.listener = listener;
  }

  /**
   * Without {@code follow}, the stream ends once the server has been quiet this long: RunPod keeps
   * an SSE stream open after the backlog, so "the log so far" has no end marker of its own.
   */
  static final long QUIET_END_MILLIS = 1500;

  static PodLogSse open(
      RunPodHttp h, OkHttpClient sseClient, String podId, boolean follow, PodLogListener listener) {
    PodLogSse stream = new PodLogSse(h, sseClient, podId, follow, listener);
    stream.connect();
    if (!follow) {
      stream.lastEventNanos = System.nanoTime();
      stream.quietCheck =
          h.scheduler()
              .scheduleAtFixedRate(
                  stream::endIfQuiet,
                  QUIET_END_MILLIS / 4,
                  QUIET_END_MILLIS / 4,
                  TimeUnit.MILLISECONDS);
    }
    return stream;
  }

  private volatile long lastEventNanos;
  private volatile java.util.concurrent.ScheduledFuture<?> quietCheck;

  private void endIfQuiet() {
    if (System.nanoTime() - lastEventNanos > TimeUnit.MILLISECONDS.toNanos(QUIET_END_MILLIS)) {
      LOG.debug(
          "The log of pod {} has been quiet for {} ms; ending the stream", podId, QUIET_END_MILLIS);
      close();
    }
  }

  @Override
  public void close() {
    java.util.concurrent.ScheduledFuture<?> check = quietCheck;
    if (check != null) {
      check.cancel(false);
    }
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      stopConnection();
    }
    LOG.debug("Closed the log stream of pod {}", podId);
    finish(null);
  }

  private void connect() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      Request.Builder request =
          h.request(h.url("pods", podId, "logs")).header("Accept", "text/event-stream");
      if (lastEventId != null) {
        request.header("Last-Event-ID", lastEventId);
      }
      LOG.debug(
          "Opening the log stream of pod {}{}",
          podId,
          lastEventId == null ? "" : " after event " + lastEventId);
      current = factory.newEventSource(request.build(), new Events());
    }
  }

  /** Callbacks of one connection; those of a connection that is no longer current are ignored. */
  private final class Events extends EventSourceListener {
    private volatile boolean opened;

    @Override
    public void onOpen(EventSource source, Response response) {
      opened = true;
    }

    @Override
    public void onEvent(EventSource source, String id, String type, String data) {
      synchronized (lock) {
        if (closed || source != current) {
          return;
        }
        if (id != null && !id.isEmpty()) {
          lastEventId = id;
        }
        failedConnects = 0;
        quietReconnects = 0;
      }
      lastEventNanos = System.nanoTime();
      PodLogLine line = line(id, data);
      deliver(() -> listener.onLine(line));
    }

    @Override
    public void onClosed(EventSource source) {
      if (!isCurrent(source)) {
        return;
      }
      if (follow) {
        reconnect(
            new RemoteUnavailableException(
                "RunPod ended the log stream of pod " + podId + ".", null),
            true);
      } else {
        LOG.debug("RunPod ended the log stream of pod {}", podId);
        synchronized (lock) {
          closed = true;
        }
        finish(null);
      }
    }

    @Override
    public void onFailure(EventSource source, Throwable t, Response response) {
      if (!isCurrent(source)) {
        return;
      }
      String op = "streaming the log of pod " + podId;
      if (response != null && !response.isSuccessful()) {
        OpenAvatharException failure = failure(op, response);
        if (failure.isRetryable()) {
          reconnect(failure, false);
        } else {
          giveUp(failure);
        }
      } else if (t instanceof IOException io) {
        reconnect(h.errors().unreachable(op, source.request(), io), opened);
      } else {
        giveUp(
            RunPodHttp.notRunPod(
                "While "
                    + op
                    + ", RunPod's answer was not an event stream"
                    + (t == null ? "" : " (" + t.getMessage() + ")"),
                t));
      }
    }
  }

  private OpenAvatharException failure(String op, Response response) {
    if (response.code() == 404) {
      return new PodProvisioningException(
          "RunPod has no pod "
              + podId
              + " (HTTP 404), so there is no log to stream. List the pods to find its id.",
          false,
          true);
    }
    return h.failure(op, response);
  }

  private boolean isCurrent(EventSource source) {
    synchronized (lock) {
      return !closed && source == current;
    }
  }

  /** Schedules the next connection; a connection that never opened counts towards giving up. */
  private void reconnect(OpenAvatharException cause, boolean afterOpen) {
    long delay;
    synchronized (lock) {
      if (closed) {
        return;
      }
      int attempts = afterOpen ? ++quietReconnects : ++failedConnects;
      if (afterOpen || failedConnects < h.retries().maxAttempts()) {
        delay = h.retries().delayMillis(attempts, cause);
        current = null; // late callbacks of the dropped connection are ignored from now on
      } else {
        delay = -1;
      }
    }
    if (delay < 0) {
      LOG.debug(
          "Giving up the log stream of pod {} after {} failed connections",
          podId,
          h.retries().maxAttempts());
      giveUp(cause);
      return;
    }
    LOG.debug(
        "Log stream of pod {} dropped ({}); reconnecting in {} ms",
        podId,
        cause.getMessage(),
        delay);
    deliver(() -> listener.onReconnecting(cause)); // before the next connection can deliver a line
    synchronized (lock) {
      if (!closed) {
        pendingReconnect = h.scheduler().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
      }
    }
  }

  private void giveUp(OpenAvatharException failure) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      stopConnection();
    }
    LOG.debug("Log stream of pod {} failed: {}", podId, failure.getMessage());
    finish(failure);
  }

  /** Cancels the connection and any scheduled reconnect. Call holding {@link #lock}. */
  private void stopConnection() {
    if (current != null) {
      current.cancel();
      current = null;
    }
    if (pendingReconnect != null) {
      pendingReconnect.cancel(false);
      pendingReconnect = null;
    }
  }

  private void finish(Throwable failureOrNull) {
    synchronized (deliverLock) {
      if (finished) {
        return;
      }
      finished = true;
      try {
        listener.onClosed(failureOrNull);
      } catch (RuntimeException e) {
        LOG.warn("A pod log listener threw from onClosed for pod {}; ignored", podId, e);
      }
    }
  }

  private void deliver(Runnable call) {
    synchronized (deliverLock) {
      if (finished) {
        return;
      }
      try {
        call.run();
      } catch (RuntimeException e) {
        LOG.warn("A pod log listener threw for pod {}; the stream goes on", podId, e);
      }
    }
  }

  /**
   * An event's data as a log line; data that is not the documented JSON becomes the line itself.
   */
  static PodLogLine line(String id, String data) {
    String eventId = id == null ? "" : id;
    try {
      JsonNode n = Json.mapper().readTree(data);
      if (n != null && n.isObject()) {
        return new PodLogLine(
            eventId,
            n.path("ts").asText(""),
            n.path("source").asText(""),
            n.path("line").asText(""));
      }
    } catch (IOException notJson) {
      // fall through
    }
    return new PodLogLine(eventId, "", "", data == null ? "" : data);
  }
}
