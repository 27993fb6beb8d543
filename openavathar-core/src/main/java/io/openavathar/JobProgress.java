package io.openavathar;

import java.util.Objects;

/**
 * A snapshot of a job's real progress: bytes while uploading and downloading, queue position while
 * waiting in ComfyUI, sampler steps across InfiniteTalk's 81-frame windows while generating.
 * Immutable.
 *
 * <p>{@link #fraction()} is the whole job's progress from 0 to 1, weighted by stage (upload 5%,
 * generation 90%, download 5%); {@link #message()} says it in words, for example {@code "Generating
 * window 2 of 4, step 3 of 6"}. {@link #stage()} is the part of the message that changes only when
 * the job moves on to something else (here {@code "Generating window 2 of 4"}): a renderer that
 * prints a line per change of stage prints a few dozen lines for a whole job, however many steps or
 * bytes it reports. The stage can change while the fraction stays put (ComfyUI loading models for
 * minutes), so a renderer should redraw on a changed message, not only on a changed fraction.
 */
public final class JobProgress {
  private final JobState state;
  private final double fraction;
  private final String message;
  private final String stage;
  private final long bytesDone;
  private final long bytesTotal;
  private final int queuePosition;
  private final int window;
  private final int windows;
  private final int step;
  private final int steps;

  private JobProgress(Builder b) {
    this.state = b.state;
    this.fraction = b.fraction;
    this.message = b.message;
    this.stage = b.stage == null ? b.message : b.stage;
    this.bytesDone = b.bytesDone;
    this.bytesTotal = b.bytesTotal;
    this.queuePosition = b.queuePosition;
    this.window = b.window;
    this.windows = b.windows;
    this.step = b.step;
    this.steps = b.steps;
  }

  /**
   * A builder for a snapshot in {@code state}.
   *
   * @param state the job's state in the snapshot
   * @return a new builder
   */
  public static Builder builder(JobState state) {
    return new Builder(state);
  }

  /**
   * A builder holding this snapshot's values, to change some of them.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(state);
    b.fraction = fraction;
    b.message = message;
    b.stage = stage.equals(message) ? null : stage; // a stage not set apart follows a new message
    b.bytesDone = bytesDone;
    b.bytesTotal = bytesTotal;
    b.queuePosition = queuePosition;
    b.window = window;
    b.windows = windows;
    b.step = step;
    b.steps = steps;
    return b;
  }

  /**
   * The job's state when the snapshot was taken.
   *
   * @return the state, never null
   */
  public JobState state() {
    return state;
  }

  /**
   * The whole job's progress, 0 to 1.
   *
   * @return the fraction, 0 to 1
   */
  public double fraction() {
    return fraction;
  }

  /**
   * What is happening, in words, with the detail that changes often (step, bytes, frame).
   *
   * @return the message, never null ({@code ""} when nothing was said)
   */
  public String message() {
    return message;
  }

  /**
   * What the job is doing, in words that change only when it moves on to another stage, for example
   * {@code "Loading models (WanVideoModelLoader)"}, {@code "Generating window 2 of 4"}, {@code
   * "Saving the video"}; the {@link #message()} when the stage was not set apart from it.
   *
   * @return the stage, never null
   */
  public String stage() {
    return stage;
  }

  /**
   * Bytes transferred in the current upload or download; 0 otherwise.
   *
   * @return bytes done, 0 or more
   */
  public long bytesDone() {
    return bytesDone;
  }

  /**
   * Bytes to transfer in the current upload or download; -1 when unknown or not transferring.
   *
   * @return bytes to transfer, or -1
   */
  public long bytesTotal() {
    return bytesTotal;
  }

  /**
   * Prompts ahead of this one in ComfyUI's queue; -1 when not known or not queued.
   *
   * @return the queue position, or -1
   */
  public int queuePosition() {
    return queuePosition;
  }

  /**
   * The frame window being generated, from 1; 0 when not generating.
   *
   * @return the window, or 0
   */
  public int window() {
    return window;
  }

  /**
   * Frame windows in this video (one per 72 frames after the first 81); 0 when not known.
   *
   * @return the number of windows, or 0
   */
  public int windows() {
    return windows;
  }

  /**
   * The sampler step within the current window, from 1; 0 when not sampling.
   *
   * @return the step, or 0
   */
  public int step() {
    return step;
  }

  /**
   * Sampler steps per window; 0 when not known.
   *
   * @return the steps per window, or 0
   */
  public int steps() {
    return steps;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobProgress p
        && state == p.state
        && Double.compare(fraction, p.fraction) == 0
        && message.equals(p.message)
        && stage.equals(p.stage)
        && bytesDone == p.bytesDone
        && bytesTotal == p.bytesTotal
        && queuePosition == p.queuePosition
        && window == p.window
        && windows == p.windows
        && step == p.step
        && steps == p.steps;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        state,
        fraction,
        message,
        stage,
        bytesDone,
        bytesTotal,
        queuePosition,
        window,
        windows,
        step,
        steps);
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT, "JobProgress{%s %.1f%% %s}", state, fraction * 100, message);
  }

  /** Builds a {@link JobProgress}. */
  public static final class Builder {
    private final JobState state;
    private double fraction;
    private String message = "";
    private String stage;
    private long bytesDone;
    private long bytesTotal = -1;
    private int queuePosition = -1;
    private int window;
    private int windows;
    private int step;
    private int steps;

    private Builder(JobState state) {
      this.state = Objects.requireNonNull(state, "state");
    }

    /**
     * Clamped to [0, 1].
     *
     * @param fraction the fraction; NaN counts as 0
     * @return this builder
     */
    public Builder fraction(double fraction) {
      this.fraction = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
      return this;
    }

    /**
     * What is happening, in words; default {@code ""}.
     *
     * @param message the message
     * @return this builder
     */
    public Builder message(String message) {
      this.message = Objects.requireNonNull(message, "message");
      return this;
    }

    /**
     * The stage, in words that change only when the job moves on (see {@link JobProgress#stage()}).
     *
     * @param stage the stage; default the {@link #message}
     * @return this builder
     */
    public Builder stage(String stage) {
      this.stage = Objects.requireNonNull(stage, "stage");
      return this;
    }

    /**
     * Bytes transferred in the current upload or download; default 0 of -1 (unknown).
     *
     * @param done bytes transferred so far
     * @param total bytes to transfer, or -1 when unknown
     * @return this builder
     */
    public Builder bytes(long done, long total) {
      this.bytesDone = done;
      this.bytesTotal = total;
      return this;
    }

    /**
     * Prompts ahead of this one in ComfyUI's queue; default -1 (unknown).
     *
     * @param queuePosition the queue position, or -1
     * @return this builder
     */
    public Builder queuePosition(int queuePosition) {
      this.queuePosition = queuePosition;
      return this;
    }

    /**
     * The frame window being generated; default 0 of 0.
     *
     * @param window the window, from 1; 0 when not generating
     * @param windows the number of windows; 0 when not known
     * @return this builder
     */
    public Builder window(int window, int windows) {
      this.window = window;
      this.windows = windows;
      return this;
    }

    /**
     * The sampler step within the current window; default 0 of 0.
     *
     * @param step the step, from 1; 0 when not sampling
     * @param steps steps per window; 0 when not known
     * @return this builder
     */
    public Builder step(int step, int steps) {
      this.step = step;
      this.steps = steps;
      return this;
    }

    /**
     * Builds the snapshot.
     *
     * @return the snapshot, immutable
     */
    public JobProgress build() {
      return new JobProgress(this);
    }
  }
}
