package io.openavathar.testkit.runpod;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * One pod's log lines, as {@code GET /v2/pods/{id}/logs} streams them. Streams wait here for new
 * lines. Thread-safe.
 */
final class PodLog {

  static final String CONTAINER = "container";
  static final String SYSTEM = "system";
  private static final int MAX_LINES = 10_000;

  /**
   * One line. Its SSE id is {@code <ts>/<sequence, 12 digits>}, the shape of the spec's example, so
   * a resume cursor names one line exactly even when several share a timestamp.
   */
  record Entry(long sequence, Instant ts, String source, String line) {

    String id() {
      return timestamp() + "/" + String.format("%012d", sequence);
    }

    String timestamp() {
      return ts.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    String json() {
      ObjectNode data = Json.object();
      data.put("ts", timestamp());
      data.put("source", source);
      data.put("line", line);
      return Json.write(data);
    }
  }

  /** What a waiting stream gets: new lines, and whether the log has ended (the pod is gone). */
  record Batch(List<Entry> entries, boolean ended) {}

  private final List<Entry> entries = new ArrayList<>();
  private long nextSequence = 1;
  private boolean ended;

  synchronized void append(Instant ts, String source, String line) {
    if (ended) {
      return;
    }
    entries.add(new Entry(nextSequence++, ts, source, line));
    if (entries.size() > MAX_LINES) {
      entries.remove(0);
    }
    notifyAll();
  }

  /** Ends every stream of this log once it has sent what is there. */
  synchronized void end() {
    ended = true;
    notifyAll();
  }

  /**
   * The last {@code tail} lines of {@code source} (null for all), as the sequence to resume after.
   */
  synchronized long cursorForTail(int tail, String source) {
    int seen = 0;
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry entry = entries.get(i);
      if (source == null || source.equals(entry.source())) {
        if (seen == tail) {
          return entry.sequence();
        }
        seen++;
      }
    }
    return 0;
  }

  /** The sequence just before the first line at or after {@code since}. */
  synchronized long cursorForSince(Instant since) {
    for (Entry entry : entries) {
      if (!entry.ts().isBefore(since)) {
        return entry.sequence() - 1;
      }
    }
    return nextSequence - 1;
  }

  /**
   * The sequence of the last line strictly before {@code ts}, so that lines after {@code ts} are
   * sent.
   */
  synchronized long cursorAfterTimestamp(Instant ts) {
    long cursor = 0;
    for (Entry entry : entries) {
      if (entry.ts().isAfter(ts)) {
        break;
      }
      cursor = entry.sequence();
    }
    return cursor;
  }

  /**
   * Returns the lines after {@code cursor} of {@code source} (null for all), waiting up to {@code
   * timeoutMillis} for one when there are none and the log has not ended.
   */
  synchronized Batch awaitAfter(long cursor, String source, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (true) {
      List<Entry> found = new ArrayList<>();
      for (Entry entry : entries) {
        if (entry.sequence() > cursor && (source == null || source.equals(entry.source()))) {
          found.add(entry);
        }
      }
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (!found.isEmpty() || ended || left <= 0) {
        return new Batch(found, ended);
      }
      wait(left);
    }
  }

  synchronized List<Entry> all() {
    return List.copyOf(entries);
  }
}
