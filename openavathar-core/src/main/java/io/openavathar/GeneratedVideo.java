package io.openavathar;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;

/** A finished talking-avatar video: where it is on disk and where it came from. Immutable. */
public final class GeneratedVideo {
  private final String id;
  private final String jobId;
  private final String podId;
  private final String promptId;
  private final String remoteFile;
  private final Path file;
  private final long sizeBytes;
  private final int width;
  private final int height;
  private final int frames;
  private final Duration duration;
  private final long seed;
  private final String gpuType;
  private final double gpuSeconds;
  private final OptionalDouble pricePerHour;
  private final OptionalDouble costUsd;
  private final Instant createdAt;

  private GeneratedVideo(Builder b) {
    this.id = Objects.requireNonNull(b.id, "id");
    this.jobId = Objects.requireNonNull(b.jobId, "jobId");
    this.podId = Objects.requireNonNull(b.podId, "podId");
    this.promptId = Objects.requireNonNull(b.promptId, "promptId");
    this.remoteFile = Objects.requireNonNull(b.remoteFile, "remoteFile");
    this.file = Objects.requireNonNull(b.file, "file");
    this.sizeBytes = b.sizeBytes;
    this.width = b.width;
    this.height = b.height;
    this.frames = b.frames;
    this.duration = Objects.requireNonNull(b.duration, "duration");
    this.seed = b.seed;
    this.gpuType = Objects.requireNonNull(b.gpuType, "gpuType");
    this.gpuSeconds = b.gpuSeconds;
    this.pricePerHour = b.pricePerHour;
    this.costUsd = b.costUsd;
    this.createdAt = Objects.requireNonNull(b.createdAt, "createdAt");
  }

  /**
   * A builder with no values set; every value without a stated default is required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding these values, to change some of them.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.jobId = jobId;
    b.podId = podId;
    b.promptId = promptId;
    b.remoteFile = remoteFile;
    b.file = file;
    b.sizeBytes = sizeBytes;
    b.width = width;
    b.height = height;
    b.frames = frames;
    b.duration = duration;
    b.seed = seed;
    b.gpuType = gpuType;
    b.gpuSeconds = gpuSeconds;
    b.pricePerHour = pricePerHour;
    b.costUsd = costUsd;
    b.createdAt = createdAt;
    return b;
  }

  /**
   * The video's id, unique in the studio's store.
   *
   * @return the id, never null
   */
  public String id() {
    return id;
  }

  /**
   * The id of the job that generated it.
   *
   * @return the job id, never null
   */
  public String jobId() {
    return jobId;
  }

  /**
   * The pod that generated it.
   *
   * @return the pod id, never null
   */
  public String podId() {
    return podId;
  }

  /**
   * The ComfyUI prompt id.
   *
   * @return the prompt id, never null
   */
  public String promptId() {
    return promptId;
  }

  /**
   * The file on the server, as {@code type/subfolder/filename}.
   *
   * @return the remote file, never null
   */
  public String remoteFile() {
    return remoteFile;
  }

  /**
   * The MP4 on local disk.
   *
   * @return the local file, never null
   */
  public Path file() {
    return file;
  }

  /**
   * The MP4's size on local disk.
   *
   * @return the size in bytes
   */
  public long sizeBytes() {
    return sizeBytes;
  }

  /**
   * The width in pixels, as read from the MP4's video track (the requested width if the file could
   * not be read, or for an imported video, what the pod's history says).
   *
   * @return the width in pixels
   */
  public int width() {
    return width;
  }

  /**
   * The height in pixels, read like {@link #width()}.
   *
   * @return the height in pixels
   */
  public int height() {
    return height;
  }

  /**
   * The video's frames, read from the MP4 as its duration times its frame rate (the frames
   * requested from the audio, 25 per second, if the file could not be read).
   *
   * @return the number of frames
   */
  public int frames() {
    return frames;
  }

  /**
   * The video's length, read from the MP4 (the speech's length if the file could not be read).
   *
   * @return the length, never null
   */
  public Duration duration() {
    return duration;
  }

  /**
   * The sampler seed the video was generated with.
   *
   * @return the seed
   */
  public long seed() {
    return seed;
  }

  /**
   * The GPU type of the pod that generated it, for example {@code NVIDIA GeForce RTX 4090}; empty
   * if unknown.
   *
   * @return the GPU type, or {@code ""} if unknown
   */
  public String gpuType() {
    return gpuType;
  }

  /**
   * GPU time spent on it, 0 if unknown: what ComfyUI measured (its history's execution start to
   * end), else the time from the start event to the end as this SDK saw it.
   *
   * @return GPU seconds, 0 or more
   */
  public double gpuSeconds() {
    return gpuSeconds;
  }

  /**
   * USD per hour of the pod it ran on, as the provider reported it when the job started; empty if
   * unknown (a static ComfyUI URL, a video imported from a pod's history).
   *
   * @return USD per hour, or empty
   */
  public OptionalDouble pricePerHour() {
    return pricePerHour;
  }

  /**
   * What it cost in USD, {@code gpuSeconds() / 3600 x pricePerHour()}; empty if either is unknown.
   *
   * @return USD, or empty
   */
  public OptionalDouble costUsd() {
    return costUsd;
  }

  /**
   * When the video was finished, on the studio's clock.
   *
   * @return the instant, never null
   */
  public Instant createdAt() {
    return createdAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GeneratedVideo v
        && id.equals(v.id)
        && jobId.equals(v.jobId)
        && podId.equals(v.podId)
        && promptId.equals(v.promptId)
        && remoteFile.equals(v.remoteFile)
        && file.equals(v.file)
        && sizeBytes == v.sizeBytes
        && width == v.width
        && height == v.height
        && frames == v.frames
        && duration.equals(v.duration)
        && seed == v.seed
        && gpuType.equals(v.gpuType)
        && Double.compare(gpuSeconds, v.gpuSeconds) == 0
        && pricePerHour.equals(v.pricePerHour)
        && costUsd.equals(v.costUsd)
        && createdAt.equals(v.createdAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        id,
        jobId,
        podId,
        promptId,
        remoteFile,
        file,
        sizeBytes,
        width,
        height,
        frames,
        duration,
        seed,
        gpuType,
        gpuSeconds,
        pricePerHour,
        costUsd,
        createdAt);
  }

  @Override
  public String toString() {
    return "GeneratedVideo{id="
        + id
        + ", file="
        + file
        + ", "
        + width
        + "x"
        + height
        + ", frames="
        + frames
        + ", size="
        + sizeBytes
        + ", pod="
        + podId
        + ", seed="
        + seed
        + "}";
  }

  /** Builds a {@link GeneratedVideo}. */
  public static final class Builder {
    private String id;
    private String jobId;
    private String podId;
    private String promptId;
    private String remoteFile;
    private Path file;
    private long sizeBytes;
    private int width;
    private int height;
    private int frames;
    private Duration duration = Duration.ZERO;
    private long seed;
    private String gpuType = "";
    private double gpuSeconds;
    private OptionalDouble pricePerHour = OptionalDouble.empty();
    private OptionalDouble costUsd = OptionalDouble.empty();
    private Instant createdAt;

    private Builder() {}

    /**
     * The video's id. Required.
     *
     * @param id the id
     * @return this builder
     */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /**
     * The id of the job that generated it. Required.
     *
     * @param jobId the job id
     * @return this builder
     */
    public Builder jobId(String jobId) {
      this.jobId = jobId;
      return this;
    }

    /**
     * The pod that generated it. Required.
     *
     * @param podId the pod id
     * @return this builder
     */
    public Builder podId(String podId) {
      this.podId = podId;
      return this;
    }

    /**
     * The ComfyUI prompt id. Required.
     *
     * @param promptId the prompt id
     * @return this builder
     */
    public Builder promptId(String promptId) {
      this.promptId = promptId;
      return this;
    }

    /**
     * The file on the server, as {@code type/subfolder/filename}. Required.
     *
     * @param remoteFile the remote file
     * @return this builder
     */
    public Builder remoteFile(String remoteFile) {
      this.remoteFile = remoteFile;
      return this;
    }

    /**
     * The MP4 on local disk. Required.
     *
     * @param file the local file
     * @return this builder
     */
    public Builder file(Path file) {
      this.file = file;
      return this;
    }

    /**
     * The MP4's size in bytes; default 0.
     *
     * @param sizeBytes the size in bytes
     * @return this builder
     */
    public Builder sizeBytes(long sizeBytes) {
      this.sizeBytes = sizeBytes;
      return this;
    }

    /**
     * The video's size in pixels; default 0 by 0.
     *
     * @param width the width in pixels
     * @param height the height in pixels
     * @return this builder
     */
    public Builder size(int width, int height) {
      this.width = width;
      this.height = height;
      return this;
    }

    /**
     * The video's frames; default 0.
     *
     * @param frames the number of frames
     * @return this builder
     */
    public Builder frames(int frames) {
      this.frames = frames;
      return this;
    }

    /**
     * The video's length. Required.
     *
     * @param duration the length
     * @return this builder
     */
    public Builder duration(Duration duration) {
      this.duration = duration;
      return this;
    }

    /**
     * The sampler seed; default 0.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The pod's GPU type; default empty (unknown).
     *
     * @param gpuType the GPU type, for example {@code NVIDIA GeForce RTX 4090}
     * @return this builder
     */
    public Builder gpuType(String gpuType) {
      this.gpuType = gpuType;
      return this;
    }

    /**
     * GPU seconds spent; default 0 (unknown).
     *
     * @param gpuSeconds GPU seconds
     * @return this builder
     */
    public Builder gpuSeconds(double gpuSeconds) {
      this.gpuSeconds = gpuSeconds;
      return this;
    }

    /**
     * USD per hour of the pod it ran on; default empty (unknown).
     *
     * @param pricePerHour USD per hour, or empty
     * @return this builder
     * @throws IllegalArgumentException if the price is negative or infinite
     */
    public Builder pricePerHour(OptionalDouble pricePerHour) {
      this.pricePerHour = nonNegative(pricePerHour, "pricePerHour");
      return this;
    }

    /**
     * What it cost in USD; default empty (unknown).
     *
     * @param costUsd USD, or empty
     * @return this builder
     * @throws IllegalArgumentException if the cost is negative or infinite
     */
    public Builder costUsd(OptionalDouble costUsd) {
      this.costUsd = nonNegative(costUsd, "costUsd");
      return this;
    }

    private static OptionalDouble nonNegative(OptionalDouble value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isPresent()
          && !(value.getAsDouble() >= 0 && Double.isFinite(value.getAsDouble()))) {
        throw new IllegalArgumentException(
            name + " must be a finite amount of at least 0, was " + value.getAsDouble());
      }
      return value;
    }

    /**
     * When the video was finished. Required.
     *
     * @param createdAt the instant
     * @return this builder
     */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    /**
     * Builds the video.
     *
     * @return the video, immutable
     * @throws NullPointerException if a required value was not set
     */
    public GeneratedVideo build() {
      return new GeneratedVideo(this);
    }
  }
}
