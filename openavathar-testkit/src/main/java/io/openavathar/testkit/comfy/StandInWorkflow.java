package io.openavathar.testkit.comfy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The stand-in "talking avatar" workflow: an API-format graph of ComfyUI core nodes only (LoadImage
 * 1, LoadAudio 2, ImageScale 3, RepeatImageBatch 4, CreateVideo 5, SaveVideo 6, plus an unconnected
 * PrimitiveStringMultiline 7 and PrimitiveInt 8 holding a prompt and a seed), the same file the
 * project runs against a real CPU-only ComfyUI. The simulator runs it out of the box; it is the
 * model of a user's own workflow: bind image to {@code 1.image}, audio to {@code 2.audio}; node 6
 * saves the MP4 ({@code images} with {@code animated: [true]} in history).
 */
public final class StandInWorkflow {

  private StandInWorkflow() {}

  /**
   * The graph as JSON text.
   *
   * @return the API-format graph
   */
  public static String json() {
    return read("standin-workflow-api.json");
  }

  /**
   * The same graph with six slow {@code ImageBlur} nodes (10 to 15) between the frames and the
   * video.
   *
   * @return the API-format graph with slow nodes
   */
  public static String slowJson() {
    return read("standin-slow-workflow-api.json");
  }

  /**
   * Writes {@link #json()} to {@code file} and returns it.
   *
   * @param file the file to write, replaced if it exists
   * @return {@code file}
   */
  public static Path writeTo(Path file) {
    try {
      return Files.writeString(file, json());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(String resource) {
    try (InputStream in = StandInWorkflow.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "The testkit has no bundled "
                + resource
                + "; build openavathar-testkit with its resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
