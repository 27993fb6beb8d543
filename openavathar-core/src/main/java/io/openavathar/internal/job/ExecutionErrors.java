package io.openavathar.internal.job;

import io.openavathar.GenerationFailedException;
import io.openavathar.comfy.ComfyEvent;
import io.openavathar.comfy.HistoryEntry;
import java.util.Locale;

/**
 * Turns ComfyUI's {@code execution_error} into a {@link GenerationFailedException} that says what
 * to do.
 */
final class ExecutionErrors {
  private ExecutionErrors() {}

  static GenerationFailedException toException(HistoryEntry entry) {
    if (entry.error().isEmpty()) {
      return new GenerationFailedException(
          "ComfyUI reported prompt "
              + entry.promptId()
              + " as failed without details. Check the server's log, "
              + "then submit the job again.",
          null,
          null,
          null,
          true);
    }
    ComfyEvent.ExecutionError e = entry.error().get();
    String where = "node " + e.nodeId() + " (" + e.nodeType() + ")";
    String type = e.exceptionType() == null ? "" : e.exceptionType();
    String message = e.exceptionMessage() == null ? "" : e.exceptionMessage().strip();
    if (type.toLowerCase(Locale.ROOT).contains("outofmemory")) {
      return new GenerationFailedException(
          "The GPU ran out of memory at "
              + where
              + ". Use shorter audio (fewer frames) or a GPU with more "
              + "memory.",
          e.nodeId(),
          e.nodeType(),
          type,
          false);
    }
    return new GenerationFailedException(
        "ComfyUI failed at "
            + where
            + ": "
            + (type.isEmpty() ? "" : type + ": ")
            + firstLine(message)
            + ". Check the inputs and the server's log; the job did not produce a video.",
        e.nodeId(),
        e.nodeType(),
        type,
        false);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
