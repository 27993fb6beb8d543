package io.openavathar.workflow;

import java.util.Locale;
import java.util.Optional;

/**
 * The values the SDK patches into a workflow, each bound to one node input of the template. Only
 * {@link #IMAGE} and {@link #AUDIO} are required: a graph of ComfyUI core nodes has no prompt, seed
 * or frame count, and a value whose binding is missing is simply not patched (the graph's own value
 * stays).
 *
 * <p>Each binding has a {@link #key() key} for text (command lines, configuration files, messages):
 * {@code image}, {@code audio}, {@code prompt}, {@code negative-prompt}, {@code width}, {@code
 * height}, {@code max-frames}, {@code audio-cfg}, {@code seed}, {@code output-prefix}.
 */
public enum WorkflowBinding {
  /** The uploaded image's name, for a {@code LoadImage.image} input. Required. */
  IMAGE(true, "image"),
  /** The uploaded audio's name, for a {@code LoadAudio.audio} input. Required. */
  AUDIO(true, "audio"),
  /** The positive prompt text. Optional. */
  PROMPT(false, "prompt"),
  /**
   * The negative prompt text. Optional: the template's own text stays when unbound or not given.
   */
  NEGATIVE_PROMPT(false, "negative-prompt"),
  /** Output width in pixels. Optional. */
  WIDTH(false, "width"),
  /** Output height in pixels. Optional. */
  HEIGHT(false, "height"),
  /** The number of frames to generate (25 per second of audio). Optional. */
  MAX_FRAMES(false, "max-frames"),
  /** Audio CFG scale. Optional. */
  AUDIO_CFG_SCALE(false, "audio-cfg"),
  /**
   * The sampler seed. Optional, but bind it when the graph has a sampler: a resubmission with a new
   * seed is then never a silent cache hit.
   */
  SEED(false, "seed"),
  /**
   * The output file name prefix, unique per job (for example {@code OpenAvathar/job-1234}).
   * Optional.
   */
  OUTPUT_PREFIX(false, "output-prefix");

  private final boolean required;
  private final String key;

  WorkflowBinding(boolean required, String key) {
    this.required = required;
    this.key = key;
  }

  /**
   * Whether every template must bind this value (only {@link #IMAGE} and {@link #AUDIO}).
   *
   * @return true if required
   */
  public boolean isRequired() {
    return required;
  }

  /**
   * The binding's name in text, for example {@code max-frames}.
   *
   * @return the key
   */
  public String key() {
    return key;
  }

  /**
   * The binding with this {@link #key() key} or constant name, ignoring case and treating {@code _}
   * as {@code -} ({@code max-frames}, {@code MAX_FRAMES}); {@code audio-cfg-scale} is accepted too.
   * Empty if none.
   *
   * @param text the key or constant name
   * @return the binding, or empty
   */
  public static Optional<WorkflowBinding> fromKey(String text) {
    String k = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (WorkflowBinding b : values()) {
      if (b.key.equals(k) || b.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(k)) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }
}
