package io.openavathar.comfy;

import static io.openavathar.comfy.TestClients.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.internal.Json;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connection breaks after ComfyUI received a prompt: the client must find it, not run it twice.
 */
class SubmitAfterDropTest {
  private static final String ID = "0b7a3f7e-2a0e-4f4e-9d43-8f1f6c1e2a10";

  private final MockWebServer server = new MockWebServer();
  private final AtomicInteger posts = new AtomicInteger();
  private final AtomicBoolean queued = new AtomicBoolean();
  private volatile boolean dropFirstPost;
  private volatile boolean queueWhenDropped;
  private ComfyUiClient client;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String path = request.getUrl().encodedPath();
            if (path.endsWith("/prompt")) {
              int n = posts.incrementAndGet();
              if (n == 1 && dropFirstPost) {
                queued.set(queueWhenDropped);
                // The request was read in full; the connection dies before any answer.
                return new MockResponse.Builder()
                    .onResponseStart(new SocketEffect.CloseSocket())
                    .build();
              }
              queued.set(true);
              return json("{\"prompt_id\": \"" + ID + "\", \"number\": 8, \"node_errors\": {}}");
            } else if (path.endsWith("/queue")) {
              return json(
                  queued.get()
                      ? "{\"queue_running\": [], \"queue_pending\": [[5, \""
                          + ID
                          + "\", {}, {}, [\"9\"]]]}"
                      : "{\"queue_running\": [], \"queue_pending\": []}");
            } else if (path.contains("/history/")) {
              return json("{}");
            }
            return new MockResponse.Builder().code(404).build();
          }
        });
    server.start();
    client = TestClients.fast(server.url("/").toString().replaceAll("/$", ""), 3);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void submit_whenConnectionDropsAfterServerReadThePrompt_doesNotSubmitTwice() throws Exception {
    dropFirstPost = true;
    queueWhenDropped = true;

    PromptAccepted accepted = await(client.submit(workflow(), "c", ID));

    assertThat(accepted).isEqualTo(new PromptAccepted(ID, 5));
    assertThat(posts).hasValue(1);
  }

  @Test
  void submit_whenReusedConnectionDropsAfterServerReadThePrompt_okHttpDoesNotReplayIt()
      throws Exception {
    await(
        client
            .queue()); // leaves a pooled keep-alive connection, which OkHttp would otherwise retry
    // on
    dropFirstPost = true;
    queueWhenDropped = true;

    PromptAccepted accepted = await(client.submit(workflow(), "c", ID));

    assertThat(accepted).isEqualTo(new PromptAccepted(ID, 5));
    assertThat(posts).hasValue(1);
  }

  @Test
  void submit_whenConnectionDropsAndServerNeverQueuedIt_submitsAgainOnce() throws Exception {
    dropFirstPost = true;
    queueWhenDropped = false;

    PromptAccepted accepted = await(client.submit(workflow(), "c", ID));

    assertThat(accepted).isEqualTo(new PromptAccepted(ID, 8));
    assertThat(posts).hasValue(2);
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder()
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  private static ObjectNode workflow() throws Exception {
    return (ObjectNode)
        Json.mapper().readTree("{\"9\": {\"class_type\": \"SaveImage\", \"inputs\": {}}}");
  }
}
