package io.openavathar;

/** {@link GenerationJob#await} gave up waiting; the job itself goes on. */
public class JobTimeoutException extends OpenAvatharException {
  private static final long serialVersionUID = 1L;

  /**
   * A wait that ran out; the message says how long it waited for which job.
   *
   * @param message how long was waited for which job
   */
  public JobTimeoutException(String message) {
    super(message);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
