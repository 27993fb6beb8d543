package io.openavathar.license.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Keeps the license database private: {@code licenses.db} and its {@code -wal}/{@code -shm} files
 * hold every key and buyer e-mail, so they are created readable by the owner only (0600, a new data
 * directory 0700) before SQLite opens them, whatever the umask. SQLite gives the {@code -wal} and
 * {@code -shm} files it creates the database file's mode; existing files from an older server are
 * tightened too. On file systems without POSIX permissions nothing is set.
 */
final class OwnerOnlyFiles {
  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final String[] COMPANIONS = {"-wal", "-shm", "-journal"};

  private OwnerOnlyFiles() {}

  /**
   * Creates the directory (0700) if missing and the database file (0600), or tightens an existing
   * one.
   */
  static void prepare(Path directory, Path database) {
    boolean posix = isPosix(directory);
    try {
      if (!Files.isDirectory(directory)) {
        Files.createDirectories(
            directory,
            posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIRECTORY)}
                : new FileAttribute<?>[0]);
      }
      if (!posix) {
        return;
      }
      if (Files.exists(database)) {
        Files.setPosixFilePermissions(database, FILE);
      } else {
        Files.createFile(database, PosixFilePermissions.asFileAttribute(FILE));
      }
      restrictCompanions(database);
    } catch (IOException e) {
      throw new LicenseStoreException(
          "Could not create the data directory "
              + directory
              + " or its licenses.db"
              + " readable by this user only: "
              + e
              + ". Check that the directory is writable by this user.",
          e);
    }
  }

  /**
   * Sets 0600 on the database's {@code -wal}, {@code -shm} and {@code -journal} files that exist
   * now.
   */
  static void restrictCompanions(Path database) {
    if (!isPosix(database)) {
      return;
    }
    for (String suffix : COMPANIONS) {
      Path companion = database.resolveSibling(database.getFileName() + suffix);
      try {
        if (Files.exists(companion)) {
          Files.setPosixFilePermissions(companion, FILE);
        }
      } catch (IOException e) {
        throw new LicenseStoreException(
            "Could not make "
                + companion
                + " readable by this user only: "
                + e
                + ". Check who owns the data directory.",
            e);
      }
    }
  }

  private static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
