package io.openavathar.testkit.comfy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Faults a test has scripted; each one-shot fault is consumed by the occurrence it applies to.
 * Thread-safe.
 */
final class Faults {

  /** A node to fail when the worker reaches it. */
  record ExecutionFailure(String nodeId, String exceptionType, String exceptionMessage) {}

  private static final class RequestFailure {
    final String method;
    final String route;
    final int status;
    int remaining;

    RequestFailure(String method, String route, int status, int remaining) {
      this.method = method;
      this.route = route;
      this.status = status;
      this.remaining = remaining;
    }
  }

  private final List<RequestFailure> requestFailures = new ArrayList<>();
  private final List<ExecutionFailure> executionFailures = new ArrayList<>();
  private final List<RequestHook> requestHooks = new ArrayList<>();
  private ScriptedNodeError nodeError;
  private Duration responseDelay = Duration.ZERO;
  private long breakDownloadAfter = -1;
  private final CountDownLatch closing = new CountDownLatch(1);

  synchronized void failRequests(String method, String route, int status, int count) {
    requestFailures.add(
        new RequestFailure(method.toUpperCase(Locale.ROOT), normalise(route), status, count));
  }

  /** The status to fail this request with, consuming one use of the first matching rule. */
  synchronized OptionalInt takeRequestFailure(String method, String route) {
    for (Iterator<RequestFailure> it = requestFailures.iterator(); it.hasNext(); ) {
      RequestFailure failure = it.next();
      if (failure.method.equals(method) && failure.route.equals(route)) {
        if (--failure.remaining <= 0) {
          it.remove();
        }
        return OptionalInt.of(failure.status);
      }
    }
    return OptionalInt.empty();
  }

  private record RequestHook(String method, String route, Runnable action) {}

  synchronized void afterNextAnswer(String method, String route, Runnable action) {
    requestHooks.add(new RequestHook(method.toUpperCase(Locale.ROOT), normalise(route), action));
  }

  /** The action scripted for this request, consumed, or null. */
  synchronized Runnable takeRequestHook(String method, String route) {
    for (Iterator<RequestHook> it = requestHooks.iterator(); it.hasNext(); ) {
      RequestHook hook = it.next();
      if (hook.method().equals(method) && hook.route().equals(route)) {
        it.remove();
        return hook.action();
      }
    }
    return null;
  }

  /** Removes a leading {@code /api} so rules match both spellings of a route. */
  static String normalise(String route) {
    String path = route.startsWith("/") ? route : "/" + route;
    if (path.equals("/api")) {
      return "/";
    }
    return path.startsWith("/api/") ? path.substring(4) : path;
  }

  synchronized void scriptNodeError(ScriptedNodeError error) {
    nodeError = error;
  }

  synchronized ScriptedNodeError takeNodeError() {
    ScriptedNodeError error = nodeError;
    nodeError = null;
    return error;
  }

  synchronized void failExecution(ExecutionFailure failure) {
    executionFailures.add(failure);
  }

  /** The failure scripted for this node, consumed, or null. */
  synchronized ExecutionFailure takeExecutionFailure(String nodeId) {
    for (Iterator<ExecutionFailure> it = executionFailures.iterator(); it.hasNext(); ) {
      ExecutionFailure failure = it.next();
      if (failure.nodeId().equals(nodeId)) {
        it.remove();
        return failure;
      }
    }
    return null;
  }

  synchronized void setResponseDelay(Duration delay) {
    responseDelay = delay;
  }

  /** Waits out the response delay; returns early when the simulator closes. */
  void awaitResponseDelay() throws InterruptedException {
    Duration delay;
    synchronized (this) {
      delay = responseDelay;
    }
    if (!delay.isZero()) {
      closing.await(delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Releases delayed answers at shutdown. */
  void close() {
    closing.countDown();
  }

  synchronized void breakNextDownloadAfter(long bytes) {
    breakDownloadAfter = bytes;
  }

  /** The byte count after which to cut the next download, consumed, or -1. */
  synchronized long takeDownloadBreak() {
    long bytes = breakDownloadAfter;
    breakDownloadAfter = -1;
    return bytes;
  }
}
