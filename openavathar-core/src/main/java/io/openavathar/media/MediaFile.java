package io.openavathar.media;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** The checks every probed file passes before its content is read: there, a file, readable, not empty, not too big. */
final class MediaFile {
  private MediaFile() {}

  /** What the file system says about a path; a separate step so that tests can state facts a root user cannot make. */
  record Facts(boolean exists, boolean directory, boolean readable, long size) {
    static Facts of(Path file) throws IOException {
      boolean exists = Files.exists(file);
      boolean directory = exists && Files.isDirectory(file);
      boolean readable = exists && Files.isReadable(file);
      long size = exists && !directory ? Files.size(file) : 0;
      return new Facts(exists, directory, readable, size);
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
    return check(file, facts, kind, maxBytes);
  }

  static long check(Path file, Facts facts, MediaKind kind, long maxBytes) {
    if (!facts.exists()) {
      throw kind.missing(file);
    }
    if (facts.directory()) {
      throw kind.directory(file);
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
}
