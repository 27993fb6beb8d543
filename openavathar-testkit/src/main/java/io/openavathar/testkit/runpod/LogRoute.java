package io.openavathar.testkit.runpod;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v2/pods/{id}/logs}: Server-Sent Events with {@code id: <ts>/<seq>} and {@code data:
 * {"ts","source","line"}}. Backfills the last {@code tail} lines (default 100), or from {@code
 * since}, or after {@code Last-Event-ID} (which wins), then streams new lines live until the pod is
 * terminated, the client goes away or the simulator closes. Idle streams get an SSE comment every
 * 15 s.
 */
final class LogRoute {

  private static final Logger LOG = LoggerFactory.getLogger(LogRoute.class);
  private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(15);
  private static final int MAX_TAIL = 5000;

  private final Pods pods;
  private final ApiFaults faults;

  LogRoute(Pods pods, ApiFaults faults) {
    this.pods = pods;
    this.faults = faults;
  }

  ApiReply logs(String podId, Request request) {
    Optional<PodLog> found = pods.log(podId);
    if (found.isEmpty()) {
      return ApiReply.problem(404, "pod not found");
    }
    PodLog log = found.get();
    Fields query = Request.extractQueryParameters(request);
    String source = query.getValue("source");
    if (source != null && !List.of(PodLog.CONTAINER, PodLog.SYSTEM).contains(source)) {
      return ApiReply.problem(
          422,
          "Request validation failed.",
          List.of("query.source: value must be one of 'container', 'system'"));
    }
    long cursor;
    String lastEventId = request.getHeaders().get("Last-Event-ID");
    if (lastEventId != null && !lastEventId.isBlank()) {
      Long resumed = cursorOf(log, lastEventId.trim());
      if (resumed == null) {
        return ApiReply.problem(
            400,
            "Last-Event-ID '"
                + lastEventId
                + "' is not a cursor this endpoint "
                + "emitted (<ts>/<sequence> or an RFC 3339 timestamp)");
      }
      cursor = resumed;
    } else if (query.getValue("since") != null) {
      Instant since = instant(query.getValue("since"));
      if (since == null) {
        return ApiReply.problem(
            422,
            "Request validation failed.",
            List.of("query.since: '" + query.getValue("since") + "' is not an RFC 3339 date-time"));
      }
      cursor = log.cursorForSince(since);
    } else {
      int tail;
      try {
        tail = query.getValue("tail") == null ? 100 : Integer.parseInt(query.getValue("tail"));
      } catch (NumberFormatException e) {
        tail = -1;
      }
      if (tail < 0 || tail > MAX_TAIL) {
        return ApiReply.problem(
            422,
            "Request validation failed.",
            List.of("query.tail: must be an integer from 0 to " + MAX_TAIL));
      }
      cursor = log.cursorForTail(tail, source);
    }
    long start = cursor;
    return ApiReply.streamed(
            200, (req, response, callback) -> stream(log, start, source, req, response, callback))
        .header("Content-Type", "text/event-stream")
        .header("Cache-Control", "no-cache")
        .header("X-Accel-Buffering", "no");
  }

  /**
   * A cursor from {@code <ts>/<sequence>} (exact) or a bare timestamp (lines after it); null when
   * neither.
   */
  private static Long cursorOf(PodLog log, String lastEventId) {
    int slash = lastEventId.lastIndexOf('/');
    if (slash > 0) {
      try {
        return Long.parseLong(lastEventId.substring(slash + 1));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    Instant ts = instant(lastEventId);
    return ts == null ? null : log.cursorAfterTimestamp(ts);
  }

  private static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private void stream(
      PodLog log,
      long start,
      String source,
      Request request,
      Response response,
      Callback callback) {
    OutputStream out = Content.Sink.asOutputStream(response);
    try {
      out.flush(); // commit the headers so the client sees 200 before the first line
      if (faults.takeImmediateLogDrop()) {
        drop(request, callback, 0);
        return;
      }
      long cursor = start;
      int sent = 0;
      long idleSince = System.nanoTime();
      while (!faults.isClosing()) {
        PodLog.Batch batch = log.awaitAfter(cursor, source, 1000);
        for (PodLog.Entry entry : batch.entries()) {
          String event = "id: " + entry.id() + "\ndata: " + entry.json() + "\n\n";
          out.write(event.getBytes(StandardCharsets.UTF_8));
          out.flush();
          cursor = entry.sequence();
          sent++;
          if (faults.countLogEvent()) {
            drop(request, callback, sent);
            return;
          }
          idleSince = System.nanoTime();
        }
        if (batch.entries().isEmpty()) {
          if (batch.ended()) {
            break;
          }
          if (System.nanoTime() - idleSince > KEEP_ALIVE_NANOS) {
            out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            idleSince = System.nanoTime();
          }
        }
      }
      out.close();
      callback.succeeded();
    } catch (IOException e) {
      LOG.debug("Log stream ended by the client: {}", e.toString());
      callback.failed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      callback.failed(e);
    }
  }

  private static void drop(Request request, Callback callback, int sent) {
    LOG.debug("Dropping a log stream as scripted after {} events", sent);
    request.getConnectionMetaData().getConnection().getEndPoint().close();
    callback.failed(
        new EofException("log stream dropped by the simulator after " + sent + " events"));
  }
}
