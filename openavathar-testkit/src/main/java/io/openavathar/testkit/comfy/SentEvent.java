package io.openavathar.testkit.comfy;

/**
 * One WebSocket text frame the simulator sent to one socket, for inspection and benchmarks.
 *
 * <p>A broadcast to three sockets yields three events. Frames skipped because the sockets were
 * silenced are not reported. Binary preview frames are reported with type {@code "binary_preview"}
 * and an empty {@code json}.
 *
 * @param nanoTime {@link System#nanoTime()} just before the frame was handed to the socket for
 *     writing
 * @param clientId the receiving socket's client id
 * @param type the message type ({@code "executing"}, {@code "progress"}, ...)
 * @param promptId the {@code data.prompt_id} of the message, or {@code null} when it has none
 * @param json the frame text exactly as sent
 */
public record SentEvent(long nanoTime, String clientId, String type, String promptId, String json) {

  /**
   * Tells whether this is the terminal {@code executing} message ({@code node: null}) of a prompt.
   *
   * @return true for {@code {"type":"executing","data":{"node":null,"prompt_id":...}}}
   */
  public boolean isExecutionDone() {
    return "executing".equals(type) && promptId != null && json.contains("\"node\":null");
  }
}
