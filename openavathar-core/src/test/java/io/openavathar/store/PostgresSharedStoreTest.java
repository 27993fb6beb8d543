package io.openavathar.store;

import static io.openavathar.store.StoreFixtures.job;
import static io.openavathar.store.StoreFixtures.videoOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.JobState;
import io.openavathar.testkit.postgres.PostgresDatabase;
import io.openavathar.testkit.postgres.PostgresServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Studios sharing one PostgreSQL store: several stores (each its own pool, as several processes
 * have) in threads of this JVM, and a second JVM ({@link QueueWorkerMain}), claim, complete and log
 * at once. Each test has a database of its own.
 */
class PostgresSharedStoreTest {
  private static final int JOBS = 200;
  private static final int STORES = 4;

  @TempDir Path dir;
  private PostgresDatabase db;
  private final ExecutorService threads = Executors.newFixedThreadPool(STORES);
  private final List<StudioStore> stores = new ArrayList<>();

  @BeforeEach
  void database() {
    db = PostgresServer.shared().createDatabase("shared");
  }

  @AfterEach
  void close() {
    threads.shutdownNow();
    stores.forEach(StudioStore::close);
  }

  private StudioStore store() {
    StudioStore s = PostgresStudioStoreTest.connect(db);
    stores.add(s);
    return s;
  }

  /** Inserts {@link #JOBS} queued jobs, oldest first, each with a pending track. */
  private void queue(StudioStore s) {
    for (int i = 0; i < JOBS; i++) {
      String id = String.format("job-%03d", i);
      s.insertJob(job(id, StoreWorkerMain.NOW.minusSeconds(JOBS - i)));
      s.addPendingTrack(id, StoreWorkerMain.NOW);
    }
  }

  /** Runs {@code work(i)} for i in 0..n-1 at once on the pool; returns each one's result. */
  private <T> List<T> atOnce(int n, java.util.function.IntFunction<Callable<T>> work)
      throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Callable<T> task = work.apply(i);
      futures.add(
          threads.submit(
              () -> {
                start.await();
                return task.call();
              }));
    }
    start.countDown();
    List<T> results = new ArrayList<>();
    for (Future<T> f : futures) {
      results.add(f.get(60, TimeUnit.SECONDS));
    }
    return results;
  }

  @Test
  void manyStoresClaimUnfinishedAtOnce_everyJobAndTrackIsClaimedExactlyOnce() throws Exception {
    queue(store());
    for (int i = 0; i < STORES; i++) {
      store();
    }
    List<Map<String, List<String>>> claims =
        atOnce(
            STORES,
            i ->
                () -> {
                  List<String> jobs = new ArrayList<>();
                  List<String> tracks = new ArrayList<>();
                  QueueWorkerMain.work(stores.get(i + 1), "studio-" + i, 3, jobs::add, tracks::add);
                  return Map.of("jobs", jobs, "tracks", tracks);
                });

    assertExactlyOnce(claims.stream().map(c -> c.get("jobs")).toList());
    assertExactlyOnce(claims.stream().map(c -> c.get("tracks")).toList());
    assertThat(claims)
        .as("every studio got work")
        .allSatisfy(c -> assertThat(c.get("jobs")).isNotEmpty());
    for (int i = 0; i < STORES; i++) {
      String owner = "studio-" + i;
      for (String id : claims.get(i).get("jobs")) {
        assertThat(stores.get(0).claim(id))
            .hasValueSatisfying(c -> assertThat(c.owner()).isEqualTo(owner));
      }
    }
  }

  /** Each of the lists' ids appears in exactly one list, once, and together they are all jobs. */
  private static void assertExactlyOnce(List<List<String>> perOwner) {
    Map<String, Integer> counts = new HashMap<>();
    perOwner.forEach(ids -> ids.forEach(id -> counts.merge(id, 1, Integer::sum)));
    assertThat(counts).hasSize(JOBS);
    assertThat(counts.values()).as("claims per id").containsOnly(1);
  }

  @Test
  void aSecondProcessClaimsAtTheSameTime_everyJobAndTrackIsClaimedExactlyOnce() throws Exception {
    StudioStore mine = store();
    queue(mine);
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                testClassPath(),
                QueueWorkerMain.class.getName(),
                db.jdbcUrlWithUser(),
                "child-process",
                "2")
            .redirectError(dir.resolve("child-stderr.txt").toFile());
    pb.environment().put("OPENAVATHAR_STORE_PASSWORD", db.password());
    Process child = pb.start();
    try {
      List<String> lines = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> ready = new CompletableFuture<>();
      CompletableFuture<Void> output =
          CompletableFuture.runAsync(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                    if (line.equals("ready")) {
                      ready.complete(null);
                    }
                  }
                  ready.completeExceptionally(new AssertionError("no ready: " + lines));
                } catch (Exception e) {
                  ready.completeExceptionally(e);
                }
              });
      ready.get(60, TimeUnit.SECONDS);
      Collection<String> myJobs = new ConcurrentLinkedQueue<>();
      Collection<String> myTracks = new ConcurrentLinkedQueue<>();
      try (Writer go = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
        go.write("go\n");
      }
      QueueWorkerMain.work(mine, "parent-process", 2, myJobs::add, myTracks::add);

      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
      output.get(10, TimeUnit.SECONDS);
      assertThat(child.exitValue())
          .as("child exit code; stderr: %s", Files.readString(dir.resolve("child-stderr.txt")))
          .isZero();
      assertThat(lines).contains("done");
      List<String> theirJobs = after(lines, "job ");
      List<String> theirTracks = after(lines, "track ");
      assertExactlyOnce(List.of(List.copyOf(myJobs), theirJobs));
      assertExactlyOnce(List.of(List.copyOf(myTracks), theirTracks));
      for (String id : theirJobs) {
        assertThat(mine.claim(id))
            .hasValueSatisfying(c -> assertThat(c.owner()).isEqualTo("child-process"));
      }
    } finally {
      child.destroyForcibly();
    }
  }

  private static List<String> after(List<String> lines, String prefix) {
    return lines.stream()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .toList();
  }

  @Test
  void manyStoresClaimAndTakeOverTheSameJobsAtOnce_eachJobHasOneOwner() throws Exception {
    queue(store());
    for (int i = 0; i < STORES; i++) {
      store();
    }
    List<List<String>> claimed =
        atOnce(
            STORES,
            t ->
                () -> {
                  StudioStore s = stores.get(t + 1);
                  List<String> won = new ArrayList<>();
                  for (int i = 0; i < JOBS; i++) {
                    String id = String.format("job-%03d", (i + t * 50) % JOBS);
                    if (s.claimJob(id, "studio-" + t, StoreWorkerMain.NOW, StoreWorkerMain.LEASE)) {
                      won.add(id);
                    }
                  }
                  return won;
                });
    assertExactlyOnce(claimed);

    // studio-0 is gone: the others race to take its jobs over; each goes to one of them
    List<String> orphans = claimed.get(0);
    List<List<String>> takenOver =
        atOnce(
            STORES - 1,
            t ->
                () -> {
                  StudioStore s = stores.get(t + 2);
                  List<String> won = new ArrayList<>();
                  for (String id : orphans) {
                    if (s.takeOverJob(
                        id, "studio-0", "heir-" + t, StoreWorkerMain.NOW, StoreWorkerMain.LEASE)) {
                      won.add(id);
                    }
                  }
                  return won;
                });
    Map<String, Integer> heirs = new HashMap<>();
    takenOver.forEach(ids -> ids.forEach(id -> heirs.merge(id, 1, Integer::sum)));
    assertThat(heirs.keySet()).containsExactlyInAnyOrderElementsOf(orphans);
    assertThat(heirs.values()).containsOnly(1);
  }

  @Test
  void twoStoresCompleteTheSameJobsAtOnce_eachJobHasItsVideoOnce() throws Exception {
    StudioStore first = store();
    StudioStore second = store();
    for (int i = 0; i < 50; i++) {
      first.insertJob(job("j" + i, StoreWorkerMain.NOW));
    }
    atOnce(
        2,
        t ->
            () -> {
              StudioStore s = t == 0 ? first : second;
              for (int i = 0; i < 50; i++) {
                JobRecord done =
                    job("j" + i, StoreWorkerMain.NOW).toBuilder()
                        .state(JobState.COMPLETED)
                        .outputFile("/out/j" + i + ".mp4")
                        .build();
                s.completeJob(done, videoOf("j" + i, StoreWorkerMain.NOW));
              }
              return null;
            });

    for (int i = 0; i < 50; i++) {
      assertThat(first.job("j" + i))
          .hasValueSatisfying(j -> assertThat(j.state()).isEqualTo(JobState.COMPLETED));
      assertThat(second.video("j" + i)).isPresent();
    }
    assertThat(first.videos(0, 100)).hasSize(50);
  }

  @Test
  void storesAppendToOneJobsLogAtOnce_noLineIsLost() throws Exception {
    for (int i = 0; i < STORES; i++) {
      store();
    }
    stores.get(0).insertJob(job("j1", StoreWorkerMain.NOW));
    int perStore = JdbcStudioStore.LOG_LINES / STORES;
    atOnce(
        STORES,
        t ->
            () -> {
              for (int i = 0; i < perStore; i++) {
                stores.get(t).appendJobLog("j1", StoreWorkerMain.NOW, "store " + t + " line " + i);
              }
              return null;
            });

    List<String> log = stores.get(0).jobLog("j1");
    assertThat(log).hasSize(JdbcStudioStore.LOG_LINES).doesNotHaveDuplicates();
    for (int t = 0; t < STORES; t++) {
      String prefix = "store " + t + " ";
      assertThat(log.stream().filter(l -> l.startsWith(prefix))).hasSize(perStore);
    }
  }

  /** Surefire's real test class path (java.class.path may be a manifest-only booter jar). */
  private static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }
}
