package io.openavathar.internal.job;

import io.openavathar.CancelOutcome;
import io.openavathar.GeneratedVideo;
import io.openavathar.JobCancelledException;
import io.openavathar.JobListener;
import io.openavathar.JobProgress;
import io.openavathar.JobState;
import io.openavathar.OpenAvatharException;
import io.openavathar.store.JobRecord;
import io.openavathar.store.StudioStore;
import io.openavathar.store.VideoRecord;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job as its {@link JobEngine} runs it: the only writer of the job's state. Each change is
 * written to the store first, then becomes the handle's {@link JobSnapshot}, then is told to the
 * listeners. The backend moves the job forward through {@link JobControl} and says how to stop what
 * it sent ({@link #cancelWith}); the engine ends the job, once: with its video ({@link #complete}),
 * its failure ({@link #fail}) or a cancel ({@link #cancel}), whichever comes first.
 */
final class JobRun implements JobControl {
  private static final Logger log = LoggerFactory.getLogger(JobRun.class);

  private final DefaultGenerationJob job;
  private final StudioStore store;
  private final Clock clock;

  /** Guards every change of the job's snapshot and the fields below. */
  private final Object lock = new Object();

  private boolean cancelled;

  /** How a cancel reaches the server, set by the backend as the job goes. */
  private Supplier<CompletableFuture<CancelOutcome>> canceller;

  /** Whether the cancel's outcome was recorded. */
  private boolean cancelSettled;

  private JobRun(
      PreparedJob prepared,
      JobRecord record,
      JobListener listener,
      StudioStore store,
      Clock clock,
      Supplier<CompletableFuture<CancelOutcome>> canceller) {
    this.store = store;
    this.clock = clock;
    this.job = new DefaultGenerationJob(prepared, JobSnapshot.of(record), listener, this::cancel);
    this.canceller = canceller;
  }

  /** A new job: its {@code QUEUED} record is inserted now. */
  static JobRun inserted(
      PreparedJob prepared, JobListener listener, StudioStore store, Clock clock) {
    JobRecord record = queuedRecord(prepared);
    store.insertJob(record);
    return new JobRun(prepared, record, listener, store, clock, notSubmitted(record));
  }

  /**
   * A job resumed from its stored record (after a restart); it goes on from the record's state.
   * Until the backend reaches the job's server, a cancel of a prompt an earlier run submitted is
   * carried out by {@code stopPrompt} (the backend stopping the prompt the record names).
   */
  static JobRun resumed(
      PreparedJob prepared,
      JobRecord record,
      JobListener listener,
      StudioStore store,
      Clock clock,
      Supplier<CompletableFuture<CancelOutcome>> stopPrompt) {
    return new JobRun(
        prepared,
        record,
        listener,
        store,
        clock,
        record.promptId().isEmpty() ? notSubmitted(record) : stopPrompt);
  }

  /** A cancel before anything reached a server: nothing runs. */
  private static Supplier<CompletableFuture<CancelOutcome>> notSubmitted(JobRecord record) {
    CancelOutcome nothing = CancelOutcomes.notSubmitted(record.id());
    return () -> CompletableFuture.completedFuture(nothing);
  }

  /** The record of a job that was accepted and has not started. */
  static JobRecord queuedRecord(PreparedJob prepared) {
    return JobRecord.builder(prepared.id())
        .state(JobState.QUEUED)
        .requestJson(RequestJson.write(prepared.request(), prepared.workflow()))
        .seed(prepared.seed())
        .outputFile(prepared.outputFile().toAbsolutePath().toString())
        .createdAt(prepared.createdAt())
        .updatedAt(prepared.createdAt())
        .build();
  }

  DefaultGenerationJob job() {
    return job;
  }

  String id() {
    return job.id();
  }

  JobRecord record() {
    return job.snapshot().record();
  }

  // --- JobControl: the backend moves the job forward
  // ----------------------------------------------------------

  @Override
  public void transition(JobState to) {
    transition(to, null);
  }

  @Override
  public void transition(JobState to, JobProgress first) {
    if (to.isTerminal()) {
      throw new IllegalArgumentException("the engine ends jobs, not " + to);
    }
    JobState from;
    synchronized (lock) {
      JobSnapshot now = job.snapshot();
      if (now.state().isTerminal()) {
        return;
      }
      if (now.state() == to) {
        if (first == null) {
          return;
        }
        from = null;
        publishProgress(now, first);
      } else {
        JobRecord stored = save(now.record().toBuilder().state(to));
        journal(to.name());
        from = now.state();
        JobProgress p =
            first == null
                ? JobProgress.builder(to)
                    .fraction(now.progress().fraction())
                    .message(defaultMessage(to))
                    .build()
                : monotonic(now, first);
        job.publish(from, new JobSnapshot(to, p, stored));
      }
    }
    if (from != null) {
      log.debug("Job state {} -> {} [job={}]", from, to, id());
    }
    job.tell();
  }

  @Override
  public void progress(JobProgress next) {
    synchronized (lock) {
      JobSnapshot now = job.snapshot();
      if (now.state().isTerminal()) {
        return;
      }
      publishProgress(now, next);
    }
    job.tell();
  }

  /** Publishes progress in the job's state; the caller holds the lock. */
  private void publishProgress(JobSnapshot now, JobProgress next) {
    if (next.state() == JobState.WAITING_FOR_POD
        && !next.message().equals(now.progress().message())) {
      journal(next.message());
    }
    job.publish(null, now.withProgress(monotonic(now, next)));
  }

  /** {@code next} with a fraction that never goes down. */
  private static JobProgress monotonic(JobSnapshot now, JobProgress next) {
    return next.toBuilder().fraction(Math.max(now.progress().fraction(), next.fraction())).build();
  }

  @Override
  public void attach(String podId, String comfyUrl, String promptId, String clientId) {
    synchronized (lock) {
      JobSnapshot now = job.snapshot();
      JobRecord stored =
          save(
              now.record().toBuilder()
                  .podId(podId)
                  .comfyUrl(comfyUrl)
                  .clientId(clientId)
                  .promptId(promptId)
                  .attempt(now.record().attempt() + 1));
      job.keep(now.withRecord(stored));
    }
  }

  @Override
  public boolean isCancelled() {
    synchronized (lock) {
      return cancelled;
    }
  }

  @Override
  public boolean cancelWith(Supplier<CompletableFuture<CancelOutcome>> next) {
    Objects.requireNonNull(next, "canceller");
    synchronized (lock) {
      if (cancelled) {
        return false;
      }
      canceller = next;
      return true;
    }
  }

  // --- the engine ends the job
  // -------------------------------------------------------------------------------

  /**
   * Cancels the job: unless it ended already, it ends {@code CANCELLED} now (stored, then told),
   * and the backend's canceller stops what it sent; {@link #cancellation()} completes with what the
   * server confirmed. Returns false if the job was cancelled or had ended before.
   */
  boolean cancel() {
    Supplier<CompletableFuture<CancelOutcome>> reach;
    OpenAvatharException failure = new JobCancelledException("Job " + id() + " was cancelled.");
    JobState from;
    synchronized (lock) {
      if (cancelled) {
        return false;
      }
      JobState state = job.snapshot().state();
      if (state.isTerminal()) {
        job.cancellationInternal().complete(CancelOutcomes.ended(id(), state));
        return false;
      }
      cancelled = true;
      reach = canceller;
      from = storeEnd(JobState.CANCELLED, failure);
    }
    log.debug("Cancelling job [job={}]", id());
    told(from, null, failure);
    CompletableFuture<CancelOutcome> outcome;
    try {
      outcome = reach.get();
    } catch (RuntimeException e) {
      outcome = CompletableFuture.failedFuture(e);
    }
    outcome.whenComplete(
        (o, e) ->
            settle(
                o != null
                    ? o
                    : CancelOutcome.builder(id(), CancelOutcome.Kind.UNCONFIRMED)
                        .message(
                            "The cancel of job "
                                + id()
                                + " failed: "
                                + e
                                + ". Its prompt may still run on ComfyUI.")
                        .build()));
    return true;
  }

  /** What the cancel did on the server, completed once it is in the job's log. */
  CompletableFuture<CancelOutcome> cancellation() {
    return job.cancellationInternal();
  }

  /**
   * Records the server's answer to the cancel in the job's log, then tells whoever waits for it.
   */
  private void settle(CancelOutcome outcome) {
    synchronized (lock) {
      if (cancelSettled) {
        return;
      }
      cancelSettled = true;
      journalQuietly(CancelOutcomes.logLine(outcome));
    }
    if (outcome.isConfirmed()) {
      log.debug("Cancel confirmed [job={}, outcome={}]", id(), outcome.kind());
    } else {
      log.warn("Cancel of job {} not confirmed: {}", id(), outcome.message());
    }
    job.cancellationInternal().complete(outcome);
  }

  /**
   * The studio is closing and cannot wait any longer for the server's answer to this job's cancel.
   */
  void giveUpCancel(String why) {
    settle(
        CancelOutcomes.unconfirmed(CancelOutcomes.Target.of(record()), "queued or running", why));
  }

  /**
   * Ends the job with its video: the video and the COMPLETED record are written in one transaction.
   * If that write fails, nothing is recorded (the job stays unfinished in the store, and the next
   * studio records it without generating again) and the job fails saying so. {@code released} runs
   * once the end is written (whether the write worked or not) and {@code recorded} once the video
   * is, both before anyone hears of the end. Returns false, doing nothing, if the job had ended.
   */
  boolean complete(VideoRecord video, Runnable recorded, Runnable released) {
    GeneratedVideo done = null;
    OpenAvatharException failure = null;
    JobState from;
    synchronized (lock) {
      JobSnapshot now = job.snapshot();
      if (now.state().isTerminal()) {
        return false;
      }
      from = now.state();
      try {
        JobRecord r =
            now.record().toBuilder().state(JobState.COMPLETED).updatedAt(clock.instant()).build();
        store.completeJob(r, video);
        done = video.toGeneratedVideo();
        journalQuietly(JobState.COMPLETED.name());
        job.keep(
            new JobSnapshot(
                JobState.COMPLETED,
                JobProgress.builder(JobState.COMPLETED)
                    .fraction(1.0)
                    .message("Done: " + done.file())
                    .build(),
                r));
      } catch (RuntimeException e) {
        failure =
            new OpenAvatharException(
                "Job "
                    + id()
                    + " made its video ("
                    + video.localFile()
                    + "), but it could not be recorded: "
                    + e.getMessage()
                    + ". The job stays unfinished; the next studio on this data directory"
                    + " records it when it resumes unfinished jobs, without generating it again.",
                e);
        keepEnd(JobState.FAILED, failure, now.record());
      }
    }
    runQuietly(released, "released");
    if (failure != null) {
      told(from, null, failure);
      return true;
    }
    log.debug("Job completed [job={}, file={}]", id(), done.file());
    runQuietly(recorded, "recorded");
    told(from, done, null);
    return true;
  }

  /**
   * Ends the job {@code FAILED}; {@code released} runs once that is written, before anyone hears of
   * it. Returns false, doing nothing, if the job had ended (a cancel came first).
   */
  boolean fail(Throwable cause, Runnable released) {
    OpenAvatharException failure = DefaultGenerationJob.unwrap(cause);
    JobState from;
    synchronized (lock) {
      if (job.snapshot().state().isTerminal()) {
        return false;
      }
      from = storeEnd(JobState.FAILED, failure);
    }
    runQuietly(released, "released");
    told(from, null, failure);
    return true;
  }

  /**
   * Ends the handle without recording an end: the studio is closing and the job stays unfinished in
   * the store, to be resumed by the next studio on the same data directory.
   */
  void abandon(String why) {
    if (!job.snapshot().state().isTerminal()) {
      job.failFuture(new OpenAvatharException(why));
    }
  }

  /**
   * Writes a FAILED or CANCELLED end and makes it the snapshot; returns the state it ended from.
   * The caller holds the lock.
   */
  private JobState storeEnd(JobState end, OpenAvatharException failure) {
    JobRecord ended =
        job.snapshot().record().toBuilder()
            .state(end)
            .error(failure.getClass().getSimpleName(), failure.getMessage())
            .updatedAt(clock.instant())
            .build();
    try {
      store.updateJob(ended);
    } catch (RuntimeException e) {
      log.warn("Could not record that job {} ended {}: {}", id(), end, e.getMessage());
      ended = job.snapshot().record();
    }
    journalQuietly(end.name() + ": " + failure.getMessage());
    return keepEnd(end, failure, ended);
  }

  /**
   * Makes a FAILED or CANCELLED end the snapshot, not told yet; returns the state it ended from.
   */
  private JobState keepEnd(JobState end, OpenAvatharException failure, JobRecord record) {
    JobSnapshot now = job.snapshot();
    String message = end == JobState.CANCELLED ? "Cancelled" : "Failed: " + failure.getMessage();
    job.keep(
        new JobSnapshot(
            end,
            JobProgress.builder(end).fraction(now.progress().fraction()).message(message).build(),
            record));
    return now.state();
  }

  /**
   * After the end was stored and what must come first ran: the caller's future completes and the
   * listeners hear the end, after every event before it. No event can be queued after an end (the
   * job ignores changes once it ended), so it is queued here, outside the lock.
   */
  private void told(JobState from, GeneratedVideo video, OpenAvatharException failure) {
    if (failure != null) {
      log.debug("Job ended {} [job={}]: {}", job.state(), id(), failure.getMessage());
    }
    job.end(from, video, failure);
  }

  /** Writes the record and returns it; the caller holds the lock. */
  private JobRecord save(JobRecord.Builder next) {
    JobRecord r = next.updatedAt(clock.instant()).build();
    store.updateJob(r);
    return r;
  }

  /** Appends to the job's stored log (the newest 200 lines are kept); the caller holds the lock. */
  private void journal(String line) {
    store.appendJobLog(id(), clock.instant(), line);
  }

  private void journalQuietly(String line) {
    try {
      journal(line);
    } catch (RuntimeException e) {
      log.warn("Could not append to the log of job {}: {}", id(), e.getMessage());
    }
  }

  private void runQuietly(Runnable step, String what) {
    try {
      step.run();
    } catch (RuntimeException e) {
      log.warn("After job {} ended ({}): {}", id(), what, e.getMessage());
    }
  }

  private static String defaultMessage(JobState s) {
    return switch (s) {
      case QUEUED -> "Queued";
      case WAITING_FOR_POD -> "Looking for a ComfyUI server";
      case UPLOADING -> "Uploading";
      case SUBMITTED -> "Submitted to ComfyUI";
      case GENERATING -> "Generating";
      case DOWNLOADING -> "Downloading the video";
      case COMPLETED -> "Done";
      case FAILED -> "Failed";
      case CANCELLED -> "Cancelled";
    };
  }
}
