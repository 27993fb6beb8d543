package io.openavathar.testkit.comfy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

  @Test
  void manyClients_atOnce_eachGetOnlyTheirOwnEventsAndEveryPromptFinishes() throws Exception {
    try (ComfyUiSimulator simulator = TestWorkflows.builder().caching(false).start()) {
      TestClient client = new TestClient(simulator);
      ExecutorService pool = Executors.newFixedThreadPool(6);
      try {
        List<Future<List<String>>> results = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
          String clientId = "client-" + c;
          Callable<List<String>> job =
              () -> {
                TestClient.Socket socket = client.connect(clientId);
                List<String> prompts = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                  prompts.add(client.submitInfiniteTalk(clientId, 1.0));
                }
                for (String prompt : prompts) {
                  socket.untilDone(prompt);
                }
                for (JsonNode message : socket.seen) {
                  String promptId = message.get("data").path("prompt_id").asText("");
                  if (!promptId.isEmpty() && !message.get("type").asText().equals("status")) {
                    assertThat(prompts).as("events reach only the owner").contains(promptId);
                  }
                }
                socket.close();
                return prompts;
              };
          results.add(pool.submit(job));
        }
        Set<String> all = new HashSet<>();
        for (Future<List<String>> result : results) {
          all.addAll(result.get(60, TimeUnit.SECONDS));
        }

        assertThat(all).hasSize(18);
        assertThat(client.get("/history").json().size()).isEqualTo(18);
        assertThat(simulator.uploadCount()).isEqualTo(36);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void uploadsOfOneName_atOnce_getDistinctNames() throws Exception {
    try (ComfyUiSimulator simulator = TestWorkflows.builder().start()) {
      TestClient client = new TestClient(simulator);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<String>> names = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          int seed = i;
          names.add(
              pool.submit(
                  () ->
                      client
                          .upload("same.png", TestWorkflows.image(seed))
                          .json()
                          .get("name")
                          .asText()));
        }
        Set<String> distinct = new HashSet<>();
        for (Future<String> name : names) {
          distinct.add(name.get(30, TimeUnit.SECONDS));
        }

        assertThat(distinct).hasSize(8).contains("same.png", "same (7).png");
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
