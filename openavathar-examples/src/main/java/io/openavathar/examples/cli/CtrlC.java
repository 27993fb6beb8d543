package io.openavathar.examples.cli;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What a command does on Ctrl+C, as a shutdown hook: run {@code onInterrupt} (cancel the job), then
 * let the command's own thread finish, report its one line and clean up ({@link Main#REPORTED}, at
 * most {@link #GRACE}) before the JVM halts, then run {@code afterReport} (clean up what is left).
 * Registered for a block and closed in its {@code finally}; when the JVM is already shutting down
 * (Ctrl+C came earlier), {@code onInterrupt} runs at once on the caller's thread.
 *
 * <pre>{@code
 * CtrlC ctrlC = CtrlC.register("openavathar-cancel-on-exit", job::cancel, () -> {});
 * try {
 *   job.await(...);
 * } finally {
 *   ctrlC.close();
 * }
 * }</pre>
 */
final class CtrlC implements AutoCloseable {
  /** How long Ctrl+C lets the command report and clean up before the JVM halts. */
  static final Duration GRACE = Duration.ofSeconds(30);

  private static volatile boolean pressed;
  private final Thread hook;

  private CtrlC(Thread hook) {
    this.hook = hook;
  }

  static CtrlC register(String name, Runnable onInterrupt, Runnable afterReport) {
    Thread hook =
        new Thread(
            () -> {
              pressed = true;
              onInterrupt.run();
              try {
                Main.REPORTED.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              afterReport.run();
            },
            name);
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return new CtrlC(hook);
    } catch (IllegalStateException shuttingDown) {
      pressed = true;
      onInterrupt.run();
      return new CtrlC(null);
    }
  }

  /**
   * Whether Ctrl+C reached a registered command: then whatever the command fails with (a server
   * that cannot start while the JVM shuts down) is reported as the cancellation it is.
   */
  static boolean pressed() {
    return pressed;
  }

  @Override
  public void close() {
    if (hook == null) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is exiting: the hook runs.
    }
  }
}
