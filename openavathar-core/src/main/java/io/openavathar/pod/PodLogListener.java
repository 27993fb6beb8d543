package io.openavathar.pod;

/**
 * Receives a pod's log lines. Called on an SDK thread, one call at a time, in order; must be fast.
 * Every method is a no-op by default.
 */
public interface PodLogListener {
  /**
   * A log line.
   *
   * @param line the line
   */
  default void onLine(PodLogLine line) {}

  /**
   * The stream dropped; it resumes from the last line seen (no line is repeated or lost if the
   * server allows).
   *
   * @param cause why it dropped
   */
  default void onReconnecting(Throwable cause) {}

  /**
   * The stream ended for good: closed by the caller, the pod is gone, or the failure is not
   * transient.
   *
   * @param failureOrNull the failure that ended it, or null when closed normally
   */
  default void onClosed(Throwable failureOrNull) {}
}
