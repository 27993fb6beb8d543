package io.openavathar.testkit.comfy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The simulator's input, output and temp directories, and ComfyUI's rules for naming files inside
 * them.
 */
final class Directories {

  private final Path input;
  private final Path output;
  private final Path temp;

  Directories(Path input, Path output, Path temp) {
    this.input = input.toAbsolutePath().normalize();
    this.output = output.toAbsolutePath().normalize();
    this.temp = temp.toAbsolutePath().normalize();
  }

  Path input() {
    return input;
  }

  Path output() {
    return output;
  }

  Path temp() {
    return temp;
  }

  /**
   * The directory for a {@code type} value ({@code input}, {@code output}, {@code temp}), or empty.
   */
  Optional<Path> byType(String type) {
    switch (type) {
      case "input":
        return Optional.of(input);
      case "output":
        return Optional.of(output);
      case "temp":
        return Optional.of(temp);
      default:
        return Optional.empty();
    }
  }

  /** Resolves {@code relative} below {@code base}; empty when it would escape {@code base}. */
  static Optional<Path> inside(Path base, String relative) {
    Path resolved = base.resolve(relative).toAbsolutePath().normalize();
    return resolved.startsWith(base) ? Optional.of(resolved) : Optional.empty();
  }

  /**
   * Tells whether a loader value such as {@code "sub/name.png"} or {@code "name.png [output]"}
   * names an existing file, as {@code folder_paths.exists_annotated_filepath} does (the default
   * directory is input).
   */
  boolean existsAnnotated(String value) {
    String name = value;
    Path base = input;
    for (String type : new String[] {"input", "output", "temp"}) {
      String suffix = " [" + type + "]";
      if (value.endsWith(suffix)) {
        name = value.substring(0, value.length() - suffix.length());
        base = byType(type).orElseThrow();
      }
    }
    return !name.isEmpty() && inside(base, name).map(Files::isRegularFile).orElse(false);
  }

  /** The file a loader value names, if it exists. */
  Optional<Path> resolveAnnotated(String value) {
    if (!existsAnnotated(value)) {
      return Optional.empty();
    }
    for (String type : new String[] {"input", "output", "temp"}) {
      String suffix = " [" + type + "]";
      if (value.endsWith(suffix)) {
        return inside(
            byType(type).orElseThrow(), value.substring(0, value.length() - suffix.length()));
      }
    }
    return inside(input, value);
  }

  void createAll() throws IOException {
    Files.createDirectories(input);
    Files.createDirectories(output);
    Files.createDirectories(temp);
  }
}
