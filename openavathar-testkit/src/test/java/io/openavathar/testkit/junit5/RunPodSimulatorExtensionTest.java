package io.openavathar.testkit.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.testkit.runpod.RunPodSimulator;
import java.net.HttpURLConnection;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

class RunPodSimulatorExtensionTest {

  private static int status(URI url, String key) throws Exception {
    HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
    connection.setRequestProperty("Authorization", "Bearer " + key);
    try {
      return connection.getResponseCode();
    } finally {
      connection.disconnect();
    }
  }

  @Nested
  @ExtendWith(RunPodSimulatorExtension.class)
  class Injected {

    private RunPodSimulator seenInTest;

    @Test
    void extension_injectsARunningSimulator(RunPodSimulator runpod) throws Exception {
      seenInTest = runpod;

      assertThat(status(URI.create(runpod.apiUrl() + "/pods"), "any-key")).isEqualTo(200);
    }

    @AfterEach
    void sameInstanceInLifecycleMethods(RunPodSimulator runpod) {
      if (seenInTest != null) {
        assertThat(runpod).isSameAs(seenInTest);
      }
    }
  }

  @Nested
  class Registered {

    @RegisterExtension
    final RunPodSimulatorExtension runpod =
        new RunPodSimulatorExtension(builder -> builder.apiKey("k1"));

    @Test
    void extension_appliesTheBuilderConfiguration() throws Exception {
      URI pods = URI.create(runpod.simulator().apiUrl() + "/pods");

      assertThat(status(pods, "k1")).isEqualTo(200);
      assertThat(status(pods, "k2")).isEqualTo(401);
    }
  }

  @Test
  void simulator_outsideATest_failsWithAClearMessage() {
    RunPodSimulatorExtension extension = new RunPodSimulatorExtension();

    assertThatThrownBy(extension::simulator)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only inside a test");
  }
}
