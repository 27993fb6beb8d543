package io.openavathar.studio;

import io.openavathar.OpenAvatharException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * {@link Settings} in {@code <data-dir>/config.properties}, the file the CLI reads too: the directory is owner-only
 * (0700) and the file (0600) from the moment it exists (written to an owner-only temporary file, then moved).
 */
final class ConfigFileSettings implements Settings {
  static final String FILE_NAME = "config.properties";

  private final Path file;

  ConfigFileSettings(Path dataDirectory) {
    this.file = dataDirectory.resolve(FILE_NAME);
  }

  Path file() {
    return file;
  }

  @Override
  public synchronized Optional<String> get(String key) {
    String v = load().getProperty(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  @Override
  public synchronized void put(String key, String value) {
    Properties p = load();
    if (value == null || value.isBlank()) {
      p.remove(key);
    } else {
      p.setProperty(key, value.trim());
    }
    save(p);
  }

  private Properties load() {
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        throw new OpenAvatharException("Cannot read the settings file " + file + ": " + e.getMessage()
            + ". Check its permissions, or delete it and enter the settings again.", e);
      }
    }
    return p;
  }

  private void save(Properties p) {
    Path dir = file.toAbsolutePath().getParent();
    try {
      boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
      if (posix) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      } else {
        Files.createDirectories(dir);
      }
      Path tmp = posix
          ? Files.createTempFile(dir, "config", ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
          : Files.createTempFile(dir, "config", ".tmp");
      try {
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
          p.store(w, "OpenAvathar settings (owner-only: it may hold your RunPod API key)");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException | UncheckedIOException e) {
      throw new OpenAvatharException("Cannot write the settings file " + file + ": " + e.getMessage()
          + ". Check that the data directory is writable (openavathar studio --data-dir DIR).", e);
    }
  }
}
