package io.openavathar.comfy;

import io.openavathar.RemoteUnavailableException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reconnecting WebSocket subscription to one server's events for one client id. Obtain one from
 * {@link ComfyUiClient#openEvents}. Thread-safe; {@link #close()} is idempotent.
 *
 * <p>The stream counts as connected once the server's first {@code status} message (the one with
 * {@code sid}) arrived. After a drop it closes the old socket, tells the listeners, and reconnects
 * with the same client id after an exponential backoff with jitter (250 ms doubling to 10 s, reset
 * by a successful connect), until it is closed. Listeners are called on OkHttp's WebSocket thread,
 * one call at a time, events in the order the server sent them. {@link
 * ComfyEventListener#onDisconnected} follows only an {@link ComfyEventListener#onConnected}: failed
 * attempts while not connected are logged at DEBUG, not reported (an upgrade refused with a 4xx
 * status, such as a wrong prefix or a proxy without WebSocket support, is logged at WARN once).
 */
public final class ComfyEventStream implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ComfyEventStream.class);
  static final Duration PING_INTERVAL = Duration.ofSeconds(20);
  static final Duration INITIAL_BACKOFF = Duration.ofMillis(250);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  private static final int NORMAL_CLOSURE = 1000;

  private final String clientId;
  private final HttpUrl requestUrl;
  private final String url;
  private final OkHttpClient http;
  private final ScheduledExecutorService scheduler;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final List<ComfyEventListener> listeners = new CopyOnWriteArrayList<>();
  private final Set<String> warnedListeners = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();

  // Guarded by lock.
  private WebSocket socket;
  private int generation;
  private boolean closed;
  private Duration backoff;
  private ScheduledFuture<?> reconnect;

  private volatile boolean connected;
  private volatile boolean warnedRefused;

  private ComfyEventStream(
      URI baseUrl,
      OkHttpClient http,
      ScheduledExecutorService scheduler,
      String clientId,
      Duration initialBackoff,
      Duration maxBackoff) {
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.requestUrl = webSocketUrl(baseUrl, clientId);
    this.url = wireForm(requestUrl);
    this.http = http.newBuilder().pingInterval(PING_INTERVAL).build();
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.backoff = initialBackoff;
  }

  static ComfyEventStream open(ComfyUiClient client, String clientId, ComfyEventListener listener) {
    ComfyEventStream stream =
        open(client.baseUrl, client.http, client.scheduler, clientId, listener);
    client.closeWithClient(stream);
    return stream;
  }

  /**
   * Opens a stream with the default backoff; the seam for tests that have no {@link ComfyUiClient}.
   */
  static ComfyEventStream open(
      URI baseUrl,
      OkHttpClient http,
      ScheduledExecutorService scheduler,
      String clientId,
      ComfyEventListener listener) {
    return open(baseUrl, http, scheduler, clientId, listener, INITIAL_BACKOFF, MAX_BACKOFF);
  }

  static ComfyEventStream open(
      URI baseUrl,
      OkHttpClient http,
      ScheduledExecutorService scheduler,
      String clientId,
      ComfyEventListener listener,
      Duration initialBackoff,
      Duration maxBackoff) {
    Objects.requireNonNull(listener, "listener");
    ComfyEventStream stream =
        new ComfyEventStream(baseUrl, http, scheduler, clientId, initialBackoff, maxBackoff);
    stream.listeners.add(listener);
    stream.connect();
    return stream;
  }

  /**
   * The WebSocket URL below {@code baseUrl}, in OkHttp's form ({@code http} or {@code https}:
   * OkHttp upgrades it, and {@code ws} or {@code wss} is what goes on the wire): the path prefix is
   * kept and {@code /ws?clientId=} appended.
   */
  static HttpUrl webSocketUrl(URI baseUrl, String clientId) {
    HttpUrl base = HttpUrl.parse(Objects.requireNonNull(baseUrl, "baseUrl").toString());
    if (base == null) {
      throw new IllegalArgumentException("baseUrl must be an http or https URL, was " + baseUrl);
    }
    HttpUrl.Builder url = base.newBuilder().query(null).fragment(null);
    List<String> segments = base.pathSegments();
    if (segments.get(segments.size() - 1).isEmpty()) {
      url.removePathSegment(segments.size() - 1);
    }
    return url.addPathSegment("ws").addQueryParameter("clientId", clientId).build();
  }

  /**
   * How a WebSocket URL reads on the wire ({@code ws://...} or {@code wss://...}), without user
   * info.
   */
  static String wireForm(HttpUrl url) {
    return "ws"
        + url.newBuilder().username("").password("").build().toString().substring("http".length());
  }

  /**
   * The client id this stream listens as; pass it as {@code client_id} when submitting prompts.
   *
   * @return the client id
   */
  public String clientId() {
    return clientId;
  }

  /**
   * Adds a listener; it hears every later event (filter by {@link ComfyEvent#promptId()}) and
   * connection change. Several prompts share one stream this way.
   *
   * @param listener the listener to add
   */
  public void addListener(ComfyEventListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Removes a listener added before; it hears nothing after this returns, except a call already
   * under way.
   *
   * @param listener the listener to remove
   */
  public void removeListener(ComfyEventListener listener) {
    listeners.remove(listener);
  }

  /**
   * Whether the socket is open right now (the server's first {@code status} arrived and no drop
   * since).
   *
   * @return true while connected
   */
  public boolean isConnected() {
    return connected;
  }

  /**
   * Closes the socket with code 1000 and stops reconnecting. Listeners hear nothing more.
   * Idempotent.
   */
  @Override
  public void close() {
    WebSocket toClose;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      connected = false;
      generation++;
      if (reconnect != null) {
        reconnect.cancel(false);
        reconnect = null;
      }
      toClose = socket;
      socket = null;
    }
    if (toClose != null && !toClose.close(NORMAL_CLOSURE, "client closed")) {
      toClose.cancel();
    }
    LOG.debug("Closed the event stream [url={}]", url);
  }

  /** The OkHttp client the socket uses (derived from the caller's, with pings). */
  OkHttpClient socketClient() {
    return http;
  }

  @Override
  public String toString() {
    return "ComfyEventStream{" + url + ", connected=" + connected + "}";
  }

  private void connect() {
    synchronized (lock) {
      reconnect = null;
      if (closed) {
        return;
      }
      if (socket != null) {
        socket.cancel();
      }
      int gen = ++generation;
      LOG.debug("Connecting the event stream [url={}, attempt={}]", url, gen);
      socket =
          http.newWebSocket(new Request.Builder().url(requestUrl).build(), new SocketListener(gen));
    }
  }

  private boolean isCurrent(int gen) {
    synchronized (lock) {
      return gen == generation && !closed;
    }
  }

  private void onStatusWithSid(int gen) {
    synchronized (lock) {
      if (gen != generation || closed || connected) {
        return;
      }
      connected = true;
      backoff = initialBackoff;
    }
    LOG.debug("Event stream connected [url={}]", url);
    notifyListeners("onConnected", "", ComfyEventListener::onConnected);
  }

  private void onDrop(int gen, Throwable cause) {
    boolean wasConnected;
    Duration delay;
    synchronized (lock) {
      if (gen != generation || closed) {
        return;
      }
      generation++; // later callbacks of this socket (onClosed after onClosing) are stale
      wasConnected = connected;
      connected = false;
      if (socket != null) {
        socket.cancel(); // issue #16010: make sure the old connection is gone before the new one
        // registers
        socket = null;
      }
      delay = jitter(backoff);
      backoff =
          backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
      try {
        reconnect = scheduler.schedule(this::connect, delay.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        LOG.debug("Event stream stops reconnecting: the scheduler was shut down [url={}]", url);
        closed = true;
      }
    }
    LOG.debug(
        "Event stream dropped, reconnecting in {} ms [url={}, cause={}]",
        delay.toMillis(),
        url,
        cause.toString());
    if (wasConnected) {
      notifyListeners("onDisconnected", cause, l -> l.onDisconnected(cause));
    }
  }

  /**
   * A delay between 75% and 100% of {@code base}, so that many clients do not reconnect in step.
   */
  private static Duration jitter(Duration base) {
    long nanos = base.toNanos();
    return Duration.ofNanos(nanos - ThreadLocalRandom.current().nextLong(nanos / 4 + 1));
  }

  private void deliver(ComfyEvent event) {
    notifyListeners("onEvent", event, l -> l.onEvent(event));
  }

  /**
   * Calls every listener; a throwing one is logged, at WARN the first time per listener and method.
   */
  private void notifyListeners(String method, Object argument, Consumer<ComfyEventListener> call) {
    for (ComfyEventListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException | Error e) {
        if (e instanceof VirtualMachineError) {
          throw e;
        }
        String key = System.identityHashCode(listener) + ":" + method;
        if (warnedListeners.add(key)) {
          LOG.warn(
              "Event listener {} threw in {}({}); the stream goes on [url={}]",
              listener,
              method,
              argument,
              url,
              e);
        } else {
          LOG.debug(
              "Event listener {} threw in {}({}) again [url={}]",
              listener,
              method,
              argument,
              url,
              e);
        }
      }
    }
  }

  /** Callbacks of one socket; a socket replaced by a reconnect or closed by us is ignored. */
  private final class SocketListener extends WebSocketListener {
    private final int gen;

    SocketListener(int gen) {
      this.gen = gen;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      LOG.debug("Event socket open, waiting for the first status [url={}]", url);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      if (!isCurrent(gen)) {
        return;
      }
      Optional<ComfyEvent> decoded = ComfyEventDecoder.decode(text);
      if (decoded.isEmpty()) {
        return;
      }
      ComfyEvent event = decoded.get();
      if (event instanceof ComfyEvent.Status status && status.sid().isPresent()) {
        onStatusWithSid(gen);
      }
      deliver(event);
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
      if (LOG.isTraceEnabled()) {
        LOG.trace("Skipped a {} [url={}]", ComfyEventDecoder.describeBinary(bytes), url);
      }
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      webSocket.close(NORMAL_CLOSURE, null);
      onDrop(
          gen,
          new RemoteUnavailableException(
              "ComfyUI closed the event socket "
                  + url
                  + " (code "
                  + code
                  + ", reason '"
                  + reason
                  + "'); reconnecting",
              null));
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      onDrop(
          gen,
          new RemoteUnavailableException(
              "The event socket " + url + " closed (code " + code + "); reconnecting", null));
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      String status = response == null ? "" : " (HTTP " + response.code() + ")";
      if (response != null && response.code() < 500 && !warnedRefused && isCurrent(gen)) {
        warnedRefused = true;
        LOG.warn(
            "ComfyUI refused the WebSocket upgrade of {} with HTTP {}; events are unavailable until it accepts,"
                + " and prompts are tracked by polling. Check the base URL and that any proxy forwards WebSockets.",
            url,
            response.code());
      }
      onDrop(
          gen,
          new RemoteUnavailableException(
              "The event socket " + url + " failed" + status + ": " + t + "; reconnecting", t));
    }
  }
}
