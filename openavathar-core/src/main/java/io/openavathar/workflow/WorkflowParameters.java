package io.openavathar.workflow;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The values patched into a {@link WorkflowTemplate} for one job. Immutable; built with {@link
 * #builder()}.
 *
 * <pre>{@code
 * WorkflowParameters p = WorkflowParameters.builder()
 *     .image("face.png").audio("speech.wav").prompt("a person is speaking")
 *     .size(480, 832).maxFrames(250).seed(42).outputPrefix("OpenAvathar/job-1")
 *     .build();
 * }</pre>
 */
public final class WorkflowParameters {
  private final String image;
  private final String audio;
  private final String prompt;
  private final String negativePrompt;
  private final int width;
  private final int height;
  private final int maxFrames;
  private final Double audioCfgScale;
  private final long seed;
  private final String outputPrefix;

  private WorkflowParameters(Builder b) {
    this.image = require(b.image, "image");
    this.audio = require(b.audio, "audio");
    this.prompt = require(b.prompt, "prompt");
    this.negativePrompt = b.negativePrompt;
    this.outputPrefix = require(b.outputPrefix, "outputPrefix");
    if (b.width <= 0 || b.height <= 0) {
      throw new IllegalArgumentException(
          "width and height must be set and positive, were " + b.width + "x" + b.height);
    }
    if (b.maxFrames <= 0) {
      throw new IllegalArgumentException("maxFrames must be positive, was " + b.maxFrames);
    }
    if (b.seed == null) {
      throw new IllegalArgumentException("seed is required, but was not set");
    }
    this.width = b.width;
    this.height = b.height;
    this.maxFrames = b.maxFrames;
    this.audioCfgScale = b.audioCfgScale;
    this.seed = b.seed;
  }

  private static String require(String value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " is required, but was not set");
    }
    return value;
  }

  /**
   * A builder with nothing set; every value but the negative prompt and the audio CFG scale is
   * required.
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
    b.image = image;
    b.audio = audio;
    b.prompt = prompt;
    b.negativePrompt = negativePrompt;
    b.width = width;
    b.height = height;
    b.maxFrames = maxFrames;
    b.audioCfgScale = audioCfgScale;
    b.seed = seed;
    b.outputPrefix = outputPrefix;
    return b;
  }

  /**
   * The uploaded image as the node expects it ({@code subfolder/name} or name).
   *
   * @return the image value
   */
  public String image() {
    return image;
  }

  /**
   * The uploaded audio as the node expects it.
   *
   * @return the audio value
   */
  public String audio() {
    return audio;
  }

  /**
   * The positive prompt.
   *
   * @return the prompt, never null
   */
  public String prompt() {
    return prompt;
  }

  /**
   * The negative prompt, or empty to keep the template's.
   *
   * @return the negative prompt, or empty
   */
  public Optional<String> negativePrompt() {
    return Optional.ofNullable(negativePrompt);
  }

  /**
   * The video's width in pixels.
   *
   * @return the width, positive
   */
  public int width() {
    return width;
  }

  /**
   * The video's height in pixels.
   *
   * @return the height, positive
   */
  public int height() {
    return height;
  }

  /**
   * The most frames to generate (25 per second of audio).
   *
   * @return the frame cap, positive
   */
  public int maxFrames() {
    return maxFrames;
  }

  /**
   * The audio CFG scale, or empty to keep the template's.
   *
   * @return the scale, or empty
   */
  public OptionalDouble audioCfgScale() {
    return audioCfgScale == null ? OptionalDouble.empty() : OptionalDouble.of(audioCfgScale);
  }

  /**
   * The sampler seed.
   *
   * @return the seed
   */
  public long seed() {
    return seed;
  }

  /**
   * The output file name prefix, unique per job (for example {@code OpenAvathar/job-1234}).
   *
   * @return the prefix, never null
   */
  public String outputPrefix() {
    return outputPrefix;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WorkflowParameters p
        && image.equals(p.image)
        && audio.equals(p.audio)
        && prompt.equals(p.prompt)
        && Objects.equals(negativePrompt, p.negativePrompt)
        && width == p.width
        && height == p.height
        && maxFrames == p.maxFrames
        && Objects.equals(audioCfgScale, p.audioCfgScale)
        && seed == p.seed
        && outputPrefix.equals(p.outputPrefix);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        image,
        audio,
        prompt,
        negativePrompt,
        width,
        height,
        maxFrames,
        audioCfgScale,
        seed,
        outputPrefix);
  }

  @Override
  public String toString() {
    return "WorkflowParameters{image="
        + image
        + ", audio="
        + audio
        + ", size="
        + width
        + "x"
        + height
        + ", maxFrames="
        + maxFrames
        + ", seed="
        + seed
        + ", outputPrefix="
        + outputPrefix
        + "}";
  }

  /** Builds {@link WorkflowParameters}. */
  public static final class Builder {
    private String image;
    private String audio;
    private String prompt;
    private String negativePrompt;
    private int width;
    private int height;
    private int maxFrames;
    private Double audioCfgScale;
    private Long seed;
    private String outputPrefix;

    private Builder() {}

    /**
     * The uploaded image as the node expects it. Required.
     *
     * @param image the image value
     * @return this builder
     */
    public Builder image(String image) {
      this.image = Objects.requireNonNull(image, "image");
      return this;
    }

    /**
     * The uploaded audio as the node expects it. Required.
     *
     * @param audio the audio value
     * @return this builder
     */
    public Builder audio(String audio) {
      this.audio = Objects.requireNonNull(audio, "audio");
      return this;
    }

    /**
     * The positive prompt. Required.
     *
     * @param prompt the prompt
     * @return this builder
     */
    public Builder prompt(String prompt) {
      this.prompt = Objects.requireNonNull(prompt, "prompt");
      return this;
    }

    /**
     * Null keeps the template's negative prompt.
     *
     * @param negativePrompt the negative prompt, or null
     * @return this builder
     */
    public Builder negativePrompt(String negativePrompt) {
      this.negativePrompt = negativePrompt;
      return this;
    }

    /**
     * The video's size in pixels. Required.
     *
     * @param width the width, positive
     * @param height the height, positive
     * @return this builder
     */
    public Builder size(int width, int height) {
      this.width = width;
      this.height = height;
      return this;
    }

    /**
     * The most frames to generate. Required.
     *
     * @param maxFrames the frame cap, positive
     * @return this builder
     */
    public Builder maxFrames(int maxFrames) {
      this.maxFrames = maxFrames;
      return this;
    }

    /**
     * Null keeps the template's value.
     *
     * @param audioCfgScale the scale, or null
     * @return this builder
     */
    public Builder audioCfgScale(Double audioCfgScale) {
      this.audioCfgScale = audioCfgScale;
      return this;
    }

    /**
     * The sampler seed. Required.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The output file name prefix. Required.
     *
     * @param outputPrefix the prefix
     * @return this builder
     */
    public Builder outputPrefix(String outputPrefix) {
      this.outputPrefix = Objects.requireNonNull(outputPrefix, "outputPrefix");
      return this;
    }

    /**
     * Builds the parameters.
     *
     * @return the parameters, immutable
     * @throws IllegalArgumentException if a required value is missing, or a size or the frame cap
     *     is not positive
     */
    public WorkflowParameters build() {
      return new WorkflowParameters(this);
    }
  }
}
