package io.openavathar.store;

import static io.openavathar.store.StoreFixtures.T0;
import static io.openavathar.store.StoreFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The store contract on {@link StudioStore#inMemory()}. */
class InMemoryStudioStoreTest extends StudioStoreContract {
  @Override
  StudioStore newStore() {
    return StudioStore.inMemory();
  }

  @Test
  void inMemory_storesArePrivate() {
    store.insertJob(job("j1", T0));

    try (StudioStore other = StudioStore.inMemory()) {
      assertThat(other.job("j1")).isEmpty();
    }
  }
}
