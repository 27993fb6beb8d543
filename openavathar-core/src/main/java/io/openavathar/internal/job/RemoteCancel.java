package io.openavathar.internal.job;

import io.openavathar.CancelOutcome;
import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.comfy.HistoryEntry;
import io.openavathar.comfy.QueueSnapshot;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops one prompt on its ComfyUI server and waits for the server to confirm it. Each look reads
 * {@code /queue}: a pending prompt is deleted from the queue, a running one is interrupted by its
 * id (again at each look, because the server forgets an interrupt that lands just before the prompt
 * starts executing), and a prompt in neither is looked up in {@code /history}, whose entry says how
 * it ended (the real server keeps an interrupted prompt in its running slot until the node or
 * sampler step it is in ends). Looks run on the studio's scheduler, 50 ms apart and then less often
 * (up to 1 s), until the prompt is gone or the timeout passes: then the outcome is UNCONFIRMED and
 * says how to stop the prompt. The queue is read before the history, so a prompt that ends between
 * the two reads is not missed.
 */
final class RemoteCancel {
  private static final Logger log = LoggerFactory.getLogger(RemoteCancel.class);
  static final Duration FIRST_LOOK = Duration.ofMillis(50);
  static final Duration SLOWEST_LOOK = Duration.ofSeconds(1);

  private final ComfyUiClient client;
  private final CancelOutcomes.Target target;
  private final ScheduledExecutorService scheduler;
  private final CompletableFuture<CancelOutcome> result = new CompletableFuture<>();
  private volatile boolean deleted;
  private volatile boolean accepted;
  private volatile String lastSeen = "queued or running";
  private volatile String lastProblem;
  private volatile boolean answered;

  private RemoteCancel(
      ComfyUiClient client, CancelOutcomes.Target target, ScheduledExecutorService scheduler) {
    this.client = client;
    this.target = target;
    this.scheduler = scheduler;
  }

  /**
   * Starts stopping {@code target}'s prompt once {@code submitted} settles (true: the server
   * accepted the prompt; false or failed: the submission failed, so the prompt may be unknown to
   * the server). Never fails.
   */
  static CompletableFuture<CancelOutcome> start(
      ComfyUiClient client,
      CancelOutcomes.Target target,
      CompletableFuture<Boolean> submitted,
      ScheduledExecutorService scheduler,
      Duration timeout) {
    RemoteCancel cancel = new RemoteCancel(client, target, scheduler);
    cancel
        .schedule(
            () ->
                cancel.result.complete(
                    CancelOutcomes.unconfirmed(target, cancel.lastSeen, cancel.why(timeout))),
            timeout)
        .ifPresent(deadline -> cancel.result.whenComplete((o, e) -> deadline.cancel(false)));
    submitted.whenComplete(
        (ok, e) -> {
          cancel.accepted = Boolean.TRUE.equals(ok);
          cancel.look(FIRST_LOOK);
        });
    return cancel.result;
  }

  /** Why the cancel is unconfirmed when its time is up. */
  private String why(Duration timeout) {
    String within =
        timeout.toMillis() < 1000 ? timeout.toMillis() + " ms" : timeout.toSeconds() + " s";
    if (lastProblem != null) {
      return "ComfyUI could not be reached within " + within + " (" + lastProblem + ")";
    }
    return answered
        ? "ComfyUI did not confirm within " + within + " that it stopped"
        : "ComfyUI did not answer within " + within;
  }

  private void look(Duration next) {
    if (result.isDone()) {
      return;
    }
    String id = target.promptId();
    client
        .queue()
        .thenCompose(
            queue -> {
              answered = true;
              return act(queue, id);
            })
        .whenComplete(
            (ignored, e) -> {
              if (e != null) {
                lastProblem = DefaultGenerationJob.unwrap(e).getMessage();
                log.debug(
                    "A look at cancelled prompt {} on {} failed: {}",
                    id,
                    target.server(),
                    lastProblem);
              } else {
                lastProblem = null;
              }
              Duration later =
                  next.multipliedBy(2).compareTo(SLOWEST_LOOK) > 0
                      ? SLOWEST_LOOK
                      : next.multipliedBy(2);
              schedule(() -> look(later), next);
            });
  }

  private CompletableFuture<Void> act(QueueSnapshot queue, String id) {
    if (queue.isPending(id)) {
      lastSeen = "queued";
      deleted = true;
      log.debug("Deleting cancelled prompt {} from the queue of {}", id, target.server());
      return client.dequeue(id);
    }
    if (queue.isRunning(id)) {
      lastSeen = "running";
      log.debug("Interrupting cancelled prompt {} on {}", id, target.server());
      return client.interrupt(id);
    }
    return client.history(id).thenAccept(this::decide);
  }

  /** The prompt left the queue: its history (or its absence) says what the cancel did. */
  private void decide(Optional<HistoryEntry> entry) {
    CancelOutcome outcome;
    if (entry.isPresent()) {
      outcome =
          switch (entry.get().outcome()) {
            case INTERRUPTED -> CancelOutcomes.interrupted(target);
            case SUCCESS -> CancelOutcomes.finishedFirst(target, "finished");
            case ERROR -> CancelOutcomes.finishedFirst(target, "failed");
            case UNKNOWN -> CancelOutcomes.finishedFirst(target, "ended");
          };
    } else if (deleted || accepted) {
      outcome = CancelOutcomes.dequeued(target, deleted);
    } else {
      outcome = CancelOutcomes.notReceived(target);
    }
    result.complete(outcome);
  }

  private Optional<ScheduledFuture<?>> schedule(Runnable task, Duration delay) {
    if (result.isDone()) {
      return Optional.empty();
    }
    try {
      return Optional.of(scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS));
    } catch (RejectedExecutionException e) {
      result.complete(
          CancelOutcomes.unconfirmed(
              target, lastSeen, "the studio closed before ComfyUI confirmed"));
      return Optional.empty();
    }
  }
}
