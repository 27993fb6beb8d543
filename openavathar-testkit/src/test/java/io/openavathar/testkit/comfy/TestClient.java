package io.openavathar.testkit.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/** A small OkHttp client of the simulator for tests. */
final class TestClient {

  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  /** A status and body. */
  record Result(int status, String body, Map<String, List<String>> headers) {
    JsonNode json() {
      try {
        return TestWorkflows.JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String header(String name) {
      List<String> values = headers.get(name.toLowerCase());
      return values == null ? null : values.get(0);
    }
  }

  final OkHttpClient http = new OkHttpClient.Builder().readTimeout(TIMEOUT).build();
  private final String base;

  TestClient(ComfyUiSimulator simulator) {
    this.base = simulator.baseUrl().toString();
  }

  Result get(String path) {
    return call(new Request.Builder().url(base + path).build());
  }

  Result get(String path, String rangeHeader) {
    return call(new Request.Builder().url(base + path).header("Range", rangeHeader).build());
  }

  Result post(String path, String body) {
    return call(
        new Request.Builder().url(base + path).post(RequestBody.create(body, JSON_TYPE)).build());
  }

  Result post(String path, JsonNode body) {
    return post(path, body.toString());
  }

  Result upload(String filename, byte[] content, String... fields) {
    MultipartBody.Builder body =
        new MultipartBody.Builder()
            .setType(MultipartBody.FORM)
            .addFormDataPart(
                "image",
                filename,
                RequestBody.create(content, MediaType.get("application/octet-stream")));
    for (int i = 0; i + 1 < fields.length; i += 2) {
      body.addFormDataPart(fields[i], fields[i + 1]);
    }
    return call(new Request.Builder().url(base + "/upload/image").post(body.build()).build());
  }

  /** Uploads the inputs and submits the InfiniteTalk graph for {@code clientId} (null for none). */
  String submitInfiniteTalk(String clientId, double audioSeconds) {
    String image = upload("face.png", TestWorkflows.image(1)).json().get("name").asText();
    String audio = upload("voice.wav", TestWorkflows.wav(audioSeconds)).json().get("name").asText();
    return submit(clientId, TestWorkflows.infiniteTalk(image, audio));
  }

  String submit(String clientId, ObjectNode graph) {
    ObjectNode body = TestWorkflows.JSON.createObjectNode();
    body.set("prompt", graph);
    if (clientId != null) {
      body.put("client_id", clientId);
    }
    Result result = post("/prompt", body);
    if (result.status() != 200) {
      throw new AssertionError("POST /prompt failed: " + result);
    }
    return result.json().get("prompt_id").asText();
  }

  /** Polls history until the entry appears (a test fallback when no socket is used). */
  JsonNode awaitHistory(String promptId) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode history = get("/history/" + promptId).json();
      if (history.has(promptId)) {
        return history.get(promptId);
      }
      TimeUnit.MILLISECONDS.sleep(5); // polling interval of a fallback poller, not synchronisation
    }
    throw new AssertionError("No history for " + promptId + " within " + TIMEOUT);
  }

  Result call(Request request) {
    try (Response response = http.newCall(request).execute()) {
      return new Result(response.code(), response.body().string(), response.headers().toMultimap());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Socket connect(String clientId) throws InterruptedException {
    String url =
        base.replaceFirst("^http", "ws")
            + "/ws"
            + (clientId == null ? "" : "?clientId=" + clientId);
    Socket socket = new Socket();
    socket.webSocket = http.newWebSocket(new Request.Builder().url(url).build(), socket);
    socket.awaitType("status");
    return socket;
  }

  /** Records every frame a socket receives. */
  static final class Socket extends WebSocketListener {
    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<ByteString> binary = new LinkedBlockingQueue<>();
    final List<JsonNode> seen = new ArrayList<>();
    final CountDownLatch closed = new CountDownLatch(1);
    WebSocket webSocket;

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      try {
        messages.add(TestWorkflows.JSON.readTree(text));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
      binary.add(bytes);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      closed.countDown();
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      closed.countDown();
    }

    JsonNode next() throws InterruptedException {
      JsonNode message = messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (message == null) {
        throw new AssertionError("No WebSocket message within " + TIMEOUT + "; seen " + seen);
      }
      seen.add(message);
      return message;
    }

    /** Takes messages until one matches; returns it. */
    JsonNode await(Predicate<JsonNode> predicate) throws InterruptedException {
      while (true) {
        JsonNode message = next();
        if (predicate.test(message)) {
          return message;
        }
      }
    }

    JsonNode awaitType(String type) throws InterruptedException {
      return await(m -> m.get("type").asText().equals(type));
    }

    /**
     * Takes messages until {@code executing{node:null}} of the prompt; returns all taken, in order.
     */
    List<JsonNode> untilDone(String promptId) throws InterruptedException {
      int start = seen.size();
      await(m -> isDone(m, promptId));
      return List.copyOf(seen.subList(start, seen.size()));
    }

    static boolean isDone(JsonNode m, String promptId) {
      return m.get("type").asText().equals("executing")
          && m.get("data").get("node").isNull()
          && promptId.equals(m.get("data").path("prompt_id").asText());
    }

    void close() {
      webSocket.close(1000, "test done");
    }
  }
}
