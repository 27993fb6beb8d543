package io.openavathar.store;

import static io.openavathar.store.StoreFixtures.T0;
import static io.openavathar.store.StoreFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.JobState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two stores on one file, each used from several threads at once (as two SDK processes would). */
class ConcurrentStoreTest {
  private static final int STORES = 2;
  private static final int THREADS_PER_STORE = 4;
  private static final int JOBS_PER_THREAD = 100;

  @TempDir Path dir;
  private final ExecutorService pool = Executors.newFixedThreadPool(STORES * THREADS_PER_STORE);

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void twoStoresOnOneFile_manyThreadsInsertAndUpdate_everyJobIsThere() throws Exception {
    List<StudioStore> stores = openStores();
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int s = 0; s < STORES; s++) {
        for (int t = 0; t < THREADS_PER_STORE; t++) {
          StudioStore store = stores.get(s);
          String prefix = "s" + s + "t" + t + "-";
          done.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int i = 0; i < JOBS_PER_THREAD; i++) {
                      JobRecord job = job(prefix + i, T0.plusMillis(i));
                      store.insertJob(job);
                      store.updateJob(job.toBuilder().state(JobState.COMPLETED).attempt(i).build());
                    }
                    return null;
                  }));
        }
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS); // rethrows any failure, e.g. "database is locked"
      }

      try (StudioStore reader = StudioStore.open(dir)) {
        for (int s = 0; s < STORES; s++) {
          for (int t = 0; t < THREADS_PER_STORE; t++) {
            for (int i = 0; i < JOBS_PER_THREAD; i++) {
              String id = "s" + s + "t" + t + "-" + i;
              assertThat(reader.job(id))
                  .as(id)
                  .contains(
                      job(id, T0.plusMillis(i)).toBuilder()
                          .state(JobState.COMPLETED)
                          .attempt(i)
                          .build());
            }
          }
        }
      }
    } finally {
      stores.forEach(StudioStore::close);
    }
  }

  @Test
  void twoStoresOnOneFile_manyThreadsClaimTheSameJobs_eachJobHasExactlyOneOwner() throws Exception {
    List<StudioStore> stores = openStores();
    try {
      int jobs = 100;
      for (int i = 0; i < jobs; i++) {
        stores.get(0).insertJob(job("j" + i, T0));
      }
      Map<String, Set<String>> winners = new ConcurrentHashMap<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int s = 0; s < STORES; s++) {
        for (int t = 0; t < THREADS_PER_STORE; t++) {
          StudioStore store = stores.get(s);
          String owner = "owner-s" + s + "t" + t;
          done.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int i = 0; i < jobs; i++) {
                      if (store.claimJob("j" + i, owner, T0, StudioStoreContract.LEASE)) {
                        winners
                            .computeIfAbsent("j" + i, k -> ConcurrentHashMap.newKeySet())
                            .add(owner);
                      }
                    }
                    return null;
                  }));
        }
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }

      assertThat(winners).hasSize(jobs);
      winners.forEach((id, owners) -> assertThat(owners).as(id).hasSize(1));
    } finally {
      stores.forEach(StudioStore::close);
    }
  }

  @RepeatedTest(40)
  void eightStoresOpeningAFreshDirectoryAtOnce_allOpenAtTheLatestSchema(@TempDir Path fresh)
      throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<StudioStore>> opening = new ArrayList<>();
    for (int s = 0; s < 8; s++) {
      opening.add(
          pool.submit(
              () -> {
                start.await();
                return StudioStore.open(fresh);
              }));
    }
    start.countDown();
    List<StudioStore> stores = new ArrayList<>();
    try {
      for (Future<StudioStore> f : opening) {
        stores.add(f.get(30, TimeUnit.SECONDS));
      }
      assertThat(stores)
          .allSatisfy(s -> assertThat(s.schemaVersion()).isEqualTo(SchemaMigrations.LATEST));
    } finally {
      stores.forEach(StudioStore::close);
    }
  }

  /** Opens the stores at the same moment on a fresh directory, so their migrations race too. */
  private List<StudioStore> openStores() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<StudioStore>> opening = new ArrayList<>();
    for (int s = 0; s < STORES; s++) {
      opening.add(
          pool.submit(
              () -> {
                start.await();
                return StudioStore.open(dir);
              }));
    }
    start.countDown();
    List<StudioStore> stores = new ArrayList<>();
    for (Future<StudioStore> f : opening) {
      stores.add(f.get(30, TimeUnit.SECONDS));
    }
    assertThat(stores)
        .allSatisfy(s -> assertThat(s.schemaVersion()).isEqualTo(SchemaMigrations.LATEST));
    return stores;
  }
}
