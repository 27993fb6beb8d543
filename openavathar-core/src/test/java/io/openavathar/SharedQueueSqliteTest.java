package io.openavathar;

import io.openavathar.store.StudioStore;

/** {@link SharedQueueContract} on one SQLite file, opened by each studio. */
class SharedQueueSqliteTest extends SharedQueueContract {
  @Override
  StudioStore openStore() {
    return StudioStore.open(dir.resolve("data"));
  }
}
