package io.openavathar;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.license.LicenseClientStub;
import io.openavathar.license.LicenseStatus;
import io.openavathar.store.JobQuery;
import io.openavathar.store.StudioStore;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several studios on one store (each its own store object, as separate processes have) working one
 * queue: every job runs exactly once, a dead studio's jobs are taken over after its lease, each
 * video is counted once. Run on SQLite ({@link SharedQueueSqliteTest}) and PostgreSQL ({@link
 * SharedQueuePostgresTest}).
 */
abstract class SharedQueueContract {
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  ComfyUiSimulator pod1;
  ComfyUiSimulator pod2;
  Path portrait;
  Path speech;
  final CountingLicense license = new CountingLicense();
  final List<AutoCloseable> closeAfter = new ArrayList<>();

  /** An in-process license server stand-in: Pro, and counting each tracked job id. */
  static final class CountingLicense extends LicenseClientStub {
    final List<String> tracked = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<LicenseStatus> check() {
      return CompletableFuture.completedFuture(LicenseStatus.pro(Optional.of("XXXX-...-1234")));
    }

    @Override
    public CompletableFuture<Integer> track(String requestId) {
      tracked.add(requestId);
      return CompletableFuture.completedFuture(tracked.size());
    }
  }

  @BeforeEach
  void setUp() {
    pod1 = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
    pod2 = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
    portrait = Inputs.png(dir, "portrait.png", 512, 768);
    speech = Inputs.wav(dir, "speech.wav", 2.0);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closeAfter.size() - 1; i >= 0; i--) {
      closeAfter.get(i).close();
    }
    pod1.close();
    pod2.close();
  }

  /** A new store object of its own on the shared database (as another process opens it). */
  abstract StudioStore openStore();

  /** A store object of its own on the shared database, closed after the test. */
  StudioStore store() {
    StudioStore s = openStore();
    closeAfter.add(s);
    return s;
  }

  AvatarStudio.Builder studio(StudioStore store, Clock clock) {
    return AvatarStudio.builder()
        .store(store)
        .clock(clock)
        .licenseClient(license)
        .outputDirectory(dir.resolve("videos"))
        .trackerOptions(StudioResumeTest.FAST)
        .comfyUrls(pod1.baseUrl(), pod2.baseUrl());
  }

  List<String> enqueue(int n) {
    List<String> ids = new ArrayList<>();
    try (AvatarStudio s = studio(store(), Clock.systemUTC()).resumeOnStart(false).build()) {
      for (int i = 0; i < n; i++) {
        ids.add(
            s.jobs()
                .enqueue(GenerationRequest.builder().image(portrait).audio(speech).seed(i).build())
                .id());
      }
    }
    return ids;
  }

  /** Counts each job's completion here, by studio; opens {@code done} once per completion. */
  static JobListener completions(Map<String, Integer> byJob, CountDownLatch done) {
    return new JobListener() {
      @Override
      public void onStateChanged(GenerationJob job, JobState from, JobState to) {
        if (to == JobState.COMPLETED) {
          byJob.merge(job.id(), 1, Integer::sum);
          done.countDown();
        }
      }
    };
  }

  List<String> executions() {
    List<String> all = new ArrayList<>(pod1.promptIdsSeen());
    all.addAll(pod2.promptIdsSeen());
    return all;
  }

  @Test
  void twoStudios_fortyQueuedJobs_overTwoPods_eachRunsExactlyOnce_andIsCountedOnce()
      throws Exception {
    List<String> ids = enqueue(40);
    CountDownLatch done = new CountDownLatch(40);
    Map<String, Integer> byA = new ConcurrentHashMap<>();
    Map<String, Integer> byB = new ConcurrentHashMap<>();

    try (AvatarStudio a =
            studio(store(), Clock.systemUTC())
                .listener(completions(byA, done))
                .workQueue(3)
                .build();
        AvatarStudio b =
            studio(store(), Clock.offset(Clock.systemUTC(), Duration.ofMillis(7)))
                .listener(completions(byB, done))
                .workQueue(3)
                .build()) {
      assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("all 40 completed").isTrue();
      assertThat(a.jobs().list(JobQuery.unfinished())).isEmpty();
      assertThat(b.jobs().list(JobQuery.unfinished())).isEmpty();
    }

    assertThat(executions()).as("prompts run at the pods").hasSize(40).containsAll(ids);
    Set<String> both = new HashSet<>(byA.keySet());
    both.retainAll(byB.keySet());
    assertThat(both).as("jobs completed by both studios").isEmpty();
    assertThat(byA).isNotEmpty().allSatisfy((id, n) -> assertThat(n).isOne());
    assertThat(byB).isNotEmpty().allSatisfy((id, n) -> assertThat(n).isOne());
    assertThat(license.tracked)
        .as("quota tracks")
        .hasSize(40)
        .containsExactlyInAnyOrderElementsOf(ids);
    try (StudioStore s = openStore()) {
      assertThat(s.pendingTracks()).isEmpty();
      assertThat(ids)
          .allSatisfy(
              id -> assertThat(s.job(id).orElseThrow().state()).isEqualTo(JobState.COMPLETED));
    }
  }

  @Test
  void aStudioWorkingTheQueue_takesNoMoreThanItsMaxInFlight() throws Exception {
    pod1.pauseExecution();
    pod2.pauseExecution();
    List<String> ids = enqueue(5);
    try (AvatarStudio a = studio(store(), Clock.systemUTC()).workQueue(2).build()) {
      StudioResumeTest.awaitTrue(() -> executions().size() == 2);
      assertThat(ids.stream().filter(id -> a.jobs().handle(id).isPresent())).hasSize(2);
      assertThat(a.jobs().list(JobQuery.unfinished())).hasSize(5);
      pod1.resumeExecution();
      pod2.resumeExecution();
      StudioResumeTest.awaitTrue(() -> a.jobs().list(JobQuery.unfinished()).isEmpty());
    }
    assertThat(executions()).hasSize(5).containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void aDeadStudiosJobs_areTakenOverOnceItsLeaseExpires_andNotRunTwice() throws Exception {
    pod1.pauseExecution();
    pod2.pauseExecution();
    List<String> ids = enqueue(4);
    // Studio A takes three jobs, submits their prompts, and dies: it never releases its claims.
    StudioStore dying = withoutReleases(store());
    AvatarStudio a = studio(dying, Clock.systemUTC()).workQueue(3).build();
    StudioResumeTest.awaitTrue(() -> executions().size() == 3);
    Set<String> heldByA = new HashSet<>(executions());
    a.close();

    CrashRecoveryTest.MutableClock clockB = new CrashRecoveryTest.MutableClock(Instant.now());
    CountDownLatch done = new CountDownLatch(4);
    Map<String, Integer> byB = new ConcurrentHashMap<>();
    try (AvatarStudio b =
        studio(store(), clockB).listener(completions(byB, done)).workQueue(4).build()) {
      pod1.resumeExecution();
      pod2.resumeExecution();
      // B takes the one job nobody held at once, and leaves A's alone while their lease runs.
      StudioResumeTest.awaitTrue(() -> byB.size() == 1);
      assertThat(byB.keySet()).doesNotContainAnyElementsOf(heldByA);
      assertThat(heldByA).allSatisfy(id -> assertThat(b.jobs().holder(id)).isPresent());

      clockB.set(Instant.now().plus(Duration.ofMinutes(2))); // A's claims expire unrenewed
      assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
    assertThat(byB.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(executions()).as("A's prompts re-attached, not run again").hasSize(4);
    assertThat(license.tracked).hasSize(4);
  }

  /** A store that, like a killed process, never gives up a claim. */
  static StudioStore withoutReleases(StudioStore store) {
    return (StudioStore)
        Proxy.newProxyInstance(
            StudioStore.class.getClassLoader(),
            new Class<?>[] {StudioStore.class},
            (proxy, m, args) -> {
              if (m.getName().equals("releaseJob")) {
                return null;
              }
              try {
                return m.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
