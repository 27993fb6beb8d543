package io.openavathar.testkit.comfy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class ServerFaultsTest {

  @Test
  void pathPrefix_servesEveryRouteBelowThePrefixOnly() throws Exception {
    try (ComfyUiSimulator simulator = TestWorkflows.builder().pathPrefix("/pods/abc/").start()) {
      TestClient client = new TestClient(simulator);

      assertThat(simulator.baseUrl().toString()).endsWith(":" + simulator.port() + "/pods/abc");
      assertThat(client.get("/system_stats").status()).isEqualTo(200);
      assertThat(client.get("/api/system_stats").status()).isEqualTo(200);
      TestClient.Socket socket = client.connect("owner");
      String promptId = client.submitInfiniteTalk("owner", 1.0);
      socket.untilDone(promptId);
      assertThat(
              new TestClient(simulator)
                  .call(
                      new Request.Builder()
                          .url("http://127.0.0.1:" + simulator.port() + "/system_stats")
                          .build())
                  .status())
          .isEqualTo(404);
      assertThat(simulator.requests())
          .anySatisfy(
              r -> {
                assertThat(r.path()).isEqualTo("/pods/abc/api/system_stats");
                assertThat(r.route()).isEqualTo("/system_stats");
              });
    }
  }

  @Test
  void failNextRequests_failsThatManyMatchingRequestsThenRecovers() {
    try (ComfyUiSimulator simulator = TestWorkflows.builder().start()) {
      TestClient client = new TestClient(simulator);
      simulator.failNextRequests("POST", "/api/upload/image", 503, 2);

      int first = client.upload("a.png", TestWorkflows.image(1)).status();
      int second = client.upload("a.png", TestWorkflows.image(1)).status();
      int third = client.upload("a.png", TestWorkflows.image(1)).status();

      assertThat(first).isEqualTo(503);
      assertThat(second).isEqualTo(503);
      assertThat(third).isEqualTo(200);
      assertThat(simulator.uploadCount()).isEqualTo(1);
      assertThat(simulator.requests()).hasSize(3);
    }
  }

  @Test
  void delayResponses_holdsAnswersUntilSwitchedOff() throws Exception {
    try (ComfyUiSimulator simulator = TestWorkflows.builder().start()) {
      OkHttpClient impatient =
          new OkHttpClient.Builder().readTimeout(Duration.ofMillis(200)).build();
      Request stats = new Request.Builder().url(simulator.baseUrl() + "/system_stats").build();
      simulator.delayResponses(Duration.ofSeconds(3));

      assertThatThrownBy(() -> impatient.newCall(stats).execute().close())
          .isInstanceOf(InterruptedIOException.class);
      simulator.delayResponses(Duration.ZERO);
      try (Response response = impatient.newCall(stats).execute()) {
        assertThat(response.code()).isEqualTo(200);
      }
    }
  }

  @Test
  void restart_losesQueueAndHistoryAndDropsSockets() throws Exception {
    try (ComfyUiSimulator simulator = TestWorkflows.builder().start()) {
      TestClient client = new TestClient(simulator);
      TestClient.Socket socket = client.connect("owner");
      String done = client.submitInfiniteTalk("owner", 1.0);
      socket.untilDone(done);
      simulator.pauseExecution();
      client.submitInfiniteTalk("owner", 1.0);

      simulator.restart();

      assertThat(socket.closed.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(client.get("/history/" + done).body()).isEqualTo("{}");
      assertThat(client.get("/queue").json().get("queue_pending")).isEmpty();
      simulator.resumeExecution();
      TestClient.Socket again = client.connect("owner");
      String after = client.submitInfiniteTalk("owner", 1.0);
      again.untilDone(after);
      assertThat(client.get("/history/" + after).json().get(after).get("prompt").get(0).asInt())
          .isZero();
    }
  }

  @Test
  void systemStatsAndFeatures_lookLikeARealServer() {
    try (ComfyUiSimulator simulator = TestWorkflows.builder().start()) {
      TestClient client = new TestClient(simulator);

      var stats = client.get("/system_stats").json();
      var features = client.get("/features").json();
      var known = client.get("/object_info/LoadAudio").json();
      var unknown = client.get("/object_info/NoSuchNode");

      assertThat(stats.get("system").get("comfyui_version").asText()).isEqualTo("0.3.64-simulated");
      assertThat(stats.get("devices").get(0).get("name").asText())
          .startsWith("cuda:0 Simulated GPU");
      assertThat(features.get("max_upload_size").isFloatingPointNumber()).isTrue();
      assertThat(known.get("LoadAudio").get("output_node").asBoolean()).isFalse();
      assertThat(unknown.status()).isEqualTo(200);
      assertThat(unknown.body()).isEqualTo("{}");
      assertThat(client.get("/models/diffusion_models").json()).isNotEmpty();
      assertThat(client.get("/models/nope").status()).isEqualTo(404);
    }
  }
}
