package io.openavathar.comfy;

import io.openavathar.internal.Urls;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Follows one submitted prompt to its end and completes with its {@link HistoryEntry} (whatever the
 * outcome: the caller maps errors and interrupts). Events come from a shared {@link
 * ComfyEventStream}; the end is {@code executing{node:null}} for this prompt id, after which
 * history is fetched. Because sockets drop and the server replays nothing, the tracker also polls
 * {@code /history} and {@code /queue}: often while the stream is disconnected, rarely while it is
 * up. A prompt that is neither in history nor in the queue for longer than {@link
 * Options#missingGrace()} fails the future (the server restarted or lost it).
 *
 * <p>Cancelling the returned future stops tracking (it does not cancel the prompt: use {@link
 * ComfyUiClient#cancel(String)}).
 */
public final class PromptTracker {
  private PromptTracker() {}

  /**
   * What a tracked prompt reports along the way; every method a no-op by default; called on OkHttp
   * threads.
   */
  public interface Listener {
    /** A listener that ignores everything. */
    Listener NONE = new Listener() {};

    /**
     * Prompts ahead of this one (0 = running or next), from polls and queue changes.
     *
     * @param ahead the number of prompts ahead, 0 or more
     */
    default void onQueuePosition(int ahead) {}

    /**
     * An event of this prompt (execution start, executing, progress, executed, errors).
     *
     * @param event the event
     */
    default void onEvent(ComfyEvent event) {}
  }

  /**
   * Timings of the fallback polling.
   *
   * @param disconnectedPollInterval poll period while the socket is down (default 1 s)
   * @param connectedPollInterval safety poll period while the socket is up, because a socket can
   *     silently stop delivering (default 15 s)
   * @param missingGrace how long a prompt may be absent from both history and queue before the
   *     tracker gives up (default 30 s)
   * @param unreachableGrace how long the server may answer no poll at all (socket down too) before
   *     the tracker gives up, so that the job can move to another pod (default 2 min)
   */
  public record Options(
      Duration disconnectedPollInterval,
      Duration connectedPollInterval,
      Duration missingGrace,
      Duration unreachableGrace) {
    /** The defaults: 1 s, 15 s, 30 s and 2 min. */
    public static final Options DEFAULTS =
        new Options(
            Duration.ofSeconds(1),
            Duration.ofSeconds(15),
            Duration.ofSeconds(30),
            Duration.ofMinutes(2));

    /**
     * Checks that no value is null.
     *
     * @param disconnectedPollInterval poll period while the socket is down
     * @param connectedPollInterval poll period while the socket is up
     * @param missingGrace how long a prompt may be absent from history and queue
     * @param unreachableGrace how long the server may answer no poll at all
     */
    public Options {
      Objects.requireNonNull(disconnectedPollInterval, "disconnectedPollInterval");
      Objects.requireNonNull(connectedPollInterval, "connectedPollInterval");
      Objects.requireNonNull(missingGrace, "missingGrace");
      Objects.requireNonNull(unreachableGrace, "unreachableGrace");
    }

    /**
     * With the default unreachable grace (2 min).
     *
     * @param disconnectedPollInterval poll period while the socket is down
     * @param connectedPollInterval poll period while the socket is up
     * @param missingGrace how long a prompt may be absent from history and queue
     */
    public Options(
        Duration disconnectedPollInterval, Duration connectedPollInterval, Duration missingGrace) {
      this(disconnectedPollInterval, connectedPollInterval, missingGrace, Duration.ofMinutes(2));
    }
  }

  /**
   * Tracks {@code promptId} (already submitted through {@code client} with {@code
   * events.clientId()}).
   *
   * <p>Subscribes to {@code events} at once and reads the history right away, so an end that came
   * before this call is not missed. The future completes with the history entry (after {@code
   * executing{node:null}}, or when a poll finds it), fails with {@link
   * io.openavathar.RemoteUnavailableException} when the prompt stays unknown to the server longer
   * than {@link Options#missingGrace()} (or with {@link io.openavathar.OpenAvatharException} once
   * the client is closed), and stops everything when cancelled or completed. Failed polls are
   * retried at the next tick. The reconnect hint {@code executing{node}} (which names no prompt) is
   * passed on, with this prompt's id filled in, only while this prompt is known to be the running
   * one.
   *
   * <p>Polls run on the client's scheduler; the listener is called on OkHttp or scheduler threads,
   * one call at a time.
   *
   * @param client the client the prompt was submitted through
   * @param events the event stream whose client id the prompt was submitted with
   * @param promptId the prompt to track
   * @param listener hears queue positions and the prompt's events
   * @param options the polling timings
   * @return completes with the prompt's history entry; cancel it to stop tracking
   */
  public static CompletableFuture<HistoryEntry> track(
      ComfyUiClient client,
      ComfyEventStream events,
      String promptId,
      Listener listener,
      Options options) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(promptId, "promptId");
    return TrackedPrompt.start(
        PromptStateSource.of(client),
        EventSubscription.of(events),
        client.scheduler,
        client.clock,
        Urls.withoutUserInfo(client.baseUrl),
        promptId,
        listener,
        options);
  }
}
