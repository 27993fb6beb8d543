package io.openavathar;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.store.StudioStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link SharedQueueContract} on one SQLite file, opened by each studio. */
class SharedQueueSqliteTest extends SharedQueueContract {
  @Override
  StudioStore openStore() {
    return StudioStore.open(dir.resolve("data"));
  }

  @Test
  void aKilledStudioProcess_hasItsJobTakenOverByAQueueWorkerAfterItsLease_andNotRunTwice()
      throws Exception {
    pod1.pauseExecution();
    Process child =
        CrashRecoveryTest.crashedStudio(dir.resolve("data"), pod1.baseUrl(), portrait, speech, dir);
    String id;
    try {
      id =
          CompletableFuture.supplyAsync(() -> CrashRecoveryTest.readLine(child))
              .get(60, TimeUnit.SECONDS);
      StudioResumeTest.awaitTrue(() -> executions().contains(id));
    } finally {
      child.destroyForcibly(); // kill -9: its claim stays until its lease ends
      child.waitFor(30, TimeUnit.SECONDS);
    }

    CrashRecoveryTest.MutableClock clock = new CrashRecoveryTest.MutableClock(Instant.now());
    CountDownLatch done = new CountDownLatch(1);
    Map<String, Integer> byB = new ConcurrentHashMap<>();
    try (AvatarStudio b =
        studio(store(), clock).listener(completions(byB, done)).workQueue(2).build()) {
      assertThat(b.jobs().handle(id)).as("taken before the lease ended").isEmpty();
      assertThat(b.store().claim(id)).as("the dead process's claim").isPresent();
      pod1.resumeExecution();

      clock.set(Instant.now().plus(Duration.ofMinutes(2)));
      assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
    assertThat(byB).containsOnlyKeys(id);
    assertThat(executions()).containsExactly(id);
    assertThat(license.tracked).containsExactly(id);
  }
}
