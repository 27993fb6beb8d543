package io.openavathar.comfy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.RetryOptions;
import io.openavathar.internal.Json;
import io.openavathar.internal.Retries;
import io.openavathar.internal.Schedulers;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A typed, asynchronous client of one ComfyUI server.
 *
 * <pre>{@code
 * ComfyUiClient comfy = ComfyUiClient.builder().baseUrl(URI.create("https://host/some/prefix")).build();
 * UploadedFile image = comfy.upload(Path.of("face.png"), TransferListener.NONE).join();
 * }</pre>
 *
 * <p>The base URL may carry a path prefix; every route is resolved below it. User info in the URL
 * ({@code https://user:pass@host}) is sent as HTTP basic auth and never printed. Transient failures
 * (connection errors, 429, 502, 503, 504) of idempotent calls are retried with exponential backoff
 * and jitter, honouring {@code Retry-After}; {@link #submit} is never retried blindly (see its
 * Javadoc). No call blocks a thread: futures complete on OkHttp or scheduler threads and fail with
 * an {@link io.openavathar.OpenAvatharException} subclass.
 *
 * <p>Share one client per server. {@link #close()} closes open event streams, fails calls still
 * running and stops the scheduler if the client made it; a caller-supplied {@link OkHttpClient} or
 * scheduler is left running.
 */
public final class ComfyUiClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ComfyUiClient.class);
  private static final AtomicInteger SCHEDULER_COUNT = new AtomicInteger();
  private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

  final URI baseUrl;
  final OkHttpClient http;
  final ScheduledExecutorService scheduler;
  final boolean ownsScheduler;
  final Clock clock;
  final int maxAttempts;
  final Duration initialBackoff;
  final Duration maxBackoff;

  /** The HTTP machinery: routes, exchanges, failure mapping, retries. */
  final ComfyHttp calls;

  /**
   * The retry policy of this client's calls, for helpers in this package (event stream reconnects,
   * polling).
   */
  final Retries retries;

  private final boolean ownsHttp;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Set<AutoCloseable> closeWithClient = ConcurrentHashMap.newKeySet();

  private ComfyUiClient(Builder b) {
    this.baseUrl =
        withoutTrailingSlash(
            Objects.requireNonNull(b.baseUrl, "baseUrl is required: builder().baseUrl(URI)"));
    HttpUrl root = root(baseUrl);
    this.ownsHttp = b.http == null;
    RetryOptions options = b.retry.build();
    Duration readTimeout = options.readTimeout().orElse(DEFAULT_READ_TIMEOUT);
    // Derived with newBuilder(), so the caller's connection pool and dispatcher are shared. No call
    // timeout: a large
    // download may take long; the read timeout catches a stalled transfer.
    this.http =
        (b.http == null ? new OkHttpClient() : b.http)
            .newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .readTimeout(readTimeout)
            .writeTimeout(Duration.ofSeconds(60))
            .callTimeout(Duration.ZERO)
            .build();
    this.ownsScheduler = b.scheduler == null;
    this.scheduler = b.scheduler == null ? newScheduler() : b.scheduler;
    this.clock = b.clock;
    this.maxAttempts = options.maxAttempts();
    this.initialBackoff = options.initialBackoff();
    this.maxBackoff = options.maxBackoff();
    this.retries = Retries.of(options);
    this.calls = new ComfyHttp(http, root, clock, retries, scheduler, readTimeout);
  }

  /**
   * A builder; {@link Builder#baseUrl} is required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A client with defaults for the server at {@code baseUrl}.
   *
   * @param baseUrl the server's URL, for example {@code http://127.0.0.1:8188}
   * @return a new client; close it when done
   */
  public static ComfyUiClient create(URI baseUrl) {
    return builder().baseUrl(baseUrl).build();
  }

  /**
   * The server's base URL, as given (without a trailing slash).
   *
   * @return the base URL
   */
  public URI baseUrl() {
    return baseUrl;
  }

  /**
   * The base URL without user info (never a password), for messages.
   *
   * @return the URL for messages
   */
  public String displayUrl() {
    return io.openavathar.internal.Urls.withoutUserInfo(baseUrl);
  }

  // All routes below use the plain paths (/prompt, /upload/image, ...), which every ComfyUI server
  // since 2023 serves.
  // The /api/... aliases exist only since 2024-06.

  /**
   * Uploads a file (image or audio) to the server's {@code input} directory with {@code POST
   * /upload/image}, streamed from disk. Retried on transient failures: the server de-duplicates
   * identical content, so a repeat returns the same name. Use the returned name in the workflow.
   *
   * <p>Fails with {@link io.openavathar.InvalidInputException} if the file cannot be read or the
   * server refuses it as too large (HTTP 413). The listener is called on an OkHttp thread while the
   * body is written.
   *
   * @param file the file to upload
   * @param listener hears the bytes sent; {@link TransferListener#NONE} for none
   * @return completes with the name the server stored it under
   */
  public CompletableFuture<UploadedFile> upload(Path file, TransferListener listener) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(listener, "listener");
    return Uploads.upload(calls, file, listener);
  }

  /**
   * Submits an API-format workflow with {@code POST /prompt}. Fails with {@link
   * io.openavathar.WorkflowRejectedException} on 400 or on a 200 whose {@code node_errors} is not
   * empty. Not retried blindly: after a transient failure the client first looks for {@code
   * promptId} in the queue and the history, and only submits again if the server never saw it. A
   * prompt found that way is accepted with its queue number, or {@code -1} if it already left the
   * queue.
   *
   * @param clientId routes the prompt's WebSocket events (use {@link ComfyEventStream#clientId()})
   * @param promptId a UUID the caller chose; the key for finding the prompt again after a failure
   *     or restart
   * @param workflow the workflow in API format
   * @return completes when the server accepted the prompt
   */
  public CompletableFuture<PromptAccepted> submit(
      ObjectNode workflow, String clientId, String promptId) {
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(promptId, "promptId");
    return Submissions.submit(calls, workflow, clientId, promptId);
  }

  /**
   * {@code GET /history/{promptId}}: present once the prompt finished; empty while pending,
   * running, or when the id is unknown (tell those apart with {@link #queue()}).
   *
   * @param promptId the prompt id
   * @return completes with the entry, or empty
   */
  public CompletableFuture<Optional<HistoryEntry>> history(String promptId) {
    Objects.requireNonNull(promptId, "promptId");
    String op = "GET /history/{id}";
    return calls.retried(
        op,
        until ->
            calls.exchange(
                op,
                calls.get(calls.url("history", promptId)),
                until,
                r -> HistoryParser.parse(promptId, calls.json(op, r))));
  }

  /**
   * {@code GET /history?max_items=N}: the newest {@code maxItems} finished prompts, oldest first.
   * Each entry carries its graph ({@link HistoryEntry#graph()}), so answers can be large: ask for
   * what you need.
   *
   * @param maxItems 1 to 10000 (ComfyUI keeps at most 10000 entries, in memory only)
   * @return completes with the entries
   */
  public CompletableFuture<List<HistoryEntry>> historyAll(int maxItems) {
    if (maxItems < 1 || maxItems > 10_000) {
      throw new IllegalArgumentException("maxItems must be between 1 and 10000, was " + maxItems);
    }
    String op = "GET /history";
    HttpUrl url =
        calls
            .url("history")
            .newBuilder()
            .addQueryParameter("max_items", Integer.toString(maxItems))
            .build();
    return calls.retried(
        op,
        until ->
            calls.exchange(
                op, calls.get(url), until, r -> HistoryParser.parseAll(calls.json(op, r))));
  }

  /**
   * {@code GET /object_info}: the node classes the server has installed and the choice lists of
   * their inputs (model files, options). The answer can be several MB on a server with many node
   * packs: ask once and keep it.
   *
   * @return completes with the server's node classes and choice lists
   */
  public CompletableFuture<ObjectInfo> objectInfo() {
    String op = "GET /object_info";
    return calls.retried(
        op,
        until ->
            calls.exchange(
                op,
                calls.get(calls.url("object_info")),
                until,
                r -> ObjectInfoParser.parse(calls.json(op, r))));
  }

  /**
   * {@code GET /queue}: running and pending prompt ids, pending in the order they will run.
   *
   * @return completes with the queue
   */
  public CompletableFuture<QueueSnapshot> queue() {
    String op = "GET /queue";
    return calls.retried(
        op,
        until ->
            calls.exchange(
                op,
                calls.get(calls.url("queue")),
                until,
                r -> QueueParser.parse(calls.json(op, r))));
  }

  /**
   * Downloads an output through {@code GET /view} into {@code target} (written to a temporary
   * sibling {@code <name>.part}, then moved), streamed, resuming with a {@code Range} request when
   * a transfer breaks. Completes with the number of bytes. Fails without retrying when the server
   * has no such file (404). The listener is called on an OkHttp thread; its total is -1 when the
   * server does not say.
   *
   * @param file the output, as the history lists it
   * @param target the local file to write, replaced if it exists
   * @param listener hears the bytes received; {@link TransferListener#NONE} for none
   * @return completes with the number of bytes written
   */
  public CompletableFuture<Long> download(OutputFile file, Path target, TransferListener listener) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(listener, "listener");
    return Downloads.download(calls, file, target, listener);
  }

  /**
   * Interrupts the prompt if it is the one running ({@code POST /interrupt} with its id) and
   * removes it from the pending queue ({@code POST /queue} delete) otherwise. Safe to call for a
   * prompt in any state. Both calls are always made (the server's answers do not say whether
   * anything was found) and each is retried. Completes when both were answered, which is not when
   * the prompt stopped: a running prompt stops at its next node or sampler step (watch {@link
   * #queue()} and {@link #history(String)} for that).
   *
   * @param promptId the prompt to cancel
   * @return completes when the server answered both calls
   */
  public CompletableFuture<Void> cancel(String promptId) {
    Objects.requireNonNull(promptId, "promptId");
    return ComfyHttp.unwrapped(
        interrupt(promptId)
            .handle((v, e) -> e)
            .thenCompose(
                interruptFailure ->
                    dequeue(promptId)
                        .thenRun(
                            () -> {
                              if (interruptFailure != null) {
                                throw new CompletionException(interruptFailure);
                              }
                            })));
  }

  /**
   * Removes a pending prompt from the queue ({@code POST /queue} with {@code {"delete":
   * [promptId]}}); retried. The server cannot remove a running prompt and its answer does not say
   * whether it found one: look at {@link #queue()} before and after.
   *
   * @param promptId the prompt to remove
   * @return completes when the server answered
   */
  public CompletableFuture<Void> dequeue(String promptId) {
    Objects.requireNonNull(promptId, "promptId");
    ObjectNode delete = Json.mapper().createObjectNode();
    delete.putArray("delete").add(promptId);
    return post("POST /queue", calls.url("queue"), delete);
  }

  /**
   * Asks the server to interrupt the prompt if it is the one running ({@code POST /interrupt} with
   * its id); retried. Servers since 0.3.56 skip the request when that prompt is not running (older
   * ones interrupt whatever runs, so call this only for a prompt {@link #queue()} shows running).
   * The prompt stops at its next node or sampler step, not at once; its history then says
   * interrupted.
   *
   * @param promptId the prompt to interrupt
   * @return completes when the server answered
   */
  public CompletableFuture<Void> interrupt(String promptId) {
    Objects.requireNonNull(promptId, "promptId");
    return post(
        "POST /interrupt",
        calls.url("interrupt"),
        Json.mapper().createObjectNode().put("prompt_id", promptId));
  }

  /**
   * {@code GET /system_stats}: the readiness probe and version check. Retried on transient
   * failures.
   *
   * @return completes with the server's version and devices
   */
  public CompletableFuture<SystemStats> systemStats() {
    String op = "GET /system_stats";
    return calls.retried(op, until -> statsOnce(op, until));
  }

  /**
   * One {@code GET /system_stats}, never retried: for readiness loops, which retry on their own
   * schedule (a retry hidden inside a probe would only delay noticing that the server came up).
   *
   * @return completes with the server's version and devices, or fails at the first failure
   */
  public CompletableFuture<SystemStats> probe() {
    return statsOnce("GET /system_stats", new CompletableFuture<>());
  }

  private CompletableFuture<SystemStats> statsOnce(String op, CompletableFuture<?> until) {
    return calls.exchange(
        op, calls.get(calls.url("system_stats")), until, r -> StatsParser.parse(calls.json(op, r)));
  }

  /**
   * Opens the WebSocket event stream for {@code clientId}. The stream reconnects with backoff after
   * a drop (closing the old socket first) until it is closed; the listener hears about each drop
   * and reconnect.
   *
   * @param clientId the client id to listen as; prompts submitted with it send their events here
   * @param listener hears events and connection changes
   * @return the stream, connecting in the background ({@link ComfyEventListener#onConnected()} says
   *     when it is up); close it when done, or close this client
   */
  public ComfyEventStream openEvents(String clientId, ComfyEventListener listener) {
    return ComfyEventStream.open(this, clientId, listener);
  }

  /**
   * Registers something (an event stream) that {@link #close()} closes; closed at once if the
   * client is closed.
   */
  void closeWithClient(AutoCloseable resource) {
    closeWithClient.add(resource);
    if (closed.get() && closeWithClient.remove(resource)) {
      closeQuietly(resource);
    }
  }

  /** Undoes {@link #closeWithClient} for a resource closed on its own. */
  void forget(AutoCloseable resource) {
    closeWithClient.remove(resource);
  }

  /**
   * Closes event streams opened through this client, fails calls still running, and shuts down the
   * scheduler if the client created it. A caller's {@link OkHttpClient} and scheduler are left
   * running. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (AutoCloseable resource : closeWithClient) {
      closeWithClient.remove(resource);
      closeQuietly(resource);
    }
    calls.close();
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
    if (ownsHttp) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "ComfyUiClient{" + ComfyHttp.display(calls.url()) + "}";
  }

  private CompletableFuture<Void> post(String op, HttpUrl url, ObjectNode body) {
    return calls.retried(
        op, until -> calls.exchange(op, calls.postJson(url, body), until, r -> calls.ok(op, r)));
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      LOG.debug("Closing {} failed: {}", resource, e.toString());
    }
  }

  private static ScheduledExecutorService newScheduler() {
    return Schedulers.daemon("openavathar-comfy-scheduler-" + SCHEDULER_COUNT.incrementAndGet());
  }

  private static URI withoutTrailingSlash(URI uri) {
    String s = uri.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  private static HttpUrl root(URI baseUrl) {
    HttpUrl url = HttpUrl.parse(baseUrl.toString());
    if (url == null) {
      throw new IllegalArgumentException(
          "baseUrl must be an absolute http or https URL such as http://127.0.0.1:8188, was "
              + safe(baseUrl));
    }
    if (url.query() != null || url.fragment() != null) {
      throw new IllegalArgumentException(
          "baseUrl must not carry a query or fragment, was " + ComfyHttp.display(url) + "?...");
    }
    return url;
  }

  private static String safe(URI uri) {
    return (uri.getScheme() == null ? "" : uri.getScheme() + "://")
        + (uri.getHost() == null ? "" : uri.getHost())
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  /** Builds a {@link ComfyUiClient}. */
  public static final class Builder {
    URI baseUrl;
    OkHttpClient http;
    ScheduledExecutorService scheduler;
    Clock clock = Clock.systemUTC();
    final RetryOptions.Builder retry = RetryOptions.builder();

    private Builder() {}

    /**
     * Required. The server's URL, for example {@code http://127.0.0.1:8188} or {@code
     * https://host/prefix}.
     *
     * @param baseUrl the server's URL, http or https
     * @return this builder
     */
    public Builder baseUrl(URI baseUrl) {
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
      return this;
    }

    /**
     * The OkHttp client to derive ours from with {@code newBuilder()} (shares its pools,
     * dispatcher, interceptors and proxy settings). Ours sets its own timeouts: connect 10 s, read
     * and write 60 s, no call timeout. Default: a new one, shut down by {@link
     * ComfyUiClient#close()}.
     *
     * @param http the client to derive ours from
     * @return this builder
     */
    public Builder httpClient(OkHttpClient http) {
      this.http = Objects.requireNonNull(http, "http");
      return this;
    }

    /**
     * The scheduler for retry delays and reconnects. Default: one daemon thread owned by this
     * client.
     *
     * @param scheduler the scheduler; not shut down by {@link ComfyUiClient#close()}
     * @return this builder
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The clock (reads HTTP-date {@code Retry-After} values). Default: the system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Retries and read timeout at once: {@link RetryOptions#defaults()} unless set; the read
     * timeout, if the options carry none, stays as set here (default 60 s).
     *
     * @param options the retry options
     * @return this builder
     */
    public Builder retryOptions(RetryOptions options) {
      retry.apply(options);
      return this;
    }

    /**
     * Attempts per idempotent call, the first included. Default 4.
     *
     * @param maxAttempts attempts, at least 1
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      retry.maxAttempts(maxAttempts);
      return this;
    }

    /**
     * First retry delay, doubled per attempt up to {@link #maxBackoff}, with up to 25% jitter.
     * Default 500 ms.
     *
     * @param initialBackoff the first delay
     * @return this builder
     */
    public Builder initialBackoff(Duration initialBackoff) {
      retry.initialBackoff(initialBackoff);
      return this;
    }

    /**
     * Longest retry delay. Default 8 s. A server's {@code Retry-After} is honoured up to four times
     * this value.
     *
     * @param maxBackoff the longest delay
     * @return this builder
     */
    public Builder maxBackoff(Duration maxBackoff) {
      retry.maxBackoff(maxBackoff);
      return this;
    }

    /**
     * How long a call may wait for the next byte from the server before it fails (API calls) or is
     * cut and resumed with a {@code Range} request (downloads, which are watched for stalls instead
     * of timed per read). Default 60 s.
     *
     * @param readTimeout the read timeout, positive
     * @return this builder
     */
    public Builder readTimeout(Duration readTimeout) {
      retry.readTimeout(readTimeout);
      return this;
    }

    /**
     * The client; fails with {@link IllegalArgumentException} if the base URL is missing or not
     * http(s).
     *
     * @return the client; close it when done
     */
    public ComfyUiClient build() {
      return new ComfyUiClient(this);
    }
  }
}
