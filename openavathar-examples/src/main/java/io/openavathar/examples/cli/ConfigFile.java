package io.openavathar.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The user's defaults for command-line options: {@code <data-dir>/config.properties}, one {@code
 * key=value} per line, keys being long option names without dashes ({@code max-price=0.8}, {@code
 * cloud=community,secure}, {@code runpod-api-key=...}). The CLI reads it as picocli defaults (a
 * flag given on the command line wins); the file is written owner-only (0600, its directory 0700
 * when created here) because it may hold the RunPod API key. Public so that other front ends (the
 * Studio web app) read and write the same file and keys.
 */
public final class ConfigFile {
  /** The file's name in the data directory. */
  public static final String FILE_NAME = "config.properties";

  /** Keys whose values are secrets: {@link #list(boolean)} masks them. */
  public static final Set<String> SECRET_KEYS = Set.of("runpod-api-key", "license-key");

  /** The keys {@code openavathar config set} accepts, with what each sets. */
  public static final Map<String, String> KEYS = keys();

  private final Path file;

  /** The config file of {@code dataDir} (which need not exist yet). */
  public ConfigFile(Path dataDir) {
    this.file = dataDir.resolve(FILE_NAME);
  }

  private static Map<String, String> keys() {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("min-vram", "least GPU memory in GB for GPUs chosen by need");
    keys.put("max-price", "most a pod may cost, USD per hour");
    keys.put("cloud", "clouds to try in order, e.g. community,secure");
    keys.put("gpu", "GPU type ids to try instead of choosing by need, comma-separated");
    keys.put("daily-cap", "most the videos of one UTC day may cost, USD (generate, jobs run)");
    keys.put("max-cost", "most one video may cost by its estimate, USD (generate)");
    keys.put("runpod-api-key", "the RunPod API key (masked by `config list`)");
    keys.put("runpod-api-url", "RunPod's REST v2 base URL");
    keys.put("runpod-proxy-pattern", "the pod HTTP proxy URL pattern");
    keys.put("license-url", "the license server");
    keys.put("comfy-url", "your ComfyUI server's URL: RunPod is then not used");
    return java.util.Collections.unmodifiableMap(keys);
  }

  /**
   * The data directory for the config, found before the command line is parsed: --data-dir, else
   * the default.
   */
  static Path dataDir(String[] args) {
    Path flag = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--data-dir") && i + 1 < args.length) {
        flag = Path.of(args[i + 1]);
      } else if (args[i].startsWith("--data-dir=")) {
        flag = Path.of(args[i].substring("--data-dir=".length()));
      }
    }
    return DataDirs.resolve(flag, DataDirs.HOME_DEFAULT);
  }

  /** Where the file is. */
  public Path path() {
    return file;
  }

  /** The settings, empty when there is no file. */
  public Properties read() {
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
      }
    }
    return p;
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(read().getProperty(checked(key)));
  }

  /** Sets {@code key} (one of {@link #KEYS}) to {@code value}, after checking the value. */
  public void set(String key, String value) {
    checkValue(checked(key), value);
    Properties p = read();
    p.setProperty(key, value.trim());
    write(p);
  }

  /** Removes {@code key}; false if it was not set. */
  public boolean unset(String key) {
    Properties p = read();
    if (p.remove(checked(key)) == null) {
      return false;
    }
    write(p);
    return true;
  }

  /** Every setting in key order (unknown keys last), secrets masked when {@code masked}. */
  public Map<String, String> list(boolean masked) {
    Properties p = read();
    Map<String, String> all = new LinkedHashMap<>();
    KEYS.keySet().stream().filter(p::containsKey).forEach(k -> all.put(k, p.getProperty(k)));
    p.stringPropertyNames().stream()
        .sorted()
        .filter(k -> !all.containsKey(k))
        .forEach(k -> all.put(k, p.getProperty(k)));
    if (masked) {
      all.replaceAll((k, v) -> SECRET_KEYS.contains(k) ? mask(v) : v);
    }
    return all;
  }

  /** {@code rpa_…WXYZ}: enough to tell keys apart, not enough to use one. */
  static String mask(String secret) {
    return secret.length() <= 8
        ? "****"
        : secret.substring(0, 4) + "…" + secret.substring(secret.length() - 4);
  }

  private static String checked(String key) {
    if (!KEYS.containsKey(key)) {
      throw new IllegalArgumentException(
          "Unknown config key '" + key + "'; valid keys: " + String.join(", ", KEYS.keySet()));
    }
    return key;
  }

  private static void checkValue(String key, String value) {
    String v = value.trim();
    if (v.isEmpty()) {
      throw new IllegalArgumentException(
          "The value of "
              + key
              + " must not be empty; use `openavathar config unset "
              + key
              + "` to remove it");
    }
    try {
      switch (key) {
        case "min-vram" -> {
          if (Integer.parseInt(v) < 1) {
            throw new NumberFormatException();
          }
        }
        case "max-price", "daily-cap", "max-cost" -> {
          double d = Double.parseDouble(v);
          if (!(d > 0) || Double.isInfinite(d)) {
            throw new NumberFormatException();
          }
        }
        case "cloud" -> List.of(v.split(",")).forEach(GpuOptions::cloud);
        default -> {}
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key
              + " must be a positive "
              + (key.equals("min-vram")
                  ? "whole number of GB"
                  : key.equals("max-price") ? "number of USD per hour" : "number of USD")
              + ", was '"
              + value
              + "'");
    }
  }

  private void write(Properties p) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
      if (!Files.isDirectory(dir)) {
        if (posix) {
          Files.createDirectories(
              dir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(dir);
        }
      }
      Path tmp =
          posix
              ? Files.createTempFile(
                  dir,
                  ".config",
                  ".tmp",
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rw-------")))
              : Files.createTempFile(dir, ".config", ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        p.store(
            out,
            "OpenAvathar CLI defaults: `openavathar config set KEY VALUE`; command-line flags win");
      }
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "ConfigFile{" + file + "}";
  }
}
