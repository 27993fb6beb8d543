package io.openavathar.comfy;

import java.util.Objects;

/**
 * A file a node produced, as listed in history outputs ({@code gifs}, {@code videos} or {@code
 * images}); downloaded through {@code /view} with the three parts as separate parameters (never
 * from {@code fullpath}).
 *
 * @param filename the bare file name, for example {@code InfiniteTalk_00001-audio.mp4}
 * @param subfolder the subfolder, empty for none
 * @param type {@code output}, {@code temp} or {@code input}
 */
public record OutputFile(String filename, String subfolder, String type) {
  /**
   * Checks that no value is null.
   *
   * @param filename the bare file name
   * @param subfolder the subfolder, empty for none
   * @param type {@code output}, {@code temp} or {@code input}
   */
  public OutputFile {
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(subfolder, "subfolder");
    Objects.requireNonNull(type, "type");
  }

  private static final java.util.List<String> VIDEO_EXTENSIONS =
      java.util.List.of(".mp4", ".webm", ".mov", ".mkv", ".m4v");

  /**
   * Whether the file is a video, by its extension (mp4, webm, mov, mkv, m4v).
   *
   * @return true for a video file
   */
  public boolean isVideo() {
    String name = filename.toLowerCase(java.util.Locale.ROOT);
    return VIDEO_EXTENSIONS.stream().anyMatch(name::endsWith);
  }
}
