package io.openavathar.testkit.runpod;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

class RealTimeTest {

  @Test
  void defaultDelays_bringAPodToAnsweringComfyUiOnTheWallClock() throws Exception {
    try (RunPodSimulator runpod =
        RunPodSimulator.builder()
            .provisioningDelay(Duration.ofMillis(50))
            .startingDelay(Duration.ofMillis(50))
            .comfyReadyDelay(Duration.ofMillis(100))
            .start()) {
      RunPodClient client = new RunPodClient(runpod);
      Instant created = Instant.now();
      String id = client.createPod();
      String stats = runpod.proxyUrl(id, 8188) + "/system_stats";

      int status = 0;
      long deadline = System.nanoTime() + RunPodClient.TIMEOUT.toNanos();
      while (status != 200 && System.nanoTime() < deadline) {
        status = client.call(new Request.Builder().url(stats).build()).status();
        if (status != 200) {
          TimeUnit.MILLISECONDS.sleep(20); // the poll interval of a readiness loop, as a client has
        }
      }

      assertThat(status).isEqualTo(200);
      assertThat(client.pod(id).get("status").asText()).isEqualTo("RUNNING");
      assertThat(runpod.readyAt(id)).get().satisfies(ready -> assertThat(ready).isAfter(created));
      long recorded = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (runpod.proxyRequests().stream().noneMatch(r -> r.status() == 200)
          && System.nanoTime() < recorded) {
        Thread.onSpinWait(); // the record may land just after the client has its answer
      }
      assertThat(runpod.proxyRequests()).extracting(RecordedApiRequest::status).contains(200);
    }
  }

  @Test
  void tick_inRealTimeMode_isRefused() {
    try (RunPodSimulator runpod = RunPodSimulator.start()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(runpod::tick)
          .isInstanceOf(IllegalStateException.class);
    }
  }
}
