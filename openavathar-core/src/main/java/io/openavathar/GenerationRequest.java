package io.openavathar;

import io.openavathar.workflow.WorkflowTemplate;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What to generate: one portrait image and one speech recording, plus options. Immutable; build
 * with {@link #builder()}, change a copy with {@link #toBuilder()}.
 *
 * <pre>{@code
 * GenerationRequest request = GenerationRequest.builder()
 *     .image(Path.of("portrait.png"))
 *     .audio(Path.of("speech.wav"))
 *     .prompt("a woman is talking calmly")
 *     .build();
 * GenerationRequest again = request.toBuilder().seed(7).build();
 * }</pre>
 *
 * <p>Setters check their argument at once; {@link Builder#build()} checks that image and audio are
 * set. The files themselves are checked by {@link AvatarStudio#generate} before anything is
 * uploaded.
 */
public final class GenerationRequest {
  /** InfiniteTalk's own hard limit on frames. */
  static final int MAX_FRAMES_LIMIT = 10_000;

  private final Path image;
  private final Path audio;
  private final String prompt;
  private final String negativePrompt;
  private final Orientation orientation;
  private final Integer maxFrames;
  private final Double audioCfgScale;
  private final Long seed;
  private final String targetPod;
  private final Double maxCostUsd;
  private final Path outputFile;
  private final WorkflowTemplate workflow;

  private GenerationRequest(Builder b) {
    if (b.image == null) {
      throw new IllegalArgumentException(
          "image is required, but was not set: builder().image(Path)");
    }
    if (b.audio == null) {
      throw new IllegalArgumentException(
          "audio is required, but was not set: builder().audio(Path)");
    }
    this.image = b.image;
    this.audio = b.audio;
    this.prompt = b.prompt;
    this.negativePrompt = b.negativePrompt;
    this.orientation = b.orientation;
    this.maxFrames = b.maxFrames;
    this.audioCfgScale = b.audioCfgScale;
    this.seed = b.seed;
    this.targetPod = b.targetPod;
    this.maxCostUsd = b.maxCostUsd;
    this.outputFile = b.outputFile;
    this.workflow = b.workflow;
  }

  /**
   * A builder with the defaults; {@link Builder#image} and {@link Builder#audio} are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this request's values, to change some of them.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.image = image;
    b.audio = audio;
    b.prompt = prompt;
    b.negativePrompt = negativePrompt;
    b.orientation = orientation;
    b.maxFrames = maxFrames;
    b.audioCfgScale = audioCfgScale;
    b.seed = seed;
    b.targetPod = targetPod;
    b.maxCostUsd = maxCostUsd;
    b.outputFile = outputFile;
    b.workflow = workflow;
    return b;
  }

  /**
   * The portrait (PNG, JPEG or WebP, at least 256 px on the short side).
   *
   * @return the image file, never null
   */
  public Path image() {
    return image;
  }

  /**
   * The speech (WAV, MP3, FLAC, OGG or M4A).
   *
   * @return the audio file, never null
   */
  public Path audio() {
    return audio;
  }

  /**
   * The prompt; default {@code "a person is speaking"}.
   *
   * @return the prompt, never blank
   */
  public String prompt() {
    return prompt;
  }

  /**
   * The negative prompt; empty keeps the workflow's.
   *
   * @return the negative prompt, or empty
   */
  public Optional<String> negativePrompt() {
    return Optional.ofNullable(negativePrompt);
  }

  /**
   * The video's shape; default {@link Orientation#AUTO}.
   *
   * @return the orientation, never null
   */
  public Orientation orientation() {
    return orientation;
  }

  /**
   * The most frames this job may generate (25 per second of audio); empty uses the studio's cap
   * (default 1000 = 40 s). Audio longer than the cap is refused, not cut.
   *
   * @return the frame cap, or empty
   */
  public OptionalInt maxFrames() {
    return maxFrames == null ? OptionalInt.empty() : OptionalInt.of(maxFrames);
  }

  /**
   * Audio CFG scale; empty keeps the workflow's (1.0).
   *
   * @return the scale, or empty
   */
  public OptionalDouble audioCfgScale() {
    return audioCfgScale == null ? OptionalDouble.empty() : OptionalDouble.of(audioCfgScale);
  }

  /**
   * The sampler seed; empty means random (the chosen seed is recorded on the job and the video).
   *
   * @return the seed, or empty
   */
  public OptionalLong seed() {
    return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
  }

  /**
   * The pod to run on; empty lets the studio choose.
   *
   * @return the pod id, or empty
   */
  public Optional<String> targetPod() {
    return Optional.ofNullable(targetPod);
  }

  /**
   * The most this job may cost in USD by its {@link CostEstimate} (expected value); empty means no
   * limit. A job over it fails with {@link SpendLimitException} before any pod is started or file
   * uploaded.
   *
   * @return the limit in USD, or empty
   */
  public OptionalDouble maxCostUsd() {
    return maxCostUsd == null ? OptionalDouble.empty() : OptionalDouble.of(maxCostUsd);
  }

  /**
   * Where to write the MP4; empty writes it into the studio's output directory. Checked when the
   * job is accepted, before anything is uploaded: an existing directory, a path under a regular
   * file or a directory that cannot be written is refused with an {@link InvalidInputException}
   * whose {@link InvalidInputException#setting()} is {@link Setting#OUTPUT_FILE}.
   *
   * @return the output file, or empty
   */
  public Optional<Path> outputFile() {
    return Optional.ofNullable(outputFile);
  }

  /**
   * The workflow this request runs; empty runs the studio's ({@link
   * AvatarStudio.Builder#workflow}). Either way the job stores the graph it ran, so resuming or
   * retrying it (also from another studio) runs the same one.
   *
   * @return the workflow, or empty
   */
  public Optional<WorkflowTemplate> workflow() {
    return Optional.ofNullable(workflow);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GenerationRequest r
        && image.equals(r.image)
        && audio.equals(r.audio)
        && prompt.equals(r.prompt)
        && Objects.equals(negativePrompt, r.negativePrompt)
        && orientation == r.orientation
        && Objects.equals(maxFrames, r.maxFrames)
        && Objects.equals(audioCfgScale, r.audioCfgScale)
        && Objects.equals(seed, r.seed)
        && Objects.equals(targetPod, r.targetPod)
        && Objects.equals(maxCostUsd, r.maxCostUsd)
        && Objects.equals(outputFile, r.outputFile)
        && Objects.equals(workflow, r.workflow);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        image,
        audio,
        prompt,
        negativePrompt,
        orientation,
        maxFrames,
        audioCfgScale,
        seed,
        targetPod,
        maxCostUsd,
        outputFile,
        workflow);
  }

  @Override
  public String toString() {
    StringBuilder s =
        new StringBuilder("GenerationRequest{image=")
            .append(image)
            .append(", audio=")
            .append(audio)
            .append(", prompt=\"")
            .append(prompt)
            .append("\", orientation=")
            .append(orientation);
    if (maxFrames != null) {
      s.append(", maxFrames=").append(maxFrames);
    }
    if (audioCfgScale != null) {
      s.append(", audioCfgScale=").append(audioCfgScale);
    }
    if (seed != null) {
      s.append(", seed=").append(seed);
    }
    if (maxCostUsd != null) {
      s.append(", maxCostUsd=").append(maxCostUsd);
    }
    if (targetPod != null) {
      s.append(", targetPod=").append(targetPod);
    }
    if (outputFile != null) {
      s.append(", outputFile=").append(outputFile);
    }
    if (workflow != null) {
      s.append(", workflow=").append(workflow);
    }
    return s.append('}').toString();
  }

  /** Builds a {@link GenerationRequest}. */
  public static final class Builder {
    private Path image;
    private Path audio;
    private String prompt = "a person is speaking";
    private String negativePrompt;
    private Orientation orientation = Orientation.AUTO;
    private Integer maxFrames;
    private Double audioCfgScale;
    private Long seed;
    private String targetPod;
    private Double maxCostUsd;
    private Path outputFile;
    private WorkflowTemplate workflow;

    private Builder() {}

    /**
     * Required.
     *
     * @param image the portrait file
     * @return this builder
     */
    public Builder image(Path image) {
      this.image = Objects.requireNonNull(image, "image");
      return this;
    }

    /**
     * Required.
     *
     * @param audio the speech file
     * @return this builder
     */
    public Builder audio(Path audio) {
      this.audio = Objects.requireNonNull(audio, "audio");
      return this;
    }

    /**
     * Default {@code "a person is speaking"}. Must not be blank.
     *
     * @param prompt the prompt
     * @return this builder
     * @throws IllegalArgumentException if {@code prompt} is blank
     */
    public Builder prompt(String prompt) {
      Objects.requireNonNull(prompt, "prompt");
      if (prompt.isBlank()) {
        throw new IllegalArgumentException(
            "prompt must not be blank; leave it unset for the default");
      }
      this.prompt = prompt;
      return this;
    }

    /**
     * Null keeps the workflow's negative prompt.
     *
     * @param negativePrompt the negative prompt, or null
     * @return this builder
     */
    public Builder negativePrompt(String negativePrompt) {
      this.negativePrompt = negativePrompt;
      return this;
    }

    /**
     * Default {@link Orientation#AUTO}.
     *
     * @param orientation the orientation
     * @return this builder
     */
    public Builder orientation(Orientation orientation) {
      this.orientation = Objects.requireNonNull(orientation, "orientation");
      return this;
    }

    /**
     * The frame cap for this job, 1 to 10000; default the studio's cap (1000 = 40 s).
     *
     * @param maxFrames the frame cap, 1 to 10000
     * @return this builder
     * @throws IllegalArgumentException if {@code maxFrames} is out of range
     */
    public Builder maxFrames(int maxFrames) {
      if (maxFrames < 1 || maxFrames > MAX_FRAMES_LIMIT) {
        throw new IllegalArgumentException(
            "maxFrames must be between 1 and " + MAX_FRAMES_LIMIT + ", was " + maxFrames);
      }
      this.maxFrames = maxFrames;
      return this;
    }

    /**
     * Refuse the job, before anything is started or uploaded, if its estimated cost is over {@code
     * usd} (see {@link AvatarStudio#estimate}).
     *
     * @param usd the limit in USD, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code usd} is not positive
     */
    public Builder maxCostUsd(double usd) {
      if (!(usd > 0) || Double.isInfinite(usd)) {
        throw new IllegalArgumentException("maxCostUsd must be positive, was " + usd);
      }
      this.maxCostUsd = usd;
      return this;
    }

    /**
     * Audio CFG scale, 0 to 100; default the workflow's 1.0 (values other than 1 roughly double
     * sampling time).
     *
     * @param audioCfgScale the scale, 0 to 100
     * @return this builder
     * @throws IllegalArgumentException if {@code audioCfgScale} is out of range
     */
    public Builder audioCfgScale(double audioCfgScale) {
      if (!(audioCfgScale >= 0 && audioCfgScale <= 100)) {
        throw new IllegalArgumentException(
            "audioCfgScale must be between 0 and 100, was " + audioCfgScale);
      }
      this.audioCfgScale = audioCfgScale;
      return this;
    }

    /**
     * The sampler seed, 0 or more; default random.
     *
     * @param seed the seed, 0 or more
     * @return this builder
     * @throws IllegalArgumentException if {@code seed} is negative
     */
    public Builder seed(long seed) {
      if (seed < 0) {
        throw new IllegalArgumentException("seed must be 0 or more, was " + seed);
      }
      this.seed = seed;
      return this;
    }

    /**
     * Run on this pod id (see {@link io.openavathar.pod.PodProvider#listPods()}); default: the
     * studio chooses.
     *
     * @param podId the pod id
     * @return this builder
     */
    public Builder targetPod(String podId) {
      this.targetPod = Objects.requireNonNull(podId, "podId");
      return this;
    }

    /**
     * Write the MP4 here; default {@code <outputDirectory>/<job id>.mp4}.
     *
     * @param outputFile the MP4 file to write
     * @return this builder
     */
    public Builder outputFile(Path outputFile) {
      this.outputFile = Objects.requireNonNull(outputFile, "outputFile");
      return this;
    }

    /**
     * Run this request with {@code workflow} instead of the studio's; default the studio's.
     *
     * @param workflow the workflow
     * @return this builder
     */
    public Builder workflow(WorkflowTemplate workflow) {
      this.workflow = Objects.requireNonNull(workflow, "workflow");
      return this;
    }

    /**
     * Builds the request. The files are checked when the studio accepts the job, not here.
     *
     * @return the request, immutable
     * @throws IllegalArgumentException if the image or the audio was not set
     */
    public GenerationRequest build() {
      return new GenerationRequest(this);
    }
  }
}
