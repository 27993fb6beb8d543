package io.openavathar.workflow;

/** The values the SDK patches into a workflow, each bound to one node input of the template. */
public enum WorkflowBinding {
  /** The uploaded image's name, for a {@code LoadImage.image} input. Required. */
  IMAGE(true),
  /** The uploaded audio's name, for a {@code LoadAudio.audio} input. Required. */
  AUDIO(true),
  /** The positive prompt text. Required. */
  PROMPT(true),
  /** The negative prompt text. Optional: the template's own text stays when unbound or not given. */
  NEGATIVE_PROMPT(false),
  /** Output width in pixels. Required. */
  WIDTH(true),
  /** Output height in pixels. Required. */
  HEIGHT(true),
  /** The number of frames to generate (25 per second of audio). Required. */
  MAX_FRAMES(true),
  /** Audio CFG scale. Optional. */
  AUDIO_CFG_SCALE(false),
  /** The sampler seed. Required: a resubmission with a new seed is never a silent cache hit. */
  SEED(true),
  /** The output file name prefix, unique per job (for example {@code OpenAvathar/job-1234}). Required. */
  OUTPUT_PREFIX(true);

  private final boolean required;

  WorkflowBinding(boolean required) {
    this.required = required;
  }

  /** Whether every template must bind this value. */
  public boolean isRequired() {
    return required;
  }
}
