package io.openavathar;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a job is expected to take and cost before anything is started ({@link
 * AvatarStudio#estimate}). Immutable.
 *
 * <p>GPU time is the frames InfiniteTalk samples (whole 81-frame windows) times the seconds per
 * frame of the GPU the job would run on, plus a fixed part per job (loading models). The seconds
 * per frame start from published figures ({@link Basis#PUBLISHED_FIGURES}) and are replaced by this
 * studio's own measured runs on that GPU type as soon as there is one ({@link Basis#MEASURED}), so
 * the range narrows as history grows. When no pod is ready the estimate includes the pod's boot
 * time, which is billed too. Every figure is a {@link Range}: what a job of this length most likely
 * takes, and the span it should fall in.
 */
public final class CostEstimate {
  /** Where the seconds per frame came from. */
  public enum Basis {
    /**
     * Published InfiniteTalk timings for this GPU type (or a generic figure for an unknown one): a
     * wide range.
     */
    PUBLISHED_FIGURES,
    /** This studio's own finished runs on this GPU type. */
    MEASURED
  }

  /**
   * A low, expected and high value.
   *
   * @param low the low end of the likely span
   * @param expected the most likely value
   * @param high the high end of the likely span
   */
  public record Range(double low, double expected, double high) {
    /**
     * Checks the ends.
     *
     * @param low the low end, at least 0
     * @param expected the most likely value, at least {@code low}
     * @param high the high end, at least {@code expected} and finite
     * @throws IllegalArgumentException if the ends are out of order, negative or infinite
     */
    public Range {
      if (!(low >= 0 && low <= expected && expected <= high) || Double.isInfinite(high)) {
        throw new IllegalArgumentException(
            "need 0 <= low <= expected <= high, were " + low + ", " + expected + ", " + high);
      }
    }

    /**
     * A range of one value.
     *
     * @param value the value of every end, at least 0
     * @return the range
     */
    public static Range exactly(double value) {
      return new Range(value, value, value);
    }

    /**
     * Every end times {@code factor}.
     *
     * @param factor the factor, at least 0
     * @return a new range
     */
    public Range times(double factor) {
      return new Range(low * factor, expected * factor, high * factor);
    }

    /**
     * The end-wise sum.
     *
     * @param other the range to add
     * @return a new range
     */
    public Range plus(Range other) {
      return new Range(low + other.low, expected + other.expected, high + other.high);
    }
  }

  private final String gpuType;
  private final double pricePerHour;
  private final int frames;
  private final int sampledFrames;
  private final boolean podMustStart;
  private final Range gpuSeconds;
  private final Range bootSeconds;
  private final Basis basis;
  private final int measuredRuns;

  private CostEstimate(Builder b) {
    this.gpuType = Objects.requireNonNull(b.gpuType, "gpuType");
    this.pricePerHour = b.pricePerHour;
    this.frames = b.frames;
    this.sampledFrames = b.sampledFrames;
    this.podMustStart = b.podMustStart;
    this.gpuSeconds = Objects.requireNonNull(b.gpuSeconds, "gpuSeconds");
    this.bootSeconds =
        b.podMustStart ? Objects.requireNonNull(b.bootSeconds, "bootSeconds") : Range.exactly(0);
    this.basis = Objects.requireNonNull(b.basis, "basis");
    this.measuredRuns = b.measuredRuns;
  }

  /**
   * A builder with no values set; {@link Builder#frames} and {@link Builder#gpuSeconds} are
   * required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The GPU type the job would most likely run on, for example {@code NVIDIA GeForce RTX 4090};
   * empty if unknown.
   *
   * @return the GPU type, or {@code ""} if unknown
   */
  public String gpuType() {
    return gpuType;
  }

  /**
   * USD per hour of the pod the job would run on; empty when unknown (your own ComfyUI server).
   *
   * @return USD per hour, or empty
   */
  public OptionalDouble pricePerHour() {
    return pricePerHour > 0 ? OptionalDouble.of(pricePerHour) : OptionalDouble.empty();
  }

  /**
   * Frames of the video (25 per second of audio).
   *
   * @return the number of frames, at least 1
   */
  public int frames() {
    return frames;
  }

  /**
   * Frames InfiniteTalk samples for it: whole windows, so at least one window even for a short
   * clip.
   *
   * @return the number of sampled frames, at least {@link #frames()}
   */
  public int sampledFrames() {
    return sampledFrames;
  }

  /**
   * Whether no pod is ready, so one would be started (or deployed) first and its boot is part of
   * the cost.
   *
   * @return true if a pod must start first
   */
  public boolean podMustStart() {
    return podMustStart;
  }

  /**
   * Seconds of GPU time generating the video.
   *
   * @return GPU seconds, low to high
   */
  public Range gpuSeconds() {
    return gpuSeconds;
  }

  /**
   * Seconds for a pod to boot until ComfyUI answers; zero when a pod is ready.
   *
   * @return boot seconds, low to high; all 0 when a pod is ready
   */
  public Range bootSeconds() {
    return bootSeconds;
  }

  /**
   * Seconds billed: boot and generation.
   *
   * @return {@link #bootSeconds()} plus {@link #gpuSeconds()}, low to high
   */
  public Range billedSeconds() {
    return gpuSeconds.plus(bootSeconds);
  }

  /**
   * USD for the billed seconds at the pod's price; empty when the price is unknown (your own
   * ComfyUI server).
   *
   * @return USD, low to high, or empty
   */
  public Optional<Range> costUsd() {
    return pricePerHour > 0
        ? Optional.of(billedSeconds().times(pricePerHour / 3600.0))
        : Optional.empty();
  }

  /**
   * What the figures rest on: published figures or this studio's own measurements.
   *
   * @return the basis, never null
   */
  public Basis basis() {
    return basis;
  }

  /**
   * How many of this studio's runs on {@link #gpuType()} the figures rest on; 0 for published
   * figures.
   *
   * @return the number of measured runs, 0 or more
   */
  public int measuredRuns() {
    return measuredRuns;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CostEstimate e
        && gpuType.equals(e.gpuType)
        && Double.compare(pricePerHour, e.pricePerHour) == 0
        && frames == e.frames
        && sampledFrames == e.sampledFrames
        && podMustStart == e.podMustStart
        && gpuSeconds.equals(e.gpuSeconds)
        && bootSeconds.equals(e.bootSeconds)
        && basis == e.basis
        && measuredRuns == e.measuredRuns;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        gpuType,
        pricePerHour,
        frames,
        sampledFrames,
        podMustStart,
        gpuSeconds,
        bootSeconds,
        basis,
        measuredRuns);
  }

  /**
   * For example {@code CostEstimate{RTX 4090 at $0.34/h, 250 frames, GPU 410 s (330-490), boot 150
   * s, $0.05-$0.06}}.
   */
  @Override
  public String toString() {
    StringBuilder s =
        new StringBuilder("CostEstimate{").append(gpuType.isEmpty() ? "unknown GPU" : gpuType);
    if (pricePerHour > 0) {
      s.append(String.format(Locale.ROOT, " at $%.2f/h", pricePerHour));
    }
    s.append(", ").append(frames).append(" frames, GPU ").append(seconds(gpuSeconds));
    if (podMustStart) {
      s.append(", boot ").append(seconds(bootSeconds));
    }
    costUsd()
        .ifPresent(
            c ->
                s.append(
                    String.format(
                        Locale.ROOT, ", $%.2f ($%.2f-$%.2f)", c.expected(), c.low(), c.high())));
    return s.append(", ")
        .append(basis == Basis.MEASURED ? measuredRuns + " measured runs" : "published figures")
        .append('}')
        .toString();
  }

  private static String seconds(Range r) {
    return String.format(Locale.ROOT, "%.0f s (%.0f-%.0f)", r.expected(), r.low(), r.high());
  }

  /**
   * Builds a {@link CostEstimate}; used by the studio and by tests of code that shows estimates.
   */
  public static final class Builder {
    private String gpuType = "";
    private double pricePerHour;
    private int frames;
    private int sampledFrames;
    private boolean podMustStart;
    private Range gpuSeconds;
    private Range bootSeconds;
    private Basis basis = Basis.PUBLISHED_FIGURES;
    private int measuredRuns;

    private Builder() {}

    /**
     * The GPU type the job would most likely run on; default {@code ""} (unknown).
     *
     * @param gpuType the GPU type, for example {@code NVIDIA GeForce RTX 4090}
     * @return this builder
     */
    public Builder gpuType(String gpuType) {
      this.gpuType = Objects.requireNonNull(gpuType, "gpuType");
      return this;
    }

    /**
     * USD per hour; 0 when unknown.
     *
     * @param pricePerHour USD per hour, 0 or more and finite
     * @return this builder
     * @throws IllegalArgumentException if {@code pricePerHour} is negative or infinite
     */
    public Builder pricePerHour(double pricePerHour) {
      if (!(pricePerHour >= 0) || Double.isInfinite(pricePerHour)) {
        throw new IllegalArgumentException(
            "pricePerHour must be 0 (unknown) or positive, was " + pricePerHour);
      }
      this.pricePerHour = pricePerHour;
      return this;
    }

    /**
     * The video's frames and the frames InfiniteTalk samples for it. Required.
     *
     * @param frames the video's frames, at least 1
     * @param sampledFrames the sampled frames, at least {@code frames}
     * @return this builder
     * @throws IllegalArgumentException if {@code frames} is below 1 or above {@code sampledFrames}
     */
    public Builder frames(int frames, int sampledFrames) {
      if (frames < 1 || sampledFrames < frames) {
        throw new IllegalArgumentException(
            "need 1 <= frames <= sampledFrames, were " + frames + " and " + sampledFrames);
      }
      this.frames = frames;
      this.sampledFrames = sampledFrames;
      return this;
    }

    /**
     * Seconds of GPU time generating the video. Required.
     *
     * @param gpuSeconds the range of GPU seconds
     * @return this builder
     */
    public Builder gpuSeconds(Range gpuSeconds) {
      this.gpuSeconds = gpuSeconds;
      return this;
    }

    /**
     * A pod must start first, taking this long.
     *
     * @param bootSeconds how long the pod takes to boot until ComfyUI answers
     * @return this builder
     */
    public Builder podMustStart(Range bootSeconds) {
      this.podMustStart = true;
      this.bootSeconds = bootSeconds;
      return this;
    }

    /**
     * What the figures rest on; default {@link Basis#PUBLISHED_FIGURES} with 0 runs.
     *
     * @param basis the basis
     * @param measuredRuns the number of runs measured: above 0 for {@link Basis#MEASURED}, 0
     *     otherwise
     * @return this builder
     * @throws IllegalArgumentException if {@code measuredRuns} does not fit {@code basis}
     */
    public Builder basis(Basis basis, int measuredRuns) {
      if (measuredRuns < 0 || (basis == Basis.MEASURED) != (measuredRuns > 0)) {
        throw new IllegalArgumentException(
            "MEASURED needs runs, PUBLISHED_FIGURES none; were " + basis + " and " + measuredRuns);
      }
      this.basis = basis;
      this.measuredRuns = measuredRuns;
      return this;
    }

    /**
     * Builds the estimate.
     *
     * @return the estimate, immutable
     * @throws IllegalStateException if the frames were not set
     * @throws NullPointerException if the GPU seconds were not set
     */
    public CostEstimate build() {
      if (frames == 0) {
        throw new IllegalStateException("frames are required");
      }
      return new CostEstimate(this);
    }
  }
}
