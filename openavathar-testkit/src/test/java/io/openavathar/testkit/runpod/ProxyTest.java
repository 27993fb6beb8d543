package io.openavathar.testkit.runpod;

import static io.openavathar.testkit.runpod.RunPodClient.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.junit5.RunPodSimulatorExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProxyTest {

  @RegisterExtension
  final RunPodSimulatorExtension extension =
      new RunPodSimulatorExtension(
          builder ->
              builder
                  .apiKey(KEY)
                  .manualTime()
                  .provisioningDelay(Duration.ofSeconds(5))
                  .startingDelay(Duration.ofSeconds(10))
                  .comfyReadyDelay(Duration.ofSeconds(20))
                  .comfyStepDelay(Duration.ZERO));

  private final OkHttpClient http =
      new OkHttpClient.Builder().readTimeout(RunPodClient.TIMEOUT).build();
  private RunPodSimulator runpod;
  private RunPodClient client;
  private WebSocket socket;

  @BeforeEach
  void setUp() {
    runpod = extension.simulator();
    client = new RunPodClient(runpod);
  }

  @AfterEach
  void closeSocket() {
    if (socket != null) {
      socket.cancel();
    }
  }

  @Test
  void podComfyUi_reportsAndRunsAtTheSpeedOfThePodsGpuType() {
    ObjectNode body = RunPodClient.podBody();
    ((ObjectNode) body.get("gpu")).put("id", "NVIDIA RTX A6000");
    String id = client.create(body).get("id").asText();
    runpod.advance(Duration.ofSeconds(35));
    String base = runpod.proxyUrlPattern().replace("{podId}", id).replace("{port}", "8188");

    RunPodClient.Result stats = get(base + "/system_stats");

    assertThat(stats.json().get("devices").get(0).get("name").asText())
        .isEqualTo("cuda:0 NVIDIA RTX A6000 : cudaMallocAsync");
    SimulatedGpuType a6000 =
        SimulatedGpuType.defaults().stream()
            .filter(t -> t.id().equals("NVIDIA RTX A6000"))
            .findFirst()
            .orElseThrow();
    assertThat(a6000.secondsPerFrame()).isEqualTo(2.0);
    assertThat(runpod.comfyOf(id).orElseThrow().gpu()).isEqualTo(a6000.simulatedGpu());
    assertThat(a6000.simulatedGpu().nominalSeconds(100)).isEqualTo(220.0);
  }

  @Test
  void proxy_answers502UntilComfyIsReady_thenServesSystemStats() {
    String id = client.createPod();
    String base = runpod.proxyUrlPattern().replace("{podId}", id).replace("{port}", "8188");

    assertThat(get(base + "/system_stats").status()).isEqualTo(502);
    runpod.advance(Duration.ofSeconds(15)); // RUNNING, runtime up, ComfyUI still loading
    assertThat(client.pod(id).get("status").asText()).isEqualTo("RUNNING");
    assertThat(get(base + "/system_stats").status()).isEqualTo(502);
    runpod.advance(Duration.ofSeconds(20));

    RunPodClient.Result stats = get(base + "/system_stats");
    assertThat(stats.status()).isEqualTo(200);
    assertThat(stats.json().get("system").get("comfyui_version").asText()).contains("simulated");
    // A proxied request is recorded once ComfyUI's handler returns, which may be just after the
    // client has
    // its answer: wait (bounded) for the record rather than race it.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (runpod.proxyRequests().size() < 3 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(runpod.proxyRequests())
        .extracting(RecordedApiRequest::status)
        .containsExactly(502, 502, 200);
    assertThat(runpod.proxyRequests().get(0).podId()).contains(id);
    assertThat(runpod.comfyOf(id).orElseThrow().requests())
        .hasSize(1); // the 502s never reached ComfyUI
  }

  @Test
  void proxy_runsAFullPromptOverHttpAndWebSocket() throws Exception {
    String id = readyPod();
    String base = runpod.proxyUrl(id, 8188).toString();
    Socket events = new Socket();
    socket =
        http.newWebSocket(
            new Request.Builder()
                .url(base.replaceFirst("^http", "ws") + "/ws?clientId=client-1")
                .build(),
            events);
    events.await(m -> m.get("type").asText().equals("status"));

    String image = upload(base, "face.png").json().get("name").asText();
    ObjectNode prompt = RunPodClient.JSON.createObjectNode();
    prompt.put("client_id", "client-1");
    ObjectNode graph = prompt.putObject("prompt");
    ObjectNode load = graph.putObject("1");
    load.put("class_type", "LoadImage");
    load.putObject("inputs").put("image", image);
    ObjectNode save = graph.putObject("2");
    save.put("class_type", "SaveImage");
    ObjectNode saveInputs = save.putObject("inputs");
    saveInputs.put("filename_prefix", "proxied");
    saveInputs.putArray("images").add("1").add(0);
    RunPodClient.Result submitted = post(base + "/prompt", prompt.toString());
    assertThat(submitted.status()).isEqualTo(200);
    String promptId = submitted.json().get("prompt_id").asText();

    events.await(
        m ->
            m.get("type").asText().equals("executing")
                && m.get("data").get("node").isNull()
                && promptId.equals(m.get("data").path("prompt_id").asText()));
    JsonNode output =
        get(base + "/history/" + promptId)
            .json()
            .get(promptId)
            .get("outputs")
            .get("2")
            .get("images")
            .get(0);
    RunPodClient.Result file =
        get(
            base
                + "/view?type=output&filename="
                + output.get("filename").asText()
                + "&subfolder="
                + output.get("subfolder").asText());

    assertThat(file.status()).isEqualTo(200);
    assertThat(output.get("filename").asText()).startsWith("proxied");
    ComfyUiSimulator comfy = runpod.comfyOf(id).orElseThrow();
    assertThat(comfy.promptIdsSeen()).containsExactly(promptId);
    assertThat(comfy.baseUrl().toString()).isEqualTo(base);
  }

  @Test
  void killComfy_makesTheProxyAnswer502_untilARestart() {
    String id = readyPod();
    String base = runpod.proxyUrl(id, 8188).toString();

    runpod.killComfy(id);

    assertThat(get(base + "/system_stats").status()).isEqualTo(502);
    assertThat(client.pod(id).get("status").asText()).isEqualTo("RUNNING");
    assertThat(runpod.comfyOf(id)).isEmpty();
    client.action(id, "restart");
    runpod.advance(Duration.ofSeconds(30));
    assertThat(get(base + "/system_stats").status()).isEqualTo(200);
  }

  @Test
  void stop_takesComfyDown_andStartBringsItBackWithoutHistory() {
    String id = readyPod();
    String base = runpod.proxyUrl(id, 8188).toString();
    runpod.comfyOf(id).orElseThrow();

    client.action(id, "stop");
    assertThat(get(base + "/system_stats").status()).isEqualTo(502);
    client.action(id, "start");
    runpod.advance(Duration.ofSeconds(30));

    assertThat(get(base + "/history").json().size()).isZero();
    assertThat(runpod.readyAt(id)).contains(runpod.now());
  }

  @Test
  void proxy_forAnUnknownPodOrAnUndeclaredPort_doesNotReachComfy() {
    String id = readyPod();

    assertThat(get(runpod.proxyUrl("nosuchpod", 8188) + "/system_stats").status()).isEqualTo(404);
    assertThat(get(runpod.proxyUrl(id, 8888) + "/").status()).isEqualTo(502);
  }

  @Test
  void podWithoutPort8188_neverServesComfyThroughTheProxy() {
    ObjectNode body = RunPodClient.podBody();
    body.putArray("ports").add("22/tcp");
    String id = client.create(body).get("id").asText();
    runpod.advance(Duration.ofMinutes(1));

    assertThat(get(runpod.proxyUrl(id, 8188) + "/system_stats").status()).isEqualTo(502);
  }

  private String readyPod() {
    String id = client.createPod();
    runpod.advance(Duration.ofMinutes(1));
    return id;
  }

  private RunPodClient.Result get(String url) {
    return client.call(new Request.Builder().url(url).build());
  }

  private RunPodClient.Result post(String url, String json) {
    return client.call(
        new Request.Builder()
            .url(url)
            .post(RequestBody.create(json, MediaType.get("application/json")))
            .build());
  }

  private RunPodClient.Result upload(String base, String name) {
    byte[] png = new byte[1024];
    Arrays.fill(png, (byte) 7);
    MultipartBody body =
        new MultipartBody.Builder()
            .setType(MultipartBody.FORM)
            .addFormDataPart("image", name, RequestBody.create(png, MediaType.get("image/png")))
            .build();
    return client.call(new Request.Builder().url(base + "/upload/image").post(body).build());
  }

  /** Collects WebSocket text frames. */
  private static final class Socket extends WebSocketListener {
    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      try {
        messages.add(RunPodClient.JSON.readTree(text));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      messages.add(
          RunPodClient.JSON.createObjectNode().put("type", "failure").put("error", t.toString()));
    }

    JsonNode await(Predicate<JsonNode> predicate) throws InterruptedException {
      while (true) {
        JsonNode message = messages.poll(RunPodClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
          throw new AssertionError("No matching WebSocket message within " + RunPodClient.TIMEOUT);
        }
        if (message.get("type").asText().equals("failure")) {
          throw new AssertionError("WebSocket failed: " + message);
        }
        if (predicate.test(message)) {
          return message;
        }
      }
    }
  }
}
