package io.openavathar;

/** The job was cancelled by {@link GenerationJob#cancel()} or by cancelling its future. */
public class JobCancelledException extends OpenAvatharException {
  private static final long serialVersionUID = 1L;

  /**
   * A job that was cancelled; the message says by whom or why.
   *
   * @param message who or what cancelled the job
   */
  public JobCancelledException(String message) {
    super(message);
  }
}
