package io.openavathar.internal.job;

import io.openavathar.license.LicenseClient;
import io.openavathar.store.PendingTrack;
import io.openavathar.store.StudioStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts finished videos with the license server, once each. A track is written to the store as
 * pending before it is sent and removed only when the server answers, so a failed or unanswered
 * track is sent again later (also by the next studio on the data directory), with the job id as its
 * idempotency key. One request per job at a time; a pending track whose UTC day has passed is
 * dropped rather than counted in another day. {@link #stop} waits, bounded, for the answers in
 * flight: a process that exits right after a video must not leave a counted track pending.
 */
final class QuotaTracks {
  private static final Logger log = LoggerFactory.getLogger(QuotaTracks.class);

  private final StudioStore store;
  private final LicenseClient license;
  private final Clock clock;

  /** This studio in track claims: of studios sharing one store, one sends each pending track. */
  private final String owner;

  /**
   * Tracks sent and not answered yet, by job id; each future completes once the answer has been
   * handled.
   */
  private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

  private volatile boolean stopped;

  /**
   * How long a claim on a pending track keeps other studios from sending it: longer than a license
   * server takes to answer, so a slow answer is not overtaken by a second send.
   */
  static final Duration SEND_LEASE = Duration.ofMinutes(2);

  QuotaTracks(StudioStore store, LicenseClient license, Clock clock, String owner) {
    this.store = store;
    this.license = license;
    this.clock = clock;
    this.owner = owner;
  }

  /** Counts a finished job: pending first, then sent. */
  void track(String jobId) {
    store.addPendingTrack(jobId, clock.instant());
    send(jobId);
  }

  /**
   * Sends the pending tracks not in flight; drops, with an INFO line, those whose UTC day has
   * passed.
   */
  void retryPending() {
    LocalDate today = utcDay(clock.instant());
    for (PendingTrack track : store.pendingTrackEntries()) {
      if (stopped) {
        return;
      }
      if (inFlight.containsKey(track.jobId())) {
        continue;
      }
      if (utcDay(track.at()).isBefore(today)) {
        store.removePendingTrack(track.jobId());
        log.info(
            "Dropped the unconfirmed quota track of job {} from {} (UTC): its day has passed, and it must not"
                + " count against today's free videos.",
            track.jobId(),
            utcDay(track.at()));
      } else {
        send(track.jobId());
      }
    }
  }

  /** Pending tracks of today (UTC): videos made today that the server may not have counted yet. */
  int pendingToday() {
    LocalDate today = utcDay(clock.instant());
    return (int)
        store.pendingTrackEntries().stream().filter(t -> utcDay(t.at()).equals(today)).count();
  }

  /**
   * Sends no more tracks and waits up to {@code bound} for the answers in flight. Tracks still
   * unanswered then stay pending; the next studio on this data directory sends them again.
   *
   * @return how many tracks are still unanswered
   */
  int stop(Duration bound) {
    stopped = true;
    CompletableFuture<?>[] waiting = inFlight.values().toArray(new CompletableFuture<?>[0]);
    if (waiting.length == 0) {
      return 0;
    }
    try {
      CompletableFuture.allOf(waiting).get(bound.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // reported below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a track's completion never fails", e);
    }
    int left = inFlight.size();
    inFlight.keySet().forEach(this::handBack);
    if (left > 0) {
      log.info(
          "The license server did not confirm {} quota track(s) within {} s; they stay pending and the next"
              + " studio on this data directory sends them again.",
          left,
          bound.toMillis() / 1000.0);
    }
    return left;
  }

  private void send(String jobId) {
    if (stopped) {
      return; // stays pending for the next studio
    }
    CompletableFuture<Void> handled = new CompletableFuture<>();
    if (inFlight.putIfAbsent(jobId, handled) != null) {
      return;
    }
    boolean ours;
    try {
      ours = store.claimPendingTrack(jobId, owner, clock.instant(), SEND_LEASE);
    } catch (RuntimeException e) {
      log.debug("Could not claim the quota track of job {}: {}", jobId, e.getMessage());
      ours = false;
    }
    if (!ours) {
      // Another studio on this store is sending it (or it was counted meanwhile): it stays
      // pending until that studio hears the answer, or its claim expires and it is sent again.
      inFlight.remove(jobId, handled);
      handled.complete(null);
      return;
    }
    CompletableFuture<Integer> answer;
    try {
      answer = license.track(jobId);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete(
        (count, failure) -> {
          try {
            if (failure == null) {
              store.removePendingTrack(jobId);
              log.debug("The license server counted job {} [count today={}]", jobId, count);
            } else {
              log.debug(
                  "Tracking job {} failed; it stays pending and is sent again: {}",
                  jobId,
                  failure.toString());
              handBack(jobId);
            }
          } catch (RuntimeException e) {
            // The store was closed after stop() gave up waiting: the track stays pending; the next
            // studio sends it again.
            log.debug("Could not record that job {} was counted: {}", jobId, e.getMessage());
          } finally {
            inFlight.remove(jobId, handled);
            handled.complete(null);
          }
        });
  }

  /**
   * Gives up this studio's claim on a pending track it could not get counted (the send failed, or
   * the studio stops unanswered), so that any studio on the store may send it at once.
   */
  private void handBack(String jobId) {
    try {
      store.releasePendingTrack(jobId, owner);
    } catch (RuntimeException e) {
      log.debug("Could not hand back the quota track of job {}: {}", jobId, e.getMessage());
    }
  }

  private static LocalDate utcDay(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC);
  }
}
