package io.openavathar.media;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The checks every probed file passes before its content is read: there, a regular file, readable,
 * not empty, not too big, and named so that it can be opened by its name.
 */
final class MediaFile {
  private MediaFile() {}

  /**
   * What the file system says about a path; a separate step so that tests can state facts a root
   * user cannot make.
   *
   * @param regularFile a file with content of its own: not a directory, device ({@code /dev/zero}),
   *     pipe (a FIFO, {@code /dev/stdin} fed by a shell pipe) or socket, whose size says nothing
   *     and whose reading may never end
   */
  record Facts(
      boolean exists, boolean directory, boolean regularFile, boolean readable, long size) {
    static Facts of(Path file) throws IOException {
      boolean exists = Files.exists(file);
      boolean directory = exists && Files.isDirectory(file);
      boolean regularFile = exists && Files.isRegularFile(file);
      boolean readable = exists && Files.isReadable(file);
      long size = regularFile ? Files.size(file) : 0;
      return new Facts(exists, directory, regularFile, readable, size);
    }
  }

  /**
   * Checks the file and returns its size in bytes.
   *
   * @throws io.openavathar.InvalidInputException naming the file and what is wrong
   */
  static long check(Path file, MediaKind kind, long maxBytes) {
    if (file.getFileSystem() != FileSystems.getDefault()) {
      // jaudiotagger and our readers need a java.io.File.
      throw kind.notOnDefaultFileSystem(file);
    }
    Facts facts;
    try {
      facts = Facts.of(file);
    } catch (IOException e) {
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        throw kind.missing(file);
      }
      throw kind.unreadable(file, e);
    }
    if (!facts.exists() && hasSiblingNamedAlike(file) || facts.exists() && !reachableByName(file)) {
      throw kind.nameNotEncodable(file);
    }
    return check(file, facts, kind, maxBytes);
  }

  static long check(Path file, Facts facts, MediaKind kind, long maxBytes) {
    if (!facts.exists()) {
      throw kind.missing(file);
    }
    if (facts.directory()) {
      throw kind.directory(file);
    }
    if (!facts.regularFile()) {
      throw kind.notRegularFile(file);
    }
    if (!facts.readable()) {
      throw kind.unreadable(file, null);
    }
    if (facts.size() == 0) {
      throw kind.empty(file);
    }
    if (facts.size() > maxBytes) {
      throw kind.tooLarge(file, facts.size(), maxBytes);
    }
    return facts.size();
  }

  /**
   * Whether the file can be found again from its name as text: jaudiotagger, metadata-extractor's
   * readers and the upload open files through {@code java.io.File}, which knows only the text. A
   * name whose bytes are not valid in the JVM's file name encoding ({@code sun.jnu.encoding}) loses
   * them in the text: a path listed from its directory still opens, the text of it does not.
   */
  private static boolean reachableByName(Path file) {
    try {
      return Path.of(file.toString()).equals(file);
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /**
   * Whether a missing file's directory holds a file whose name reads the same as text but differs
   * in its bytes: the caller's name came from text (a command line) in which the bytes that are not
   * valid in the file name encoding were already replaced (by U+FFFD), so it cannot name the file.
   * Only looked for when the name holds such a replacement.
   */
  private static boolean hasSiblingNamedAlike(Path file) {
    Path name = file.getFileName();
    Path parent = file.toAbsolutePath().getParent();
    if (name == null || parent == null || name.toString().indexOf('\uFFFD') < 0) {
      return false;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
      for (Path entry : entries) {
        if (entry.getFileName().toString().equals(name.toString())) {
          return true;
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return false;
  }
}
