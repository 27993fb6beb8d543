package io.openavathar.internal.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.CancelOutcome;
import io.openavathar.GenerationJob;
import io.openavathar.JobCancelledException;
import io.openavathar.JobListener;
import io.openavathar.JobProgress;
import io.openavathar.JobState;
import io.openavathar.Orientation;
import io.openavathar.store.JobRecord;
import io.openavathar.store.StudioStore;
import io.openavathar.store.VideoRecord;
import io.openavathar.workflow.InfiniteTalkWorkflow;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine's run of one job: it alone writes the job's state, store first. */
class JobRunTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC);

  final StudioStore store = StudioStore.inMemory();
  final ExecutorService threads = Executors.newFixedThreadPool(2);

  @AfterEach
  void tearDown() {
    threads.shutdownNow();
    store.close();
  }

  @Test
  void everyStateAListenerHears_isTheStoredOne() {
    List<String> mismatches = new CopyOnWriteArrayList<>();
    List<JobState> heard = new CopyOnWriteArrayList<>();
    JobListener check =
        new JobListener() {
          @Override
          public void onStateChanged(GenerationJob job, JobState from, JobState to) {
            heard.add(to);
            JobState stored = store.job(job.id()).orElseThrow().state();
            if (stored != to || job.state() != to) {
              mismatches.add(to + " heard, " + stored + " stored, " + job.state() + " held");
            }
          }
        };
    JobRun run = run("job-1", check, () -> notSubmitted("job-1"));

    run.transition(JobState.WAITING_FOR_POD);
    run.transition(JobState.UPLOADING);
    run.attach("pod-1", "http://127.0.0.1:8188", "job-1", "client");
    run.transition(JobState.SUBMITTED);
    run.transition(JobState.GENERATING, JobProgress.builder(JobState.GENERATING).build());
    run.transition(JobState.DOWNLOADING);
    assertThat(run.complete(video("job-1"), () -> {}, () -> {})).isTrue();

    assertThat(heard)
        .containsExactly(
            JobState.WAITING_FOR_POD,
            JobState.UPLOADING,
            JobState.SUBMITTED,
            JobState.GENERATING,
            JobState.DOWNLOADING,
            JobState.COMPLETED);
    assertThat(mismatches).isEmpty();
    assertThat(run.record().promptId()).contains("job-1");
    assertThat(store.job("job-1").orElseThrow()).isEqualTo(run.record());
  }

  @Test
  void aJobEndsOnce_theEngineCannotEndItAgain() {
    AtomicInteger ends = new AtomicInteger();
    JobRun run = run("job-1", endCounter(ends), () -> notSubmitted("job-1"));
    run.transition(JobState.UPLOADING);

    assertThat(run.fail(new IllegalStateException("boom"), () -> {})).isTrue();
    assertThat(run.fail(new IllegalStateException("again"), () -> {})).isFalse();
    assertThat(run.complete(video("job-1"), () -> {}, () -> {})).isFalse();
    assertThat(run.cancel()).isFalse();
    run.transition(JobState.DOWNLOADING); // ignored once ended

    assertThat(ends).hasValue(1);
    assertThat(run.job().state()).isEqualTo(JobState.FAILED);
    assertThat(store.job("job-1").orElseThrow().state()).isEqualTo(JobState.FAILED);
    assertThat(store.video("job-1")).isEmpty();
    assertThat(run.cancellation().join().kind()).isEqualTo(CancelOutcome.Kind.FINISHED_FIRST);
  }

  @Test
  void aCancelRacingTheVideo_endsTheJobOnce_asTheStoreSays() throws Exception {
    for (int i = 0; i < 100; i++) {
      String id = "job-" + i;
      AtomicInteger ends = new AtomicInteger();
      AtomicInteger asked = new AtomicInteger();
      JobRun run =
          run(
              id,
              endCounter(ends),
              () -> {
                asked.incrementAndGet();
                return notSubmitted(id);
              });
      run.transition(JobState.DOWNLOADING);
      CountDownLatch go = new CountDownLatch(1);
      Future<Boolean> completed =
          threads.submit(
              () -> {
                go.await();
                return run.complete(video(id), () -> {}, () -> {});
              });
      Future<Boolean> cancelled =
          threads.submit(
              () -> {
                go.await();
                return run.cancel();
              });
      go.countDown();

      boolean byVideo = completed.get(10, TimeUnit.SECONDS);
      boolean byCancel = cancelled.get(10, TimeUnit.SECONDS);
      assertThat(byVideo).as("run %d", i).isNotEqualTo(byCancel);
      assertThat(ends).as("run %d", i).hasValue(1);
      JobState end = run.job().state();
      assertThat(store.job(id).orElseThrow().state()).as("run %d", i).isEqualTo(end);
      CancelOutcome outcome = run.cancellation().get(10, TimeUnit.SECONDS);
      if (byVideo) {
        assertThat(end).isEqualTo(JobState.COMPLETED);
        assertThat(store.video(id)).isPresent();
        assertThat(run.job().future().join().file()).isEqualTo(Path.of("/videos/" + id + ".mp4"));
        assertThat(outcome.kind()).isEqualTo(CancelOutcome.Kind.FINISHED_FIRST);
        assertThat(asked).as("a server asked to stop a finished job").hasValue(0);
      } else {
        assertThat(end).isEqualTo(JobState.CANCELLED);
        assertThat(store.video(id)).isEmpty();
        assertThatThrownBy(() -> run.job().await(java.time.Duration.ofSeconds(10)))
            .isInstanceOf(JobCancelledException.class);
        assertThat(outcome.kind()).isEqualTo(CancelOutcome.Kind.NOT_SUBMITTED);
        assertThat(asked).hasValue(1);
      }
    }
  }

  @Test
  void aListenerThatCancels_isHeardAfterTheEventItIsIn_byEveryListener() {
    List<String> second = new CopyOnWriteArrayList<>();
    JobListener cancelsAtUploading =
        new JobListener() {
          @Override
          public void onStateChanged(GenerationJob job, JobState from, JobState to) {
            if (to == JobState.UPLOADING) {
              job.cancel();
            }
          }
        };
    JobRun run = run("job-1", cancelsAtUploading, () -> notSubmitted("job-1"));
    run.job()
        .addListener(
            new JobListener() {
              @Override
              public void onStateChanged(GenerationJob job, JobState from, JobState to) {
                second.add(from + "->" + to);
              }

              @Override
              public void onProgress(GenerationJob job, JobProgress p) {
                second.add(p.state().name());
              }
            });

    run.transition(JobState.UPLOADING);

    assertThat(second)
        .containsExactly("QUEUED->UPLOADING", "UPLOADING", "UPLOADING->CANCELLED", "CANCELLED");
    assertThat(run.job().state()).isEqualTo(JobState.CANCELLED);
  }

  @Test
  void theFutureCompletes_afterListenersHeardEveryEventBeforeTheEnd() throws Exception {
    CountDownLatch inListener = new CountDownLatch(1);
    CountDownLatch letGo = new CountDownLatch(1);
    List<String> heard = new CopyOnWriteArrayList<>();
    JobListener slow =
        new JobListener() {
          @Override
          public void onStateChanged(GenerationJob job, JobState from, JobState to) {
            heard.add(to + (job.future().isDone() ? " (future done)" : ""));
          }

          @Override
          public void onProgress(GenerationJob job, JobProgress p) {
            if (p.state() == JobState.UPLOADING) {
              inListener.countDown();
              await(letGo);
              heard.add("uploading told");
            }
          }
        };
    JobRun run = run("job-1", slow, () -> notSubmitted("job-1"));
    Future<?> uploading = threads.submit(() -> run.transition(JobState.UPLOADING));
    assertThat(inListener.await(10, TimeUnit.SECONDS)).isTrue();

    Thread failing = new Thread(() -> run.fail(new IllegalStateException("boom"), () -> {}));
    failing.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (failing.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // the failing thread waits to tell the end after the slow listener
    }

    assertThat(run.job().state()).isEqualTo(JobState.FAILED);
    assertThat(store.job("job-1").orElseThrow().state()).isEqualTo(JobState.FAILED);
    assertThat(run.job().future()).isNotDone();
    letGo.countDown();
    failing.join(10_000);
    uploading.get(10, TimeUnit.SECONDS);
    assertThat(run.job().future()).isCompletedExceptionally();
    assertThat(heard).containsExactly("UPLOADING", "uploading told", "FAILED (future done)");
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private JobRun run(
      String id,
      JobListener listener,
      java.util.function.Supplier<CompletableFuture<CancelOutcome>> canceller) {
    JobRecord record =
        JobRecord.builder(id)
            .state(JobState.QUEUED)
            .requestJson("{}")
            .seed(1)
            .createdAt(CLOCK.instant())
            .updatedAt(CLOCK.instant())
            .build();
    store.insertJob(record);
    PreparedJob prepared =
        new PreparedJob(
            id,
            null,
            null,
            null,
            Orientation.PORTRAIT,
            81,
            1,
            4,
            1L,
            "out",
            Path.of(id + ".mp4"),
            CLOCK.instant(),
            InfiniteTalkWorkflow.template());
    JobRun run = JobRun.resumed(prepared, record, listener, store, CLOCK, canceller);
    run.cancelWith(canceller);
    return run;
  }

  /** Counts the ends a listener hears; one heard before the job's future completed is not one. */
  private static JobListener endCounter(AtomicInteger ends) {
    return new JobListener() {
      @Override
      public void onStateChanged(GenerationJob job, JobState from, JobState to) {
        if (to.isTerminal()) {
          ends.addAndGet(job.future().isDone() ? 1 : 100);
        }
      }
    };
  }

  private static CompletableFuture<CancelOutcome> notSubmitted(String id) {
    return CompletableFuture.completedFuture(CancelOutcomes.notSubmitted(id));
  }

  private static VideoRecord video(String jobId) {
    return new VideoRecord(
        jobId,
        jobId,
        "pod-1",
        "NVIDIA GeForce RTX 4090",
        jobId,
        "output",
        "",
        jobId + ".mp4",
        "/videos/" + jobId + ".mp4",
        1_000,
        480,
        832,
        81,
        3_240,
        1L,
        12.5,
        CLOCK.instant());
  }
}
