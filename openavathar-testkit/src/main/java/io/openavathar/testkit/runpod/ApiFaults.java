package io.openavathar.testkit.runpod;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Faults a test has scripted; each is consumed by the request it applies to. Thread-safe. */
final class ApiFaults {

  /** How the next create misbehaves after creating its pod. */
  record CreateTimeout(Duration delay, boolean dropConnection) {}

  private static final class Failure {
    final String method;
    final String[] pattern;
    final int status;
    int remaining;

    Failure(String method, String[] pattern, int status, int remaining) {
      this.method = method;
      this.pattern = pattern;
      this.status = status;
      this.remaining = remaining;
    }
  }

  private record Capacity(String gpuTypeId, String cloud, String detail) {}

  private final List<Failure> failures = new ArrayList<>();
  private final List<Capacity> capacity = new ArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private int rejectedKeys;
  private int noBalance;
  private int rateLimited;
  private Duration retryAfter = Duration.ZERO;
  private CreateTimeout createTimeout;
  private int logEventsBeforeDrop = -1;

  synchronized void failNext(String method, String pathPattern, int status, int count) {
    String pattern = pathPattern.startsWith("/") ? pathPattern : "/" + pathPattern;
    failures.add(
        new Failure(method.toUpperCase(Locale.ROOT), pattern.split("/", -1), status, count));
  }

  /** The status to fail this request with, consuming one use of the first matching rule. */
  synchronized OptionalInt takeFailure(String method, String path) {
    String[] segments = path.split("/", -1);
    for (Iterator<Failure> it = failures.iterator(); it.hasNext(); ) {
      Failure failure = it.next();
      if ((failure.method.equals("*") || failure.method.equals(method))
          && matches(failure.pattern, segments)) {
        if (--failure.remaining <= 0) {
          it.remove();
        }
        return OptionalInt.of(failure.status);
      }
    }
    return OptionalInt.empty();
  }

  /** A segment {@code *} or {@code {name}} matches any one segment; others must be equal. */
  private static boolean matches(String[] pattern, String[] segments) {
    if (pattern.length != segments.length) {
      return false;
    }
    for (int i = 0; i < pattern.length; i++) {
      String part = pattern[i];
      boolean wildcard = part.equals("*") || (part.startsWith("{") && part.endsWith("}"));
      if (!wildcard && !part.equals(segments[i])) {
        return false;
      }
    }
    return true;
  }

  synchronized void rejectApiKey() {
    rejectedKeys++;
  }

  synchronized boolean takeRejectedKey() {
    if (rejectedKeys == 0) {
      return false;
    }
    rejectedKeys--;
    return true;
  }

  synchronized void rateLimitNext(int count, Duration retryAfter) {
    this.rateLimited = count;
    this.retryAfter = retryAfter;
  }

  /** The Retry-After to answer this request with, consumed, or null when it is not limited. */
  synchronized Duration takeRateLimit() {
    if (rateLimited == 0) {
      return null;
    }
    rateLimited--;
    return retryAfter;
  }

  synchronized void noBalance() {
    noBalance++;
  }

  synchronized boolean takeNoBalance() {
    if (noBalance == 0) {
      return false;
    }
    noBalance--;
    return true;
  }

  synchronized void noCapacity(String gpuTypeId, String cloud, String detail) {
    capacity.add(new Capacity(gpuTypeId, cloud, detail));
  }

  /**
   * The 400 detail of a scripted capacity failure that applies to this create, consumed, or null
   * when none does.
   */
  synchronized String takeNoCapacity(String gpuTypeId, String cloud) {
    for (Iterator<Capacity> it = capacity.iterator(); it.hasNext(); ) {
      Capacity entry = it.next();
      if (entry.gpuTypeId().equals(gpuTypeId)
          && (entry.cloud() == null || entry.cloud().equals(cloud))) {
        it.remove();
        return entry.detail();
      }
    }
    return null;
  }

  synchronized void createTimesOut(CreateTimeout timeout) {
    createTimeout = timeout;
  }

  synchronized CreateTimeout takeCreateTimeout() {
    CreateTimeout timeout = createTimeout;
    createTimeout = null;
    return timeout;
  }

  synchronized void dropLogStreamAfter(int events) {
    logEventsBeforeDrop = events;
  }

  /** Counts one log event about to be sent; true when the stream must be cut right after it. */
  synchronized boolean countLogEvent() {
    if (logEventsBeforeDrop < 0) {
      return false;
    }
    if (logEventsBeforeDrop <= 1) {
      logEventsBeforeDrop = -1;
      return true;
    }
    logEventsBeforeDrop--;
    return false;
  }

  /**
   * Whether a drop after zero events is pending (consumed): the next stream is cut before its first
   * event.
   */
  synchronized boolean takeImmediateLogDrop() {
    if (logEventsBeforeDrop == 0) {
      logEventsBeforeDrop = -1;
      return true;
    }
    return false;
  }

  /** Waits {@code delay}, returning early when the simulator closes. */
  void await(Duration delay) throws InterruptedException {
    closing.await(delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  boolean isClosing() {
    return closing.getCount() == 0;
  }

  void close() {
    closing.countDown();
  }
}
