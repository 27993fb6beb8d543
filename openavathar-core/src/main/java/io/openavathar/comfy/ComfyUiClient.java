package io.openavathar.comfy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;

/**
 * A typed, asynchronous client of one ComfyUI server.
 *
 * <pre>{@code
 * ComfyUiClient comfy = ComfyUiClient.builder().baseUrl(URI.create("https://host/some/prefix")).build();
 * UploadedFile image = comfy.upload(Path.of("face.png"), TransferListener.NONE).join();
 * }</pre>
 *
 * <p>The base URL may carry a path prefix; every route is resolved below it. Transient failures (connection errors,
 * 502, 503, 504) of idempotent calls are retried with exponential backoff and jitter; {@link #submit} is never
 * retried blindly (see its Javadoc). Futures complete on OkHttp or scheduler threads and fail with an
 * {@link io.openavathar.OpenAvatharException} subclass.
 *
 * <p>Share one client per server. {@link #close()} closes open event streams and the scheduler if the client made
 * it; a caller-supplied {@link OkHttpClient} or scheduler is left running.
 */
public final class ComfyUiClient implements AutoCloseable {
  final URI baseUrl;
  final OkHttpClient http;
  final ScheduledExecutorService scheduler;
  final boolean ownsScheduler;
  final Clock clock;
  final int maxAttempts;
  final Duration initialBackoff;
  final Duration maxBackoff;

  private ComfyUiClient(Builder b) {
    this.baseUrl = Objects.requireNonNull(b.baseUrl, "baseUrl is required: builder().baseUrl(URI)");
    throw new UnsupportedOperationException("filled in by the comfy client implementation");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A client with defaults for the server at {@code baseUrl}. */
  public static ComfyUiClient create(URI baseUrl) {
    return builder().baseUrl(baseUrl).build();
  }

  /** The server's base URL, as given (without a trailing slash). */
  public URI baseUrl() {
    return baseUrl;
  }

  /**
   * Uploads a file (image or audio) to the server's {@code input} directory with {@code POST /upload/image}, streamed
   * from disk. Retried on transient failures: the server de-duplicates identical content, so a repeat returns the
   * same name. Use the returned name in the workflow.
   */
  public CompletableFuture<UploadedFile> upload(Path file, TransferListener listener) {
    throw new UnsupportedOperationException();
  }

  /**
   * Submits an API-format workflow with {@code POST /prompt}. Fails with
   * {@link io.openavathar.WorkflowRejectedException} on 400 or on a 200 whose {@code node_errors} is not empty.
   * Not retried blindly: after a transient failure the client first looks for {@code promptId} in the queue and the
   * history, and only submits again if the server never saw it.
   */
  public CompletableFuture<PromptAccepted> submit(ObjectNode workflow, String clientId, String promptId) {
    throw new UnsupportedOperationException();
  }

  /**
   * {@code GET /history/{promptId}}: present once the prompt finished; empty while pending, running, or when the id
   * is unknown (tell those apart with {@link #queue()}).
   */
  public CompletableFuture<Optional<HistoryEntry>> history(String promptId) {
    throw new UnsupportedOperationException();
  }

  /** {@code GET /queue}: running and pending prompt ids. */
  public CompletableFuture<QueueSnapshot> queue() {
    throw new UnsupportedOperationException();
  }

  /**
   * Downloads an output through {@code GET /view} into {@code target} (written to a temporary sibling, then moved),
   * streamed, resuming with a {@code Range} request when a transfer breaks. Completes with the number of bytes.
   */
  public CompletableFuture<Long> download(OutputFile file, Path target, TransferListener listener) {
    throw new UnsupportedOperationException();
  }

  /**
   * Interrupts the prompt if it is the one running ({@code POST /interrupt} with its id) and removes it from the
   * pending queue ({@code POST /queue} delete) otherwise. Safe to call for a prompt in any state.
   */
  public CompletableFuture<Void> cancel(String promptId) {
    throw new UnsupportedOperationException();
  }

  /** {@code GET /system_stats}: the readiness probe. */
  public CompletableFuture<SystemStats> systemStats() {
    throw new UnsupportedOperationException();
  }

  /**
   * Opens the WebSocket event stream for {@code clientId}. The stream reconnects with backoff after a drop (closing
   * the old socket first) until it is closed; the listener hears about each drop and reconnect.
   */
  public ComfyEventStream openEvents(String clientId, ComfyEventListener listener) {
    return ComfyEventStream.open(this, clientId, listener);
  }

  @Override
  public void close() {
    throw new UnsupportedOperationException();
  }

  @Override
  public String toString() {
    return "ComfyUiClient{" + baseUrl + "}";
  }

  /** Builds a {@link ComfyUiClient}. */
  public static final class Builder {
    URI baseUrl;
    OkHttpClient http;
    ScheduledExecutorService scheduler;
    Clock clock = Clock.systemUTC();
    int maxAttempts = 4;
    Duration initialBackoff = Duration.ofMillis(500);
    Duration maxBackoff = Duration.ofSeconds(8);

    private Builder() {}

    /** Required. The server's URL, for example {@code http://127.0.0.1:8188} or {@code https://host/prefix}. */
    public Builder baseUrl(URI baseUrl) {
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
      return this;
    }

    /** The OkHttp client to derive ours from (shares its pools). Default: a new one. */
    public Builder httpClient(OkHttpClient http) {
      this.http = Objects.requireNonNull(http, "http");
      return this;
    }

    /** The scheduler for retry delays and reconnects. Default: one daemon thread owned by this client. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The clock. Default: the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Attempts per idempotent call, the first included. Default 4. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** First retry delay, doubled per attempt up to {@link #maxBackoff}, with up to 25% jitter. Default 500 ms. */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
      return this;
    }

    /** Longest retry delay. Default 8 s. */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
      return this;
    }

    public ComfyUiClient build() {
      return new ComfyUiClient(this);
    }
  }
}
