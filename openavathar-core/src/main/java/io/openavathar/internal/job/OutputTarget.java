package io.openavathar.internal.job;

import io.openavathar.InvalidInputException;
import io.openavathar.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks where a job will write its MP4 when the job is accepted, before anything is uploaded or
 * any pod started: a path that cannot take the file would otherwise fail only after the paid
 * generation. Creates the missing directories on the way, as the download would.
 */
final class OutputTarget {
  /**
   * The request parameter a bad output names, whether the request chose the file or the studio's
   * default did.
   */
  private OutputTarget() {}

  /**
   * Checks that {@code file} can be written (created or replaced).
   *
   * @param chosen whether the request named the file (else it is in the studio's output directory)
   * @throws InvalidInputException naming the file, what is wrong and what to do
   */
  static void check(Path file, boolean chosen) {
    Path target = file.toAbsolutePath();
    String advice =
        chosen
            ? "Choose another output file."
            : "Choose another output directory, or name an output" + " file in the request.";
    if (Files.isDirectory(target)) {
      throw invalid(
          "Output file '"
              + target
              + "' is an existing directory. "
              + (chosen
                  ? "Choose another output file, such as " + target.resolve("video.mp4") + "."
                  : advice),
          null);
    }
    if (Files.exists(target) && !Files.isRegularFile(target)) {
      throw invalid(
          "Output file '"
              + target
              + "' exists and is not a regular file (a device, a pipe or a socket); "
              + "it would be replaced. "
              + advice,
          null);
    }
    Path dir = target.getParent();
    Path blocker = firstExisting(dir);
    if (blocker != null && !Files.isDirectory(blocker)) {
      throw invalid(
          "Output file '"
              + target
              + "' cannot be created: '"
              + blocker
              + "' is a file, not a directory. "
              + advice,
          null);
    }
    try {
      Files.createDirectories(dir);
      // The download writes a sibling part file and moves it into place: try exactly that kind of
      // write. Asking
      // Files.isWritable is not enough (root passes it on a read-only mount).
      Files.delete(Files.createTempFile(dir, ".openavathar-", ".probe"));
    } catch (IOException | SecurityException e) {
      throw invalid(
          "Output file '"
              + target
              + "' cannot be written: the directory '"
              + dir
              + "' "
              + (Files.isDirectory(dir) ? "is not writable" : "cannot be created")
              + " ("
              + e.getClass().getSimpleName()
              + "). "
              + advice,
          e);
    }
  }

  /** The path itself or its nearest ancestor that exists; null if none does. */
  private static Path firstExisting(Path path) {
    for (Path p = path; p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        return p;
      }
    }
    return null;
  }

  private static InvalidInputException invalid(String message, Throwable cause) {
    return new InvalidInputException(Setting.OUTPUT_FILE, message, cause);
  }
}
