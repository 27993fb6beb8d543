package io.openavathar.examples.cli;

import io.openavathar.GenerationRequest;
import io.openavathar.InvalidInputException;
import io.openavathar.Orientation;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The generation options shared by {@code generate} and {@code demo}. */
final class GenerationOptions {
  @Option(
      names = "--prompt",
      description = "What the video shows (default: \"a person is speaking\").")
  String prompt;

  @Option(
      names = "--orientation",
      defaultValue = "auto",
      description = "portrait (480x832), landscape (832x480) or auto (from the image; default).")
  String orientation;

  @Option(
      names = "--max-frames",
      description =
          "Most frames allowed, 1-10000, 25 per second of audio (default 1000 = 40 s). Raise it for longer"
              + " audio.")
  Integer maxFrames;

  @Option(
      names = "--audio-cfg",
      description = "Audio CFG scale, 0-100 (default 1; other values are slower).")
  Double audioCfg;

  @Option(
      names = "--seed",
      description = "Sampler seed, 0 or more (default: random; printed at the end).")
  Long seed;

  @Option(
      names = "--out",
      description = "Where to write the MP4 (default: ./avatar-<time>-<id>.mp4).")
  Path out;

  @Mixin WorkflowOptions workflow = new WorkflowOptions();

  @Mixin StoreOptions store = new StoreOptions();

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where jobs and videos are recorded (default: $OPENAVATHAR_DATA_DIR or ~/.openavathar).")
  Path dataDir;

  /** The data directory: --data-dir, else OPENAVATHAR_DATA_DIR, else {@code fallback}. */
  Path dataDir(Path fallback) {
    return DataDirs.resolve(dataDir, fallback);
  }

  GenerationRequest.Builder apply(GenerationRequest.Builder b) {
    if (prompt != null) {
      b.prompt(prompt);
    }
    b.orientation(orientation());
    set("--max-frames", maxFrames, b::maxFrames);
    set("--audio-cfg", audioCfg, b::audioCfgScale);
    set("--seed", seed, b::seed);
    if (out != null) {
      b.outputFile(out);
    }
    workflow.template().ifPresent(b::workflow);
    return b;
  }

  /**
   * Applies a set option; a value the request refuses is a usage error naming the flag (not the
   * builder method).
   */
  private static <T> void set(String flag, T value, Consumer<T> setter) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          flag + " " + value + " is out of range; see the allowed values with --help");
    }
  }

  private Orientation orientation() {
    try {
      return Orientation.valueOf(orientation.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--orientation must be portrait, landscape or auto, was '" + orientation + "'");
    }
  }
}
