package io.openavathar.comfy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.RemoteUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TrackedPromptTest {
  private static final String ID = "5f0c7e0e-3c4b-4a6e-9d57-1b8f6c1e2a10";
  private static final String OTHER = "0b7e9a44-1111-2222-3333-444455556666";
  private static final PromptTracker.Options OPTIONS =
      new PromptTracker.Options(
          Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofSeconds(30));
  private static final HistoryEntry DONE =
      new HistoryEntry(ID, HistoryEntry.Outcome.SUCCESS, Map.of(), Map.of(), null);
  private static final ComfyEvent.ProgressState PROGRESS_STATE =
      new ComfyEvent.ProgressState(
          ID,
          Map.of(
              "128",
              new ComfyEvent.NodeProgress(
                  3, 24, ComfyEvent.NodeState.RUNNING, Optional.of("128"))));

  private final ManualScheduler scheduler = new ManualScheduler();
  private final FakeSource source = new FakeSource();
  private final FakeEvents events = new FakeEvents();
  private final RecordingListener listener = new RecordingListener();

  private CompletableFuture<HistoryEntry> track() {
    return track(listener);
  }

  private CompletableFuture<HistoryEntry> track(PromptTracker.Listener promptListener) {
    return TrackedPrompt.start(
        source,
        events,
        scheduler,
        scheduler.clock(),
        "http://comfy:8188",
        ID,
        promptListener,
        OPTIONS);
  }

  private static QueueSnapshot queue(List<String> running, List<String> pending) {
    return new QueueSnapshot(running, pending);
  }

  @Test
  void track_completesOnExecutingNullFromTheSocket() throws Exception {
    events.connected = true;
    source.queue = queue(List.of(ID), List.of());
    CompletableFuture<HistoryEntry> result = track();

    events.emit(new ComfyEvent.ExecutionStart(ID));
    events.emit(new ComfyEvent.Executing(Optional.of(ID), Optional.of("128")));
    events.emit(PROGRESS_STATE);
    events.emit(new ComfyEvent.ExecutionSuccess(ID));
    assertThat(result).isNotDone();
    source.history = Optional.of(DONE);
    events.emit(new ComfyEvent.Executing(Optional.of(ID), Optional.empty()));

    assertThat(result).isCompletedWithValue(DONE);
    assertThat(listener.events)
        .containsExactly(
            new ComfyEvent.ExecutionStart(ID),
            new ComfyEvent.Executing(Optional.of(ID), Optional.of("128")),
            PROGRESS_STATE,
            new ComfyEvent.ExecutionSuccess(ID),
            new ComfyEvent.Executing(Optional.of(ID), Optional.empty()));
  }

  @Test
  void track_whenThePromptEndedBeforeTracking_completesFromTheFirstPoll() {
    source.history = Optional.of(DONE);

    CompletableFuture<HistoryEntry> result = track();

    assertThat(result).isCompletedWithValue(DONE);
    assertThat(events.listeners).isEmpty();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void track_subscribesBeforeItsFirstPoll() {
    source.onHistory = () -> assertThat(events.listeners).hasSize(1);

    track();

    assertThat(source.historyCalls).hasValue(1);
    assertThat(source.failures).isEmpty();
  }

  @Test
  void track_whenTheStreamNeverConnects_completesByPollingEverySecond() {
    source.queue = queue(List.of(ID), List.of());
    CompletableFuture<HistoryEntry> result = track();
    assertThat(scheduler.nextDelay()).contains(Duration.ofSeconds(1));

    scheduler.advance(Duration.ofSeconds(3));
    assertThat(source.historyCalls).hasValue(4);
    source.history = Optional.of(DONE);
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(result).isCompletedWithValue(DONE);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void track_whenTheSocketSilentlyStopsDelivering_completesAtTheConnectedPoll() {
    events.connected = true;
    source.queue = queue(List.of(ID), List.of());
    CompletableFuture<HistoryEntry> result = track();
    source.history = Optional.of(DONE);

    scheduler.advance(Duration.ofSeconds(14));
    assertThat(result).isNotDone();
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(result).isCompletedWithValue(DONE);
  }

  @Test
  void disconnect_switchesToFastPolling_andReconnectPollsAtOnce() {
    events.connected = true;
    source.queue = queue(List.of(ID), List.of());
    track();
    assertThat(scheduler.nextDelay()).contains(Duration.ofSeconds(15));

    events.disconnect();
    assertThat(scheduler.nextDelay()).contains(Duration.ofSeconds(1));
    assertThat(scheduler.pending()).isEqualTo(1);
    events.connect();

    assertThat(source.historyCalls).hasValue(2);
    assertThat(scheduler.nextDelay()).contains(Duration.ofSeconds(1));
  }

  @Test
  void track_reportsQueuePositionsFromPollsAndStatusMessages() {
    events.connected = true;
    source.queue = queue(List.of("r"), List.of("a", "b", ID));
    track();
    source.queue = queue(List.of("a"), List.of(ID, "b"));
    events.emit(new ComfyEvent.Status(3, Optional.empty()));
    events.emit(new ComfyEvent.Status(3, Optional.empty()));
    source.queue = queue(List.of(ID), List.of("b"));
    events.emit(new ComfyEvent.Status(2, Optional.empty()));

    assertThat(listener.positions).containsExactly(3, 1, 0);
  }

  @Test
  void statusMessages_keepAtMostOneQueueRequestInFlight() {
    events.connected = true;
    source.queue = queue(List.of("r"), List.of(ID));
    track();
    int before = source.queueCalls.get();
    CompletableFuture<QueueSnapshot> slow = new CompletableFuture<>();
    source.queueFuture = slow;

    events.emit(new ComfyEvent.Status(2, Optional.empty()));
    events.emit(new ComfyEvent.Status(3, Optional.empty()));
    events.emit(new ComfyEvent.Status(4, Optional.empty()));
    assertThat(source.queueCalls.get() - before).isEqualTo(1);
    slow.complete(queue(List.of(ID), List.of()));
    source.queueFuture = null;
    events.emit(new ComfyEvent.Status(1, Optional.empty()));

    assertThat(source.queueCalls.get() - before)
        .isEqualTo(1); // running now: no more queue requests needed
    assertThat(listener.positions).containsExactly(1, 0);
  }

  @Test
  void track_whenThePromptIsInNeitherQueueNorHistory_failsAfterTheGrace() {
    source.queue = queue(List.of(), List.of());
    CompletableFuture<HistoryEntry> result = track();

    scheduler.advance(Duration.ofSeconds(30));
    assertThat(result).isNotDone();
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(result).isCompletedExceptionally();
    assertThatThrownBy(result::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(RemoteUnavailableException.class)
        .hasMessageContaining("ComfyUI at http://comfy:8188 no longer knows prompt " + ID)
        .hasMessageContaining("Submit the job again.");
    assertThat(events.listeners).isEmpty();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void missingPrompt_thatShowsUpAgain_restartsTheGrace() {
    source.queue = queue(List.of(), List.of());
    CompletableFuture<HistoryEntry> result = track();
    scheduler.advance(Duration.ofSeconds(20));
    source.queue = queue(List.of(), List.of(ID));
    scheduler.advance(Duration.ofSeconds(1));
    source.queue = queue(List.of(), List.of());

    scheduler.advance(Duration.ofSeconds(30));

    assertThat(result).isNotDone();
    scheduler.advance(Duration.ofSeconds(2));
    assertThat(result).isCompletedExceptionally();
  }

  @Test
  void eventsOfOtherPrompts_areIgnored() {
    events.connected = true;
    source.queue = queue(List.of(OTHER), List.of(ID));
    CompletableFuture<HistoryEntry> result = track();
    int historyCalls = source.historyCalls.get();

    events.emit(new ComfyEvent.ExecutionStart(OTHER));
    events.emit(new ComfyEvent.Progress(Optional.of(OTHER), "128", 1, 24));
    // ComfyUI 0.3.44 to 0.3.56 sent progress_state to every socket.
    events.emit(new ComfyEvent.ProgressState(OTHER, PROGRESS_STATE.nodes()));
    events.emit(new ComfyEvent.ExecutionInterrupted(OTHER, Optional.of("128")));
    events.emit(new ComfyEvent.Executing(Optional.of(OTHER), Optional.empty()));
    events.emit(new ComfyEvent.Executing(Optional.empty(), Optional.of("128")));

    assertThat(listener.events).isEmpty();
    assertThat(result).isNotDone();
    assertThat(source.historyCalls).hasValue(historyCalls);
  }

  @Test
  void reconnectHint_isForwardedOnlyWhileThisPromptRuns() {
    events.connected = true;
    source.queue = queue(List.of(), List.of(ID));
    track();
    events.emit(new ComfyEvent.Executing(Optional.empty(), Optional.of("120")));

    events.emit(new ComfyEvent.ExecutionStart(ID));
    events.emit(new ComfyEvent.Executing(Optional.empty(), Optional.of("128")));
    events.emit(new ComfyEvent.ExecutionStart(OTHER));
    events.emit(new ComfyEvent.Executing(Optional.empty(), Optional.of("317")));

    assertThat(listener.events)
        .containsExactly(
            new ComfyEvent.ExecutionStart(ID),
            new ComfyEvent.Executing(Optional.of(ID), Optional.of("128")));
  }

  @Test
  void cancel_unsubscribesAndStopsPolling() {
    source.queue = queue(List.of(ID), List.of());
    CompletableFuture<HistoryEntry> result = track();
    int historyCalls = source.historyCalls.get();

    result.cancel(true);
    scheduler.advance(Duration.ofMinutes(5));
    events.emit(new ComfyEvent.ExecutionStart(ID));

    assertThat(events.listeners).isEmpty();
    assertThat(scheduler.pending()).isZero();
    assertThat(source.historyCalls).hasValue(historyCalls);
    assertThat(listener.events).isEmpty();
  }

  @Test
  void throwingListener_doesNotBreakTracking() {
    events.connected = true;
    source.queue = queue(List.of(), List.of("a", ID));
    PromptTracker.Listener broken =
        new PromptTracker.Listener() {
          @Override
          public void onQueuePosition(int ahead) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onEvent(ComfyEvent event) {
            throw new IllegalStateException("listener bug");
          }
        };
    CompletableFuture<HistoryEntry> result = track(broken);

    events.emit(new ComfyEvent.ExecutionStart(ID));
    source.history = Optional.of(DONE);
    events.emit(new ComfyEvent.Executing(Optional.of(ID), Optional.empty()));

    assertThat(result).isCompletedWithValue(DONE);
  }

  @Test
  void pollFailures_areRetriedAtTheNextTick() {
    source.queue = queue(List.of(ID), List.of());
    source.fail = true;
    CompletableFuture<HistoryEntry> result = track();
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(result).isNotDone();

    source.fail = false;
    source.history = Optional.of(DONE);
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(result).isCompletedWithValue(DONE);
  }

  @Test
  void executingNull_beforeHistoryIsReadable_readsItAgainShortly() {
    events.connected = true;
    source.queue = queue(List.of(ID), List.of());
    CompletableFuture<HistoryEntry> result = track();
    source.historyAfterCalls = source.historyCalls.get() + 3;

    events.emit(new ComfyEvent.Executing(Optional.of(ID), Optional.empty()));
    assertThat(result).isNotDone();
    scheduler.advance(TrackedPrompt.TERMINAL_RETRY_DELAY.multipliedBy(3));

    assertThat(result).isCompletedWithValue(DONE);
  }

  @Test
  void schedulerShutDown_failsTheFuture() {
    source.queue = queue(List.of(ID), List.of());
    scheduler.shutdown();

    CompletableFuture<HistoryEntry> result = track();

    assertThat(result).isCompletedExceptionally();
    assertThat(events.listeners).isEmpty();
  }

  /** History and queue answers the test sets; completes at once unless told otherwise. */
  private static final class FakeSource implements PromptStateSource {
    volatile Optional<HistoryEntry> history = Optional.empty();
    volatile int historyAfterCalls = Integer.MAX_VALUE;
    volatile QueueSnapshot queue = new QueueSnapshot(List.of(), List.of());
    volatile CompletableFuture<QueueSnapshot> queueFuture;
    volatile boolean fail;
    volatile Runnable onHistory = () -> {};
    final AtomicInteger historyCalls = new AtomicInteger();
    final AtomicInteger queueCalls = new AtomicInteger();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Optional<HistoryEntry>> history(String promptId) {
      int call = historyCalls.incrementAndGet();
      try {
        onHistory.run();
      } catch (AssertionError e) {
        failures.add(e);
      }
      if (fail) {
        return CompletableFuture.failedFuture(
            new RemoteUnavailableException("ComfyUI is down", null));
      }
      if (call >= historyAfterCalls) {
        return CompletableFuture.completedFuture(Optional.of(DONE));
      }
      return CompletableFuture.completedFuture(promptId.equals(ID) ? history : Optional.empty());
    }

    @Override
    public CompletableFuture<QueueSnapshot> queue() {
      queueCalls.incrementAndGet();
      if (fail) {
        throw new RemoteUnavailableException("ComfyUI is down", null);
      }
      CompletableFuture<QueueSnapshot> pending = queueFuture;
      return pending != null ? pending : CompletableFuture.completedFuture(queue);
    }
  }

  /** A stream the test drives by hand; delivers on the test thread. */
  private static final class FakeEvents implements EventSubscription {
    final List<ComfyEventListener> listeners = new CopyOnWriteArrayList<>();
    volatile boolean connected;

    @Override
    public void addListener(ComfyEventListener listener) {
      listeners.add(listener);
    }

    @Override
    public void removeListener(ComfyEventListener listener) {
      listeners.remove(listener);
    }

    @Override
    public boolean isConnected() {
      return connected;
    }

    void emit(ComfyEvent event) {
      listeners.forEach(l -> l.onEvent(event));
    }

    void disconnect() {
      connected = false;
      listeners.forEach(l -> l.onDisconnected(new RemoteUnavailableException("dropped", null)));
    }

    void connect() {
      connected = true;
      listeners.forEach(ComfyEventListener::onConnected);
    }
  }

  private static final class RecordingListener implements PromptTracker.Listener {
    final List<ComfyEvent> events = new CopyOnWriteArrayList<>();
    final List<Integer> positions = new CopyOnWriteArrayList<>();

    @Override
    public void onQueuePosition(int ahead) {
      positions.add(ahead);
    }

    @Override
    public void onEvent(ComfyEvent event) {
      events.add(event);
    }
  }
}
