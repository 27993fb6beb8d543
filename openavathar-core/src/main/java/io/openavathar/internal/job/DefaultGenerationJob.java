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
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handle a caller holds: the job's identity, its current {@link JobSnapshot}, its listeners and
 * futures. It writes nothing: the job's engine ({@link JobRun}) stores each change first and then
 * hands the new snapshot here, and listeners hear the changes in the order they were stored, one
 * event at a time per job (a listener's exception is logged and swallowed). A cancel is asked of
 * the engine.
 */
final class DefaultGenerationJob implements GenerationJob {
  private static final Logger log = LoggerFactory.getLogger(DefaultGenerationJob.class);

  private final PreparedJob prepared;
  private final JobFuture future = new JobFuture();
  private final List<JobListener> listeners = new CopyOnWriteArrayList<>();

  /**
   * What the cancel did on the server; completed once, after the outcome was written to the job's
   * log.
   */
  private final CompletableFuture<CancelOutcome> cancellation = new CompletableFuture<>();

  /** Asks the engine to cancel this job. */
  private final BooleanSupplier cancel;

  /** The job as last stored; replaced only by the engine. */
  private volatile JobSnapshot current;

  /** Events not yet told to the listeners, in the order their changes were stored. */
  private final Deque<Runnable> events = new ArrayDeque<>();

  /** Held by the thread telling {@link #events} to the listeners. */
  private final ReentrantLock telling = new ReentrantLock();

  DefaultGenerationJob(
      PreparedJob prepared, JobSnapshot first, JobListener studioListener, BooleanSupplier cancel) {
    this.prepared = prepared;
    this.current = first;
    this.cancel = cancel;
    if (studioListener != JobListener.NONE) {
      listeners.add(studioListener);
    }
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
    return current.state();
  }

  @Override
  public JobProgress progress() {
    return current.progress();
  }

  JobSnapshot snapshot() {
    return current;
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
    return cancel.getAsBoolean();
  }

  @Override
  public CompletableFuture<CancelOutcome> cancellation() {
    return cancellation.copy();
  }

  @Override
  public void addListener(JobListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void removeListener(JobListener listener) {
    listeners.remove(listener);
  }

  // --- for the engine
  // ---------------------------------------------------------------------------------------

  /**
   * Makes {@code next} the job's snapshot and queues its events: a state change when {@code from}
   * is not null, then its progress. The engine calls it under its lock, right after storing the
   * change, so events queue in the order the changes were stored; {@link #tell()} delivers them.
   */
  void publish(JobState from, JobSnapshot next) {
    current = next;
    JobProgress p = next.progress();
    JobState to = next.state();
    synchronized (events) {
      if (from != null) {
        events.add(() -> announceState(from, to));
      }
      events.add(() -> announceProgress(p));
    }
  }

  /**
   * The job ended, as its snapshot says already: after the events queued before, the future
   * completes (with {@code video}, or fails with {@code failure}), then the listeners hear the end.
   * The engine calls it once, outside its lock, after what must happen before anyone hears of the
   * end.
   */
  void end(JobState from, GeneratedVideo video, OpenAvatharException failure) {
    JobSnapshot last = current;
    synchronized (events) {
      events.add(
          () -> {
            if (failure == null) {
              future.completeInternally(video);
            } else {
              future.failInternally(failure);
            }
            announceState(from, last.state());
          });
      events.add(() -> announceProgress(last.progress()));
    }
    tell();
  }

  /**
   * Makes {@code next} the job's snapshot without an event: a change listeners do not hear of
   * (where the prompt went). The engine calls it under its lock, right after storing the change.
   */
  void keep(JobSnapshot next) {
    current = next;
  }

  /**
   * Tells the listeners the queued events, after those another thread is telling (so when it
   * returns, every event queued before it was told). Called from a listener (which cancels the job,
   * say), it returns at once: the events it queued are told after the one being told.
   */
  void tell() {
    if (telling.isHeldByCurrentThread()) {
      return;
    }
    telling.lock();
    try {
      while (true) {
        Runnable next;
        synchronized (events) {
          next = events.poll();
        }
        if (next == null) {
          return;
        }
        next.run();
      }
    } finally {
      telling.unlock();
    }
  }

  /** Fails the caller's future without an end: the studio closed under the job. */
  void failFuture(OpenAvatharException failure) {
    future.failInternally(failure);
  }

  /** The cancellation itself, for the engine. */
  CompletableFuture<CancelOutcome> cancellationInternal() {
    return cancellation;
  }

  private void announceState(JobState from, JobState to) {
    for (JobListener l : listeners) {
      try {
        l.onStateChanged(this, from, to);
      } catch (RuntimeException e) {
        log.warn("JobListener.onStateChanged threw; ignoring it [job={}]", id(), e);
      }
    }
  }

  private void announceProgress(JobProgress p) {
    for (JobListener l : listeners) {
      try {
        l.onProgress(this, p);
      } catch (RuntimeException e) {
        log.warn("JobListener.onProgress threw; ignoring it [job={}]", id(), e);
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
      // True once the job is cancelled, also when a listener cancels it (the future then fails
      // after the event being told).
      return DefaultGenerationJob.this.cancel() || isCompletedExceptionally();
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
