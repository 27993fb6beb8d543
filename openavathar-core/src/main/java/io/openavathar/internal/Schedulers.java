package io.openavathar.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** The SDK's one way to make a scheduler: one daemon thread, cancelled tasks removed at once. */
public final class Schedulers {
  private Schedulers() {}

  /** A scheduler of one daemon thread named {@code threadName}; the caller shuts it down. */
  public static ScheduledExecutorService daemon(String threadName) {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
