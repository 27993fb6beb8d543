package io.openavathar.store;

import java.nio.file.Path;

/** Placeholder until the SQLite implementation lands. */
final class SqliteStudioStore {
  private SqliteStudioStore() {}

  static StudioStore open(Path dataDirectory) {
    throw new UnsupportedOperationException("filled in by the SQLite store implementation");
  }

  static StudioStore inMemory() {
    throw new UnsupportedOperationException("filled in by the SQLite store implementation");
  }
}
