package io.openavathar;

import java.util.Optional;

/**
 * ComfyUI accepted the workflow but running it failed ({@code execution_error}), for example a CUDA
 * out-of-memory error or a node that could not read the audio. Carries the failing node and the
 * server's exception type. Out of memory is not retryable with the same input (shorten the audio or
 * use a bigger GPU); other failures may be.
 */
public class GenerationFailedException extends OpenAvatharException {
  private static final long serialVersionUID = 1L;

  /** The failing node's id, or null. */
  private final String nodeId;

  /** The failing node's class, or null. */
  private final String nodeType;

  /** The server-side exception type, or null. */
  private final String exceptionType;

  /** Whether trying again may succeed. */
  private final boolean retryable;

  /**
   * A run that failed on ComfyUI, with the failing node and exception type when the server named
   * them (else null).
   *
   * @param message what happened and what to do next
   * @param nodeId the failing node's id, or null
   * @param nodeType the failing node's class, or null
   * @param exceptionType the server-side exception type, or null
   * @param retryable whether trying again may succeed (see {@link #isRetryable()})
   */
  public GenerationFailedException(
      String message, String nodeId, String nodeType, String exceptionType, boolean retryable) {
    super(message);
    this.nodeId = nodeId;
    this.nodeType = nodeType;
    this.exceptionType = exceptionType;
    this.retryable = retryable;
  }

  /**
   * The failing node's id, if the server named it.
   *
   * @return the node id, or empty
   */
  public Optional<String> nodeId() {
    return Optional.ofNullable(nodeId);
  }

  /**
   * The failing node's class, if the server named it.
   *
   * @return the node class, or empty
   */
  public Optional<String> nodeType() {
    return Optional.ofNullable(nodeType);
  }

  /**
   * The server-side exception type, for example {@code torch.OutOfMemoryError}, if given.
   *
   * @return the exception type, or empty
   */
  public Optional<String> exceptionType() {
    return Optional.ofNullable(exceptionType);
  }

  @Override
  public boolean isRetryable() {
    return retryable;
  }
}
