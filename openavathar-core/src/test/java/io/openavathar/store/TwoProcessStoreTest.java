package io.openavathar.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.JobState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * This JVM and a second one ({@link StoreWorkerMain}) write and claim jobs in one data directory at
 * once.
 */
class TwoProcessStoreTest {
  private static final int JOBS = 100;
  private static final int SHARED = 100;

  @TempDir Path dir;

  @Test
  void twoProcessesOnOneDirectory_allJobsArePresent_andEachSharedJobHasOneOwner() throws Exception {
    Path data = dir.resolve("data");
    try (StudioStore store = StudioStore.open(data)) {
      for (int i = 0; i < SHARED; i++) {
        store.insertJob(StoreFixtures.job(StoreWorkerMain.sharedId(i), StoreWorkerMain.NOW));
      }

      Path childErr = dir.resolve("child-stderr.txt");
      Process child =
          new ProcessBuilder(
                  javaBinary(),
                  "-cp",
                  testClassPath(),
                  StoreWorkerMain.class.getName(),
                  data.toString(),
                  "child",
                  String.valueOf(JOBS),
                  "child-process",
                  String.valueOf(SHARED))
              .redirectError(childErr.toFile())
              .start();
      try {
        List<String> childLines = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        CompletableFuture<Void> output =
            CompletableFuture.runAsync(() -> readLines(child, childLines, ready));

        ready.get(30, TimeUnit.SECONDS);
        Set<String> mine = ConcurrentHashMap.newKeySet();
        StoreWorkerMain.work(store, "parent", JOBS, "parent-process", SHARED, mine::add);

        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
        output.get(10, TimeUnit.SECONDS);
        assertThat(child.exitValue())
            .as("child exit code; stderr: %s", Files.readString(childErr))
            .isZero();
        assertThat(childLines).contains("done");
        Set<String> theirs =
            Set.copyOf(
                childLines.stream()
                    .filter(l -> l.startsWith("claimed "))
                    .map(l -> l.substring("claimed ".length()))
                    .toList());

        for (String prefix : List.of("parent", "child")) {
          for (int i = 0; i < JOBS; i++) {
            String id = prefix + "-" + i;
            assertThat(store.job(id))
                .as(id)
                .hasValueSatisfying(j -> assertThat(j.state()).isEqualTo(JobState.GENERATING));
            assertThat(store.jobLog(id))
                .as(id)
                .containsExactly("generating on " + prefix + "-process");
          }
        }
        for (int i = 0; i < SHARED; i++) {
          String id = StoreWorkerMain.sharedId(i);
          assertThat(mine.contains(id) ^ theirs.contains(id))
              .as("exactly one owner of %s", id)
              .isTrue();
          String owner = mine.contains(id) ? "parent-process" : "child-process";
          assertThat(
                  store.claimJob(id, "third-process", StoreWorkerMain.NOW, StoreWorkerMain.LEASE))
              .isFalse();
          assertThat(store.claimJob(id, owner, StoreWorkerMain.NOW, StoreWorkerMain.LEASE))
              .as(id)
              .isTrue();
        }
      } finally {
        child.destroyForcibly();
      }
    }
  }

  private static void readLines(Process child, List<String> lines, CompletableFuture<Void> ready) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
        if (line.equals("ready")) {
          ready.complete(null);
        }
      }
      ready.completeExceptionally(
          new AssertionError("the child ended without saying ready: " + lines));
    } catch (Exception e) {
      ready.completeExceptionally(e);
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Surefire's real test class path (java.class.path may be a manifest-only booter jar). */
  private static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }
}
