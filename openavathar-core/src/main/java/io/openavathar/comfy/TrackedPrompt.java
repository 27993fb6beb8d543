package io.openavathar.comfy;

import io.openavathar.OpenAvatharException;
import io.openavathar.RemoteUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine behind {@link PromptTracker#track}: one instance follows one prompt through the
 * event stream and a polling fallback, and completes {@link #result} with its history entry. See
 * {@link PromptTracker} for the contract; it reaches the server only through {@link
 * PromptStateSource} and {@link EventSubscription}, so that tests drive it without one.
 */
final class TrackedPrompt {
  private static final Logger LOG = LoggerFactory.getLogger(TrackedPrompt.class);

  /**
   * History reads after {@code executing{node:null}}: the server wrote history before sending it,
   * so one is usual.
   */
  static final int TERMINAL_HISTORY_ATTEMPTS = 4;

  static final Duration TERMINAL_RETRY_DELAY = Duration.ofMillis(250);

  final CompletableFuture<HistoryEntry> result = new CompletableFuture<>();
  private final PromptStateSource source;
  private final EventSubscription events;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final String server;
  private final String promptId;
  private final PromptTracker.Listener listener;
  private final PromptTracker.Options options;
  private final ComfyEventListener socketListener = new SocketListener();
  private final AtomicBoolean pollInFlight = new AtomicBoolean();
  private final AtomicBoolean pollRequested = new AtomicBoolean();
  private final AtomicBoolean queueRefreshInFlight = new AtomicBoolean();
  private final AtomicBoolean terminalSeen = new AtomicBoolean();
  private final AtomicLong queueRequests = new AtomicLong();
  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();

  // Guarded by lock.
  private ScheduledFuture<?> nextPoll;
  private boolean stopped;
  private long queueApplied;
  private int lastPosition = -1;

  /** Touched only by the poll chain, which runs one poll at a time. */
  private Instant missingSince;

  /**
   * When polls started failing without an answer (the server unreachable); null while it answers.
   */
  private Instant unreachableSince;

  /**
   * Whether this prompt is known to be the one running (from its execution_start or the last queue
   * snapshot).
   */
  private volatile boolean running;

  private TrackedPrompt(
      PromptStateSource source,
      EventSubscription events,
      ScheduledExecutorService scheduler,
      Clock clock,
      String server,
      String promptId,
      PromptTracker.Listener listener,
      PromptTracker.Options options) {
    this.source = Objects.requireNonNull(source, "source");
    this.events = Objects.requireNonNull(events, "events");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.server = Objects.requireNonNull(server, "server");
    this.promptId = Objects.requireNonNull(promptId, "promptId");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Subscribes, polls once at once, and returns the future of the prompt's history entry. */
  static CompletableFuture<HistoryEntry> start(
      PromptStateSource source,
      EventSubscription events,
      ScheduledExecutorService scheduler,
      Clock clock,
      String server,
      String promptId,
      PromptTracker.Listener listener,
      PromptTracker.Options options) {
    TrackedPrompt prompt =
        new TrackedPrompt(source, events, scheduler, clock, server, promptId, listener, options);
    // Subscribe first: the end may come before anything else, even before the caller saw the submit
    // response.
    events.addListener(prompt.socketListener);
    prompt.result.whenComplete((entry, error) -> prompt.stop());
    LOG.debug("Tracking prompt {} on {}", promptId, server);
    // An immediate poll also catches an executing{node:null} that came before we subscribed.
    prompt.poll();
    return prompt.result;
  }

  private void stop() {
    events.removeListener(socketListener);
    synchronized (lock) {
      stopped = true;
      if (nextPoll != null) {
        nextPoll.cancel(false);
        nextPoll = null;
      }
    }
    LOG.debug("Stopped tracking prompt {} [outcome={}]", promptId, describe());
  }

  private String describe() {
    if (result.isCancelled()) {
      return "cancelled";
    }
    return result.isCompletedExceptionally() ? "failed" : "completed";
  }

  // ----------------------------------------------------------------------------------------------
  // polling

  private void poll() {
    if (result.isDone()) {
      return;
    }
    synchronized (lock) {
      if (nextPoll != null && nextPoll.getDelay(TimeUnit.NANOSECONDS) <= 0) {
        nextPoll =
            null; // this is it (or it is about to run): the next one gets scheduled after this poll
      }
    }
    pollRequested.set(
        true); // if a poll is running, it may predate what prompted this one: it polls again after
    if (!pollInFlight.compareAndSet(false, true)) {
      return;
    }
    pollRequested.set(false);
    call(() -> source.history(promptId))
        .thenCompose(
            entry -> {
              if (entry.isPresent()) {
                complete(entry.get(), "poll");
                return CompletableFuture.completedFuture(null);
              }
              return queryQueue().thenAccept(this::checkStillKnown);
            })
        .whenComplete(
            (ignored, error) -> {
              if (error != null) {
                LOG.debug(
                    "A poll of prompt {} on {} failed; retrying at the next tick: {}",
                    promptId,
                    server,
                    error.toString());
                checkStillReachable();
              } else {
                unreachableSince = null;
              }
              pollInFlight.set(false);
              if (pollRequested.get()) {
                poll();
              }
              schedulePoll(
                  events.isConnected()
                      ? options.connectedPollInterval()
                      : options.disconnectedPollInterval());
            });
  }

  /** Schedules the next poll after {@code delay}, unless one is already due sooner. */
  private void schedulePoll(Duration delay) {
    synchronized (lock) {
      if (stopped || result.isDone()) {
        return;
      }
      if (nextPoll != null && !nextPoll.isDone()) {
        if (nextPoll.getDelay(TimeUnit.NANOSECONDS) <= delay.toNanos()) {
          return;
        }
        nextPoll.cancel(false);
      }
      nextPoll = schedule(this::poll, delay);
    }
  }

  /**
   * After a failed poll: give up once the server has answered no poll (and the socket is down) for
   * the grace.
   */
  private void checkStillReachable() {
    if (events.isConnected()) {
      unreachableSince = null; // the socket still works: the server is alive
      return;
    }
    Instant now = clock.instant();
    if (unreachableSince == null) {
      unreachableSince = now;
    } else if (Duration.between(unreachableSince, now).compareTo(options.unreachableGrace()) > 0) {
      result.completeExceptionally(
          new RemoteUnavailableException(
              "ComfyUI at "
                  + server
                  + " has not answered for "
                  + options.unreachableGrace().toSeconds()
                  + " s while"
                  + " prompt "
                  + promptId
                  + " was running (the pod died or lost its network). The job can move to"
                  + " another pod.",
              null));
    }
  }

  private void checkStillKnown(QueueSnapshot queue) {
    if (queue.positionOf(promptId) >= 0) {
      missingSince = null;
      return;
    }
    Instant now = clock.instant();
    if (missingSince == null) {
      missingSince = now;
      LOG.debug(
          "Prompt {} is in neither the history nor the queue of {}; waiting up to {}",
          promptId,
          server,
          options.missingGrace());
    } else if (Duration.between(missingSince, now).compareTo(options.missingGrace()) > 0) {
      result.completeExceptionally(
          new RemoteUnavailableException(
              "ComfyUI at "
                  + server
                  + " no longer knows prompt "
                  + promptId
                  + ": it is in neither the queue nor the"
                  + " history (the server restarted or the prompt crashed it). Submit the job again.",
              null));
    }
  }

  private CompletableFuture<QueueSnapshot> queryQueue() {
    long request = queueRequests.incrementAndGet();
    return call(source::queue)
        .thenApply(
            queue -> {
              applyQueue(request, queue);
              return queue;
            });
  }

  /**
   * Takes in a queue snapshot unless a later request's answer came first; reports a changed
   * position.
   */
  private void applyQueue(long request, QueueSnapshot queue) {
    synchronized (lock) {
      if (request < queueApplied || result.isDone()) {
        return;
      }
      queueApplied = request;
      running = queue.isRunning(promptId);
      int position = queue.positionOf(promptId);
      if (position < 0 || position == lastPosition) {
        return;
      }
      lastPosition = position;
      notifyListener("onQueuePosition", () -> listener.onQueuePosition(position));
    }
  }

  /**
   * A queue change (a {@code status} message): refresh the position, with at most one request in
   * flight.
   */
  private void refreshQueue() {
    if (running || result.isDone() || !queueRefreshInFlight.compareAndSet(false, true)) {
      return;
    }
    queryQueue()
        .whenComplete(
            (queue, error) -> {
              queueRefreshInFlight.set(false);
              if (error != null) {
                LOG.debug(
                    "A queue refresh for prompt {} on {} failed: {}",
                    promptId,
                    server,
                    error.toString());
              }
            });
  }

  // ----------------------------------------------------------------------------------------------
  // the end

  private void onPromptDone() {
    if (terminalSeen.compareAndSet(false, true)) {
      fetchFinalHistory(1);
    }
  }

  private void fetchFinalHistory(int attempt) {
    if (result.isDone()) {
      return;
    }
    call(() -> source.history(promptId))
        .whenComplete(
            (entry, error) -> {
              if (error == null && entry.isPresent()) {
                complete(entry.get(), "executing{node:null}");
              } else if (attempt < TERMINAL_HISTORY_ATTEMPTS) {
                LOG.debug(
                    "History of finished prompt {} on {} is not there yet (attempt {}); reading it again",
                    promptId,
                    server,
                    attempt,
                    error);
                synchronized (lock) {
                  if (!stopped) {
                    schedule(
                        () -> fetchFinalHistory(attempt + 1),
                        TERMINAL_RETRY_DELAY.multipliedBy(attempt));
                  }
                }
              } else {
                LOG.debug(
                    "History of finished prompt {} on {} still missing after {} reads; polling goes on",
                    promptId,
                    server,
                    attempt);
              }
            });
  }

  private void complete(HistoryEntry entry, String how) {
    if (result.complete(entry)) {
      LOG.debug(
          "Prompt {} on {} finished with {} [via {}]", promptId, server, entry.outcome(), how);
    }
  }

  // ----------------------------------------------------------------------------------------------
  // helpers

  /** Schedules on the client's scheduler; a shut-down scheduler ends tracking with an error. */
  private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    try {
      return scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(
          new OpenAvatharException(
              "Stopped tracking prompt "
                  + promptId
                  + " on "
                  + server
                  + ": the scheduler was shut down (the client"
                  + " was closed). Track it again with an open client.",
              e));
      return null;
    }
  }

  private static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> call) {
    try {
      CompletableFuture<T> future = call.get();
      return future != null
          ? future
          : CompletableFuture.failedFuture(new NullPointerException("null future"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Calls the listener one call at a time; a throwing listener is logged (at WARN once per method).
   */
  private void notifyListener(String method, Runnable call) {
    synchronized (lock) {
      try {
        call.run();
      } catch (RuntimeException e) {
        if (warned.add(method)) {
          LOG.warn(
              "Prompt listener {} threw in {}; tracking of prompt {} goes on",
              listener,
              method,
              promptId,
              e);
        } else {
          LOG.debug(
              "Prompt listener {} threw in {} again [prompt={}]", listener, method, promptId, e);
        }
      }
    }
  }

  /** Listens to the shared stream for this prompt's events. */
  private final class SocketListener implements ComfyEventListener {
    @Override
    public void onConnected() {
      poll(); // events of the outage are lost for good: look at the server's state now
    }

    @Override
    public void onDisconnected(Throwable cause) {
      schedulePoll(options.disconnectedPollInterval());
    }

    @Override
    public void onEvent(ComfyEvent event) {
      if (result.isDone()) {
        return;
      }
      if (event instanceof ComfyEvent.Status) {
        refreshQueue();
        return;
      }
      Optional<String> id = event.promptId();
      if (id.isPresent()) {
        if (id.get().equals(promptId)) {
          onOwnEvent(event);
        } else if (event instanceof ComfyEvent.ExecutionStart) {
          running = false; // another prompt of this client runs now
        }
        return;
      }
      // No prompt id: the reconnect hint executing{node}, or progress of servers from before
      // 2023-05. Ours only if
      // ours is known to be the running one.
      if (running
          && event instanceof ComfyEvent.Executing executing
          && executing.node().isPresent()) {
        forward(new ComfyEvent.Executing(Optional.of(promptId), executing.node()));
      } else if (running && event instanceof ComfyEvent.Progress progress) {
        forward(
            new ComfyEvent.Progress(
                Optional.of(promptId), progress.node(), progress.value(), progress.max()));
      }
    }

    private void onOwnEvent(ComfyEvent event) {
      if (event instanceof ComfyEvent.ExecutionStart) {
        running = true;
      }
      forward(event);
      if (event instanceof ComfyEvent.Executing executing && executing.isPromptDone()) {
        running = false;
        onPromptDone();
      }
    }

    private void forward(ComfyEvent event) {
      notifyListener("onEvent", () -> listener.onEvent(event));
    }
  }
}
