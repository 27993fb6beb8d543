package io.openavathar.internal.job;

import io.openavathar.CancelOutcome;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationJob;
import io.openavathar.GenerationRequest;
import io.openavathar.JobCancelledException;
import io.openavathar.JobListener;
import io.openavathar.JobProgress;
import io.openavathar.JobState;
import io.openavathar.JobTimeoutException;
import io.openavathar.OpenAvatharException;
import io.openavathar.store.JobRecord;
import io.openavathar.store.StudioStore;
import io.openavathar.store.VideoRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job handle and its state machine. All state changes happen under the job's lock; listeners
 * are called outside it, in order, one at a time per job (a listener's exception is logged and
 * swallowed).
 */
final class DefaultGenerationJob implements GenerationJob, JobControl {
  private static final Logger log = LoggerFactory.getLogger(DefaultGenerationJob.class);

  private final PreparedJob prepared;
  private final JobFuture future = new JobFuture();
  private final List<JobListener> listeners = new CopyOnWriteArrayList<>();

  /**
   * What the cancel did on the server; completed once, after the outcome was written to the job's
   * log.
   */
  private final CompletableFuture<CancelOutcome> cancellation = new CompletableFuture<>();

  private final Object lock = new Object();

  /** Serialises listener calls so each listener sees events in order. */
  private final Object listenerLock = new Object();

  private final StudioStore store;
  private final Clock clock;
  private JobState state = JobState.QUEUED;
  private JobProgress progress;
  private boolean cancelled;

  /** How a cancel reaches the server, set by the backend as the job goes (guarded by lock). */
  private Supplier<CompletableFuture<CancelOutcome>> canceller;

  /** Whether the cancel's outcome was recorded (guarded by lock). */
  private boolean cancelSettled;

  /**
   * The durable form of this job; every change is written before it is announced (guarded by lock).
   */
  private JobRecord record;

  /** A new job: its record is inserted now. */
  DefaultGenerationJob(
      PreparedJob prepared, JobListener studioListener, StudioStore store, Clock clock) {
    this(
        prepared,
        studioListener,
        store,
        clock,
        JobRecord.builder(prepared.id())
            .state(JobState.QUEUED)
            .requestJson(RequestJson.write(prepared.request(), prepared.workflow()))
            .seed(prepared.seed())
            .outputFile(prepared.outputFile().toAbsolutePath().toString())
            .createdAt(prepared.createdAt())
            .updatedAt(prepared.createdAt())
            .build());
    store.insertJob(record);
  }

  /** A job resumed from its stored record (after a restart); it goes on from the record's state. */
  DefaultGenerationJob(
      PreparedJob prepared,
      JobListener studioListener,
      StudioStore store,
      Clock clock,
      JobRecord record) {
    this.prepared = prepared;
    this.store = store;
    this.clock = clock;
    this.record = record;
    this.state = record.state();
    this.progress =
        JobProgress.builder(record.state())
            .message(record.state() == JobState.QUEUED ? "Queued" : "Resumed in " + record.state())
            .build();
    if (studioListener != JobListener.NONE) {
      listeners.add(studioListener);
    }
    // Until the backend says where the prompt is: nothing was sent, or (resumed) a prompt of an
    // earlier run whose
    // server this studio has not reached yet.
    CancelOutcome before =
        record.promptId().isEmpty()
            ? CancelOutcomes.notSubmitted(record.id())
            : CancelOutcomes.unconfirmed(
                CancelOutcomes.Target.of(record),
                "queued or running",
                "the job was cancelled before this studio reconnected to its server");
    this.canceller = () -> CompletableFuture.completedFuture(before);
  }

  PreparedJob prepared() {
    return prepared;
  }

  @Override
  public String id() {
    return prepared.id();
  }

  @Override
  public GenerationRequest request() {
    return prepared.request();
  }

  @Override
  public long seed() {
    return prepared.seed();
  }

  @Override
  public JobState state() {
    synchronized (lock) {
      return state;
    }
  }

  @Override
  public JobProgress progress() {
    synchronized (lock) {
      return progress;
    }
  }

  @Override
  public CompletableFuture<GeneratedVideo> future() {
    return future;
  }

  @Override
  public GeneratedVideo await(Duration timeout) {
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new JobTimeoutException(
          "Job "
              + id()
              + " is still "
              + state()
              + " after "
              + timeout
              + "; it goes on. Wait again or cancel it.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpenAvatharException(
          "Interrupted while waiting for job " + id() + "; the job goes on.", e);
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    } catch (java.util.concurrent.CancellationException e) {
      throw new JobCancelledException("Job " + id() + " was cancelled.");
    }
  }

  static OpenAvatharException unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException
            || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c instanceof OpenAvatharException o
        ? o
        : new OpenAvatharException("Job failed: " + c, c);
  }

  @Override
  public boolean cancel() {
    Supplier<CompletableFuture<CancelOutcome>> reach;
    synchronized (lock) {
      if (cancelled) {
        return false;
      }
      if (state.isTerminal()) {
        cancellation.complete(CancelOutcomes.ended(id(), state));
        return false;
      }
      cancelled = true;
      reach = canceller;
    }
    log.debug("Cancelling job [job={}]", id());
    // End the job first, so that whatever the canceller makes fail downstream cannot win the race
    // to the future.
    finish(
        JobState.CANCELLED,
        null,
        new JobCancelledException("Job " + id() + " was cancelled."),
        null,
        () -> {}); // the engine gives up its claim when the job's work has stopped and the server
    // confirmed
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

  @Override
  public CompletableFuture<CancelOutcome> cancellation() {
    return cancellation.copy();
  }

  /**
   * The cancellation itself, for the engine (which waits for it before giving up its claim or
   * closing).
   */
  CompletableFuture<CancelOutcome> cancellationInternal() {
    return cancellation;
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
    cancellation.complete(outcome);
  }

  /**
   * The studio is closing and cannot wait any longer for the server's answer to this job's cancel.
   */
  void giveUpCancel(String why) {
    settle(
        CancelOutcomes.unconfirmed(CancelOutcomes.Target.of(record()), "queued or running", why));
  }

  @Override
  public void addListener(JobListener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void removeListener(JobListener listener) {
    listeners.remove(listener);
  }

  // --- JobControl
  // -------------------------------------------------------------------------------------------

  @Override
  public void transition(JobState to) {
    transition(to, null);
  }

  @Override
  public void transition(JobState to, JobProgress first) {
    if (to.isTerminal()) {
      throw new IllegalArgumentException("use complete/fail for terminal states, not " + to);
    }
    JobState from = null;
    JobProgress p = null;
    synchronized (lock) {
      if (state.isTerminal()) {
        return;
      }
      if (state != to) {
        save(record.toBuilder().state(to));
        journal(to.name());
        from = state;
        state = to;
        p =
            first == null
                ? JobProgress.builder(to)
                    .fraction(progress.fraction())
                    .message(defaultMessage(to))
                    .build()
                : first.toBuilder()
                    .fraction(Math.max(progress.fraction(), first.fraction()))
                    .build();
        progress = p;
      }
    }
    if (p == null) { // in that state already
      if (first != null) {
        progress(first);
      }
      return;
    }
    log.debug("Job state {} -> {} [job={}]", from, to, id());
    announceState(from, to);
    announceProgress(p);
  }

  @Override
  public void progress(JobProgress next) {
    JobProgress p;
    synchronized (lock) {
      if (state.isTerminal()) {
        return;
      }
      double fraction = Math.max(progress.fraction(), next.fraction());
      if (next.state() == JobState.WAITING_FOR_POD && !next.message().equals(progress.message())) {
        journal(next.message());
      }
      p = next.toBuilder().fraction(fraction).build();
      progress = p;
    }
    announceProgress(p);
  }

  @Override
  public void attach(String podId, String comfyUrl, String promptId, String clientId) {
    synchronized (lock) {
      save(
          record.toBuilder()
              .podId(podId)
              .comfyUrl(comfyUrl)
              .clientId(clientId)
              .promptId(promptId)
              .attempt(record.attempt() + 1));
    }
  }

  /** Appends to the job's stored log (the newest 200 lines are kept); the caller holds the lock. */
  private void journal(String line) {
    store.appendJobLog(id(), clock.instant(), line);
  }

  /** Writes the record; the caller holds the lock. */
  private void save(JobRecord.Builder next) {
    JobRecord r = next.updatedAt(clock.instant()).build();
    store.updateJob(r);
    record = r;
  }

  @Override
  public boolean isCancelled() {
    synchronized (lock) {
      return cancelled;
    }
  }

  @Override
  public boolean cancelWith(Supplier<CompletableFuture<CancelOutcome>> next) {
    java.util.Objects.requireNonNull(next, "canceller");
    synchronized (lock) {
      if (cancelled) {
        return false;
      }
      canceller = next;
      return true;
    }
  }

  /**
   * Ends the job with its video: the video and the COMPLETED record are written in one transaction.
   * If that write fails, nothing is recorded (the job stays unfinished in the store, and the next
   * studio records it without generating again) and this handle fails saying so. {@code recorded}
   * runs once the outcome is stored, before anyone hears of it; {@code ended} runs after that
   * write, whether it worked or not, also before anyone hears of the end (the engine gives up its
   * claim there, so that whoever sees the end can take the job over).
   */
  void complete(VideoRecord video, Runnable recorded, Runnable ended) {
    finish(JobState.COMPLETED, video, null, recorded, ended);
  }

  /**
   * Ends this handle without recording an end: the studio is closing and the job stays unfinished
   * in the store, to be resumed by the next studio on the same data directory.
   */
  void abandon(String why) {
    synchronized (lock) {
      if (state.isTerminal()) {
        return;
      }
    }
    future.failInternally(new OpenAvatharException(why));
  }

  JobRecord record() {
    synchronized (lock) {
      return record;
    }
  }

  /**
   * Ends the job FAILED (or CANCELLED); {@code ended} runs once that is recorded, before anyone
   * hears of it.
   */
  void fail(Throwable failure, Runnable ended) {
    if (isCancelled()) {
      finish(
          JobState.CANCELLED,
          null,
          new JobCancelledException("Job " + id() + " was cancelled."),
          null,
          ended);
    } else {
      finish(JobState.FAILED, null, unwrap(failure), null, ended);
    }
  }

  private void finish(
      JobState end,
      VideoRecord recorded,
      OpenAvatharException failure,
      Runnable onRecorded,
      Runnable onEnded) {
    JobState from;
    JobProgress p;
    GeneratedVideo video = null;
    synchronized (lock) {
      if (state.isTerminal()) {
        runQuietly(onEnded, end);
        return;
      }
      if (recorded != null) {
        try {
          JobRecord r = record.toBuilder().state(end).updatedAt(clock.instant()).build();
          store.completeJob(r, recorded);
          record = r;
          video = recorded.toGeneratedVideo();
          journalQuietly(end.name());
        } catch (RuntimeException e) {
          end = JobState.FAILED;
          failure =
              new OpenAvatharException(
                  "Job "
                      + id()
                      + " made its video ("
                      + recorded.localFile()
                      + "), but"
                      + " it could not be recorded: "
                      + e.getMessage()
                      + ". The job stays unfinished; the next studio on this data"
                      + " directory records it when it resumes unfinished jobs, without generating it again.",
                  e);
        }
      } else {
        JobRecord.Builder ended =
            record.toBuilder()
                .state(end)
                .error(failure.getClass().getSimpleName(), failure.getMessage());
        try {
          save(ended);
        } catch (RuntimeException e) {
          log.warn("Could not record that job {} ended {}: {}", id(), end, e.getMessage());
        }
        journalQuietly(end.name() + ": " + failure.getMessage());
      }
      from = state;
      state = end;
      double fraction = end == JobState.COMPLETED ? 1.0 : progress.fraction();
      String message =
          end == JobState.COMPLETED
              ? "Done: " + video.file()
              : end == JobState.CANCELLED ? "Cancelled" : "Failed: " + failure.getMessage();
      p = JobProgress.builder(end).fraction(fraction).message(message).build();
      progress = p;
    }
    runQuietly(onEnded, end);
    if (failure == null) {
      log.debug("Job completed [job={}, file={}]", id(), video.file());
      try {
        onRecorded.run();
      } catch (RuntimeException e) {
        log.warn("After job {} was recorded as completed: {}", id(), e.getMessage());
      }
      future.completeInternally(video);
    } else {
      log.debug("Job ended {} [job={}]: {}", end, id(), failure.getMessage());
      future.failInternally(failure);
    }
    announceState(from, end);
    announceProgress(p);
  }

  private void runQuietly(Runnable afterEnd, JobState end) {
    try {
      afterEnd.run();
    } catch (RuntimeException e) {
      log.warn("After job {} ended {}: {}", id(), end, e.getMessage());
    }
  }

  private void journalQuietly(String line) {
    try {
      journal(line);
    } catch (RuntimeException e) {
      log.warn("Could not append to the log of job {}: {}", id(), e.getMessage());
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

  private void announceState(JobState from, JobState to) {
    synchronized (listenerLock) {
      for (JobListener l : listeners) {
        try {
          l.onStateChanged(this, from, to);
        } catch (RuntimeException e) {
          log.warn("JobListener.onStateChanged threw; ignoring it [job={}]", id(), e);
        }
      }
    }
  }

  private void announceProgress(JobProgress p) {
    synchronized (listenerLock) {
      for (JobListener l : listeners) {
        try {
          l.onProgress(this, p);
        } catch (RuntimeException e) {
          log.warn("JobListener.onProgress threw; ignoring it [job={}]", id(), e);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "GenerationJob{id=" + id() + ", state=" + state() + "}";
  }

  /** The job's future: cancelling it cancels the job (remote prompt included). */
  private final class JobFuture extends CompletableFuture<GeneratedVideo> {
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      DefaultGenerationJob.this.cancel();
      return isCancelled() || isCompletedExceptionally();
    }

    void completeInternally(GeneratedVideo v) {
      super.complete(v);
    }

    void failInternally(Throwable t) {
      super.completeExceptionally(t);
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }
}
