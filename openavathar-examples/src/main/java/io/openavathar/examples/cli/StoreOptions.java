package io.openavathar.examples.cli;

import io.openavathar.AvatarStudio;
import io.openavathar.store.StudioStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where a command's studio keeps its jobs, videos and pods: --store-url, else
 * OPENAVATHAR_STORE_URL, else the data directory's studio.db.
 */
final class StoreOptions {
  static final String ENV = "OPENAVATHAR_STORE_URL";

  @Option(
      names = "--store-url",
      paramLabel = "JDBC-URL",
      defaultValue = "${env:" + ENV + "}",
      description =
          "Keep jobs, videos and pods in this database instead of the data directory's studio.db,"
              + " for studios sharing one queue: jdbc:postgresql://HOST:5432/DB?user=NAME, the"
              + " password in $OPENAVATHAR_STORE_PASSWORD (default: $"
              + ENV
              + ").")
  String storeUrl;

  /** The store URL, if one is set. */
  Optional<String> url() {
    return Optional.ofNullable(storeUrl).filter(u -> !u.isBlank());
  }

  /** Points the studio at the store URL, if one is set. */
  AvatarStudio.Builder apply(AvatarStudio.Builder b) {
    url().ifPresent(b::storeUrl);
    return b;
  }

  /** The store the URL names, else the data directory's (created if missing). */
  StudioStore open(Path dataDir) {
    return url().map(StudioStore::connect).orElseGet(() -> StudioStore.open(dataDir));
  }

  /**
   * Whether there is a store to read: a URL, or a studio.db already in the data directory (reading
   * creates no data directory).
   */
  boolean exists(Path dataDir) {
    return url().isPresent() || Files.exists(dataDir.resolve("studio.db"));
  }
}
