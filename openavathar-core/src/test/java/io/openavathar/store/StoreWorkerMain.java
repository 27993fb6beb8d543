package io.openavathar.store;

import io.openavathar.JobState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A second process for {@code TwoProcessStoreTest}: opens a data directory, says {@code ready},
 * then inserts, updates and logs {@code count} jobs while claiming the shared jobs, printing {@code
 * claimed <id>} for each it wins.
 *
 * <p>Arguments: data directory, job id prefix, job count, owner, shared job count.
 */
final class StoreWorkerMain {
  /** The "now" of every claim; with a long lease no claim expires during the test. */
  static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

  static final Duration LEASE = Duration.ofHours(1);

  private StoreWorkerMain() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    String prefix = args[1];
    int count = Integer.parseInt(args[2]);
    String owner = args[3];
    int shared = Integer.parseInt(args[4]);
    try (StudioStore store = StudioStore.open(dir)) {
      System.out.println("ready");
      System.out.flush();
      work(store, prefix, count, owner, shared, id -> System.out.println("claimed " + id));
      System.out.println("done");
    } catch (RuntimeException e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  /**
   * Inserts, updates and logs jobs {@code <prefix>-<i>}, and tries to claim {@code shared-<i>}
   * between them.
   */
  static void work(
      StudioStore store,
      String prefix,
      int count,
      String owner,
      int shared,
      Consumer<String> claimed) {
    for (int i = 0; i < Math.max(count, shared); i++) {
      if (i < count) {
        JobRecord job = StoreFixtures.job(prefix + "-" + i, NOW.plusMillis(i));
        store.insertJob(job);
        store.updateJob(job.toBuilder().state(JobState.GENERATING).attempt(1).build());
        store.appendJobLog(job.id(), NOW, "generating on " + owner);
      }
      if (i < shared && store.claimJob(sharedId(i), owner, NOW, LEASE)) {
        claimed.accept(sharedId(i));
      }
    }
  }

  static String sharedId(int i) {
    return "shared-" + i;
  }
}
