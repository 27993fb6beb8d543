package io.openavathar.comfy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.WebSocket;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ComfyEventStreamTest {
  private static final String HELLO = FakeComfySockets.HELLO;

  private final MockWebServer server = new MockWebServer();
  private final FakeComfySockets sockets = new FakeComfySockets();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final OkHttpClient http = new OkHttpClient();
  private final Recorder recorder = new Recorder();
  private ComfyEventStream stream;

  @BeforeEach
  void startServer() throws Exception {
    sockets.install(server);
    server.start();
  }

  @AfterEach
  void stop() {
    if (stream != null) {
      stream.close();
    }
    server.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private ComfyEventStream open(String path) {
    URI base = server.url(path).uri();
    stream = ComfyEventStream.open(base, http, scheduler, "java-7d1c", recorder);
    return stream;
  }

  private WebSocket connected() throws InterruptedException {
    WebSocket socket = sockets.next();
    socket.send(HELLO);
    assertThat(recorder.next()).isEqualTo("connected");
    assertThat(recorder.next()).isEqualTo(new ComfyEvent.Status(0, Optional.of("java-7d1c")));
    return socket;
  }

  @Test
  void webSocketUrl_keepsPrefixAndSwitchesScheme() {
    assertThat(
            ComfyEventStream.wireForm(
                ComfyEventStream.webSocketUrl(URI.create("http://127.0.0.1:8188"), "a b")))
        .isEqualTo("ws://127.0.0.1:8188/ws?clientId=a%20b");
    assertThat(
            ComfyEventStream.wireForm(
                ComfyEventStream.webSocketUrl(URI.create("https://host/some/prefix/"), "c1")))
        .isEqualTo("wss://host/some/prefix/ws?clientId=c1");
    assertThat(
            ComfyEventStream.wireForm(
                ComfyEventStream.webSocketUrl(URI.create("https://u:secret@host/p"), "c1")))
        .isEqualTo("wss://host/p/ws?clientId=c1");
  }

  @Test
  void open_connectsBelowThePrefixWithTheClientId() throws Exception {
    open("/some/prefix/");

    sockets.next();
    RecordedRequest request = sockets.requests.poll(10, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/some/prefix/ws");
    assertThat(request.getUrl().queryParameter("clientId")).isEqualTo("java-7d1c");
    assertThat(stream.clientId()).isEqualTo("java-7d1c");
  }

  @Test
  void open_derivesAClientThatPingsEvery20Seconds() {
    open("/");

    assertThat(stream.socketClient().pingIntervalMillis()).isEqualTo(20_000);
    assertThat(http.pingIntervalMillis()).isZero();
  }

  @Test
  void isConnected_onlyAfterTheFirstStatusWithSid() throws Exception {
    open("/");
    WebSocket socket = sockets.next();
    socket.send(
        "{\"type\":\"status\",\"data\":{\"status\":{\"exec_info\":{\"queue_remaining\":2}}}}");
    assertThat(recorder.next()).isEqualTo(new ComfyEvent.Status(2, Optional.empty()));
    assertThat(stream.isConnected()).isFalse();

    socket.send(HELLO);

    assertThat(recorder.next()).isEqualTo("connected");
    assertThat(recorder.next()).isEqualTo(new ComfyEvent.Status(0, Optional.of("java-7d1c")));
    assertThat(stream.isConnected()).isTrue();
  }

  @Test
  void events_areDeliveredInOrder_skippingBinaryAndBrokenFrames() throws Exception {
    open("/");
    WebSocket socket = connected();

    socket.send(ByteString.EMPTY);
    socket.send(ByteString.of((byte) 0, (byte) 1));
    socket.send(
        ByteString.of(
            (byte) 0, (byte) 0, (byte) 0, (byte) 1, (byte) 0, (byte) 0, (byte) 0, (byte) 1));
    socket.send("not json at all");
    socket.send("{\"type\":\"execution_start\",\"data\":{\"prompt_id\":\"p1\"}}");
    socket.send(
        "{\"type\":\"VHS_latentpreview\",\"data\":{\"length\":81,\"rate\":16,\"id\":\"128\"}}");
    socket.send(
        "{\"type\":\"progress\",\"data\":{\"value\":3,\"max\":24,\"prompt_id\":\"p1\",\"node\":\"128\"}}");

    assertThat(recorder.next()).isEqualTo(new ComfyEvent.ExecutionStart("p1"));
    assertThat(recorder.next()).isInstanceOf(ComfyEvent.Unknown.class);
    assertThat(recorder.next()).isEqualTo(new ComfyEvent.Progress(Optional.of("p1"), "128", 3, 24));
    assertThat(stream.isConnected()).isTrue();
  }

  @Test
  void serverClose_tellsListenersAndReconnectsWithTheSameClientId() throws Exception {
    open("/prefix");
    WebSocket first = connected();

    first.close(1001, "server restart");

    assertThat(recorder.next()).isEqualTo("disconnected");
    assertThat(stream.isConnected()).isFalse();
    scheduler.advance(ComfyEventStream.INITIAL_BACKOFF);
    connected();
    assertThat(stream.isConnected()).isTrue();
    List<String> clientIds = new ArrayList<>();
    for (RecordedRequest request : sockets.requests) {
      clientIds.add(request.getUrl().queryParameter("clientId"));
    }
    assertThat(clientIds).containsExactly("java-7d1c", "java-7d1c");
  }

  @Test
  void socketFailure_reconnectsAndClosesTheOldSocket() throws Exception {
    open("/");
    connected();

    sockets.dropConnection();

    assertThat(recorder.next()).isEqualTo("disconnected");
    scheduler.advance(ComfyEventStream.INITIAL_BACKOFF);
    connected();
    assertThat(sockets.requests).hasSize(2);
  }

  @Test
  void failedAttempts_backOffExponentiallyWithJitter_andResetAfterAConnect() throws Exception {
    sockets.refuseNext.set(6);
    open("/");
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Duration delay = awaitReconnectScheduled();
      delays.add(delay);
      scheduler.advance(delay);
    }

    assertThat(delays.get(0)).isBetween(Duration.ofMillis(187), Duration.ofMillis(250));
    assertThat(delays.get(1)).isBetween(Duration.ofMillis(375), Duration.ofMillis(500));
    assertThat(delays.get(2)).isBetween(Duration.ofMillis(750), Duration.ofMillis(1000));
    assertThat(delays.get(5)).isBetween(Duration.ofMillis(6000), Duration.ofMillis(8000));
    connected();
    sockets.dropConnection();
    assertThat(recorder.next()).isEqualTo("disconnected");
    assertThat(awaitReconnectScheduled()).isBetween(Duration.ofMillis(187), Duration.ofMillis(250));
  }

  @Test
  void failedAttempts_neverWaitLongerThanTenSeconds() throws Exception {
    sockets.refuseNext.set(9);
    open("/");
    Duration delay = Duration.ZERO;
    for (int i = 0; i < 9; i++) {
      delay = awaitReconnectScheduled();
      scheduler.advance(delay);
    }

    assertThat(delay).isBetween(Duration.ofMillis(7500), Duration.ofSeconds(10));
    connected();
  }

  @Test
  void throwingListener_isSkipped_othersStillHearEveryEvent() throws Exception {
    open("/");
    AtomicInteger calls = new AtomicInteger();
    stream.addListener(
        new ComfyEventListener() {
          @Override
          public void onEvent(ComfyEvent event) {
            calls.incrementAndGet();
            throw new IllegalStateException("listener bug");
          }
        });
    stream.addListener(recorder.second);
    WebSocket socket = connected();

    socket.send("{\"type\":\"execution_start\",\"data\":{\"prompt_id\":\"p1\"}}");
    socket.send("{\"type\":\"execution_success\",\"data\":{\"prompt_id\":\"p1\"}}");

    assertThat(recorder.next()).isEqualTo(new ComfyEvent.ExecutionStart("p1"));
    assertThat(recorder.next()).isEqualTo(new ComfyEvent.ExecutionSuccess("p1"));
    assertThat(recorder.secondEvents.poll(10, TimeUnit.SECONDS))
        .isInstanceOf(ComfyEvent.Status.class);
    assertThat(recorder.secondEvents.poll(10, TimeUnit.SECONDS))
        .isEqualTo(new ComfyEvent.ExecutionStart("p1"));
    assertThat(recorder.secondEvents.poll(10, TimeUnit.SECONDS))
        .isEqualTo(new ComfyEvent.ExecutionSuccess("p1"));
    assertThat(calls).hasValue(3);
  }

  @Test
  void removeListener_stopsDelivery() throws Exception {
    open("/");
    stream.addListener(recorder.second);
    WebSocket socket = connected();
    assertThat(recorder.secondEvents.poll(10, TimeUnit.SECONDS))
        .isInstanceOf(ComfyEvent.Status.class);

    stream.removeListener(recorder.second);
    socket.send("{\"type\":\"execution_start\",\"data\":{\"prompt_id\":\"p1\"}}");

    assertThat(recorder.next()).isEqualTo(new ComfyEvent.ExecutionStart("p1"));
    assertThat(recorder.secondEvents).isEmpty();
  }

  @Test
  void close_sendsNormalClosure_andIsIdempotent() throws Exception {
    open("/");
    connected();

    stream.close();
    stream.close();

    assertThat(sockets.closeCodes.poll(10, TimeUnit.SECONDS)).isEqualTo(1000);
    assertThat(stream.isConnected()).isFalse();
  }

  @Test
  void close_duringBackoff_cancelsTheReconnect() throws Exception {
    open("/");
    connected();
    sockets.dropConnection();
    assertThat(recorder.next()).isEqualTo("disconnected");
    awaitReconnectScheduled();

    stream.close();

    assertThat(scheduler.pending()).isZero();
    scheduler.advance(Duration.ofMinutes(1));
    assertThat(sockets.requests).hasSize(1);
  }

  /** Waits until the stream, reacting on an OkHttp thread, has scheduled its next attempt. */
  private Duration awaitReconnectScheduled() throws InterruptedException {
    return scheduler.awaitNextDelay(Duration.ofSeconds(10));
  }

  /** Records what the stream tells its first listener, in order. */
  private final class Recorder implements ComfyEventListener {
    final BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
    final BlockingQueue<ComfyEvent> secondEvents = new LinkedBlockingQueue<>();
    final ComfyEventListener second =
        new ComfyEventListener() {
          @Override
          public void onEvent(ComfyEvent event) {
            secondEvents.add(event);
          }
        };

    @Override
    public void onConnected() {
      seen.add("connected");
    }

    @Override
    public void onEvent(ComfyEvent event) {
      seen.add(event);
    }

    @Override
    public void onDisconnected(Throwable cause) {
      seen.add("disconnected");
    }

    Object next() throws InterruptedException {
      Object next = seen.poll(10, TimeUnit.SECONDS);
      assertThat(next).as("the listener heard something").isNotNull();
      return next;
    }
  }
}
