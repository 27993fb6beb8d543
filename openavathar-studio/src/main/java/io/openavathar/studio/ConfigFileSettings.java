package io.openavathar.studio;

import io.openavathar.OpenAvatharException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * {@link Settings} in {@code <data-dir>/config.properties}, the file the CLI reads too, owner-only
 * ({@link OwnerOnlyFiles}).
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
        throw new OpenAvatharException(
            "Cannot read the settings file "
                + file
                + ": "
                + e.getMessage()
                + ". Check its permissions, or delete it and enter the settings again.",
            e);
      }
    }
    return p;
  }

  private void save(Properties p) {
    try {
      java.io.StringWriter text = new java.io.StringWriter();
      p.store(text, "OpenAvathar settings (owner-only: it may hold your RunPod API key)");
      OwnerOnlyFiles.write(file, text.toString());
    } catch (IOException | UncheckedIOException e) {
      throw new OpenAvatharException(
          "Cannot write the settings file "
              + file
              + ": "
              + e.getMessage()
              + ". Check that the data directory is writable (openavathar studio --data-dir DIR).",
          e);
    }
  }
}
