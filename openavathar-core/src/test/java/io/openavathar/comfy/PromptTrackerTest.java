package io.openavathar.comfy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.WebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tracker on a real {@link ComfyEventStream} against a scripted WebSocket server. */
class PromptTrackerTest {
  private static final String ID = "5f0c7e0e-3c4b-4a6e-9d57-1b8f6c1e2a10";
  private static final HistoryEntry DONE =
      new HistoryEntry(ID, HistoryEntry.Outcome.SUCCESS, Map.of(), Map.of(), null);

  private final MockWebServer server = new MockWebServer();
  private final FakeComfySockets sockets = new FakeComfySockets();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final OkHttpClient http = new OkHttpClient();
  private final BlockingQueue<Object> connection = new LinkedBlockingQueue<>();
  private ComfyEventStream stream;
  private volatile Optional<HistoryEntry> history = Optional.empty();

  @BeforeEach
  void start() throws Exception {
    sockets.install(server);
    server.start();
    stream =
        ComfyEventStream.open(
            server.url("/").uri(),
            http,
            scheduler,
            "java-7d1c",
            new ComfyEventListener() {
              @Override
              public void onConnected() {
                connection.add("connected");
              }

              @Override
              public void onDisconnected(Throwable cause) {
                connection.add("disconnected");
              }
            });
  }

  @AfterEach
  void stop() {
    stream.close();
    server.close();
    http.dispatcher().executorService().shutdown();
  }

  private CompletableFuture<HistoryEntry> track(PromptTracker.Listener listener) {
    PromptStateSource source =
        new PromptStateSource() {
          @Override
          public CompletableFuture<Optional<HistoryEntry>> history(String promptId) {
            return CompletableFuture.completedFuture(history);
          }

          @Override
          public CompletableFuture<QueueSnapshot> queue() {
            return CompletableFuture.completedFuture(new QueueSnapshot(List.of(ID), List.of()));
          }
        };
    return TrackedPrompt.start(
        source,
        EventSubscription.of(stream),
        scheduler,
        scheduler.clock(),
        "http://comfy",
        ID,
        listener,
        PromptTracker.Options.DEFAULTS);
  }

  @Test
  void track_completesOnExecutingNullFromTheServer() throws Exception {
    WebSocket socket = sockets.next();
    socket.send(FakeComfySockets.HELLO);
    assertThat(connection.poll(10, TimeUnit.SECONDS)).isEqualTo("connected");
    BlockingQueue<ComfyEvent> events = new LinkedBlockingQueue<>();
    CompletableFuture<HistoryEntry> result =
        track(
            new PromptTracker.Listener() {
              @Override
              public void onEvent(ComfyEvent event) {
                events.add(event);
              }
            });

    socket.send(
        "{\"type\":\"execution_start\",\"data\":{\"prompt_id\":\"" + ID + "\",\"timestamp\":1}}");
    socket.send(
        "{\"type\":\"progress\",\"data\":{\"value\":1,\"max\":24,\"prompt_id\":\""
            + ID
            + "\",\"node\":\"128\"}}");
    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo(new ComfyEvent.ExecutionStart(ID));
    assertThat(events.poll(10, TimeUnit.SECONDS))
        .isEqualTo(new ComfyEvent.Progress(Optional.of(ID), "128", 1, 24));
    history = Optional.of(DONE);
    socket.send("{\"type\":\"executing\",\"data\":{\"node\":null,\"prompt_id\":\"" + ID + "\"}}");

    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(DONE);
  }

  @Test
  void track_afterADropAndReconnect_pollsAndCompletes() throws Exception {
    sockets.next().send(FakeComfySockets.HELLO);
    assertThat(connection.poll(10, TimeUnit.SECONDS)).isEqualTo("connected");
    CompletableFuture<HistoryEntry> result = track(PromptTracker.Listener.NONE);

    sockets.dropConnection();
    assertThat(connection.poll(10, TimeUnit.SECONDS)).isEqualTo("disconnected");
    history =
        Optional.of(
            DONE); // the prompt ended while the socket was down: its executing{node:null} is lost
    scheduler.advance(
        ComfyEventStream.INITIAL_BACKOFF); // reconnects; the tracker polls once it is connected
    sockets.next().send(FakeComfySockets.HELLO);

    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(DONE);
  }
}
