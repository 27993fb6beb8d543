package io.openavathar.examples.cli;

import java.nio.file.Path;

/**
 * The one rule for every command's data directory: --data-dir, else OPENAVATHAR_DATA_DIR, else a
 * default.
 */
final class DataDirs {
  /** {@code ~/.openavathar}, the SDK's own default. */
  static final Path HOME_DEFAULT = Path.of(System.getProperty("user.home"), ".openavathar");

  private DataDirs() {}

  static Path resolve(Path flag, Path fallback) {
    if (flag != null) {
      return flag;
    }
    String env = System.getenv("OPENAVATHAR_DATA_DIR");
    return env != null && !env.isBlank() ? Path.of(env) : fallback;
  }
}
