package io.openavathar.testkit.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.net.HttpURLConnection;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

class ComfyUiSimulatorExtensionTest {

  private static int status(URI url) throws Exception {
    HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
    try {
      return connection.getResponseCode();
    } finally {
      connection.disconnect();
    }
  }

  @Nested
  @ExtendWith(ComfyUiSimulatorExtension.class)
  class Injected {

    private ComfyUiSimulator seenInTest;

    @Test
    void extension_injectsARunningSimulator(ComfyUiSimulator comfy) throws Exception {
      seenInTest = comfy;

      assertThat(status(URI.create(comfy.baseUrl() + "/system_stats"))).isEqualTo(200);
    }

    @AfterEach
    void sameInstanceInLifecycleMethods(ComfyUiSimulator comfy) {
      if (seenInTest != null) {
        assertThat(comfy).isSameAs(seenInTest);
      }
    }
  }

  @Nested
  class Registered {

    @RegisterExtension
    final ComfyUiSimulatorExtension comfy =
        new ComfyUiSimulatorExtension(builder -> builder.pathPrefix("/p"));

    @Test
    void extension_appliesTheBuilderConfiguration() throws Exception {
      URI base = comfy.simulator().baseUrl();

      assertThat(base.getPath()).isEqualTo("/p");
      assertThat(status(URI.create(base + "/api/features"))).isEqualTo(200);
    }
  }

  @Test
  void simulator_outsideATest_failsWithAClearMessage() {
    ComfyUiSimulatorExtension extension = new ComfyUiSimulatorExtension();

    assertThatThrownBy(extension::simulator)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only inside a test");
  }
}
