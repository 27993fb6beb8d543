package io.openavathar;

/**
 * Where a {@link GenerationJob} is in its lifecycle: {@code QUEUED -> WAITING_FOR_POD -> UPLOADING
 * -> SUBMITTED -> GENERATING -> DOWNLOADING -> COMPLETED}, and from any state {@code FAILED} or
 * {@code CANCELLED}.
 */
public enum JobState {
  /** Accepted, inputs checked, not started. */
  QUEUED,
  /** Looking for a ComfyUI server that answers (or starting one). */
  WAITING_FOR_POD,
  /** Sending the image and audio. */
  UPLOADING,
  /** The workflow is in ComfyUI's queue. */
  SUBMITTED,
  /** ComfyUI is running the workflow. */
  GENERATING,
  /** Fetching the finished MP4. */
  DOWNLOADING,
  /** The MP4 is on disk. Terminal. */
  COMPLETED,
  /** Ended with an error. Terminal. */
  FAILED,
  /** Cancelled by the caller. Terminal. */
  CANCELLED;

  /**
   * Whether the job can no longer change.
   *
   * @return true for {@link #COMPLETED}, {@link #FAILED} and {@link #CANCELLED}
   */
  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }
}
