package io.openavathar.internal.job;

import io.openavathar.store.JobRecord;
import io.openavathar.store.StudioStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes jobs from the store's queue as this studio has room: claims with {@link
 * StudioStore#claimUnfinished} up to its free capacity (its most jobs in flight less those running
 * now), oldest first, and resumes each through the engine. Looks again when a job of this studio
 * ends and every {@code period}. Studios sharing one store share one queue this way: each job goes
 * to exactly one of them, and a dead studio's jobs (their claims no longer renewed) are taken over
 * by whoever looks after their lease has expired, through the same resume path.
 */
final class QueueWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QueueWorker.class);

  private final StudioStore store;
  private final String owner;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final int maxInFlight;
  private final IntSupplier inFlight;
  private final Predicate<String> resumeClaimed;
  private final Duration lease;
  private final Object lookLock = new Object();
  private ScheduledFuture<?> periodic;
  private volatile boolean closed;

  /**
   * @param inFlight this studio's jobs not yet ended (its own submits count too)
   * @param resumeClaimed resumes a job this owner has just claimed; false if it did not start (it
   *     had ended, or failed to resume)
   */
  QueueWorker(
      StudioStore store,
      String owner,
      Clock clock,
      ScheduledExecutorService scheduler,
      int maxInFlight,
      IntSupplier inFlight,
      Predicate<String> resumeClaimed,
      Duration lease) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
    }
    this.store = store;
    this.owner = owner;
    this.clock = clock;
    this.scheduler = scheduler;
    this.maxInFlight = maxInFlight;
    this.inFlight = inFlight;
    this.resumeClaimed = resumeClaimed;
    this.lease = lease;
  }

  /** Looks now, then every {@code period}. */
  void start(Duration period) {
    synchronized (lookLock) {
      if (periodic != null) {
        return;
      }
      periodic =
          scheduler.scheduleWithFixedDelay(
              this::lookQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** A job of this studio ended: there may be room for a queued one. */
  void jobEnded() {
    if (!closed) {
      try {
        scheduler.execute(this::lookQuietly);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // the studio is closing
      }
    }
  }

  int maxInFlight() {
    return maxInFlight;
  }

  /**
   * Claims and resumes queued jobs while this studio has room; returns how many it started. Until a
   * claimed job has started it counts against the room, so a job that ends at once (another studio
   * finished it) lets the loop look again rather than leaving the room unused.
   */
  int look() {
    int started = 0;
    synchronized (lookLock) {
      while (!closed) {
        int room = maxInFlight - inFlight.getAsInt();
        if (room <= 0) {
          break;
        }
        List<JobRecord> claimed = store.claimUnfinished(owner, room, clock.instant(), lease);
        if (claimed.isEmpty()) {
          break;
        }
        int before = started;
        for (JobRecord job : claimed) {
          if (closed) {
            store.releaseJob(job.id(), owner);
          } else if (resumeClaimed.test(job.id())) {
            started++;
          }
        }
        log.debug(
            "Took {} job(s) from the queue, {} started [room={}]",
            claimed.size(),
            started - before,
            room);
      }
    }
    return started;
  }

  private void lookQuietly() {
    try {
      look();
    } catch (RuntimeException e) {
      log.warn("Could not take jobs from the queue; will look again: {}", e.getMessage());
    }
  }

  /** Takes no more jobs; those running go on (the engine decides what happens to them). */
  @Override
  public void close() {
    closed = true;
    synchronized (lookLock) {
      if (periodic != null) {
        periodic.cancel(false);
      }
    }
  }
}
