package io.openavathar.internal.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.InvalidInputException;
import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.pod.Pod;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One ComfyUI client per pod: made lazily, shared per URL, closed when the pod leaves service. */
class PodConnectionsTest {
  final List<URI> made = new CopyOnWriteArrayList<>();
  final PodConnections connections =
      new PodConnections(
          url -> {
            made.add(url);
            return ComfyUiClient.builder().baseUrl(url).maxAttempts(1).build();
          });

  @AfterEach
  void tearDown() {
    connections.close();
  }

  static Pod pod(String id, String url) {
    return Pod.builder(id).comfyUiUrl(URI.create(url)).build();
  }

  /**
   * Whether the client is closed: a closed client fails a call at once, saying so, without sending
   * anything (an open one's call to these addresses fails otherwise: nothing listens there).
   */
  static boolean isClosed(ComfyUiClient client) {
    return client
        .systemStats()
        .handle(
            (s, e) -> e != null && PodLifecycle.unwrap(e).getMessage().contains(" was closed; "))
        .join();
  }

  @Test
  void client_isMadeOnFirstUse_andSharedByPodsServingTheSameUrl() {
    assertThat(made).isEmpty();

    ComfyUiClient a = connections.client(pod("a", "http://127.0.0.1:9/x"));
    ComfyUiClient b = connections.client(pod("b", "http://127.0.0.1:9/x"));
    ComfyUiClient again = connections.client(pod("a", "http://127.0.0.1:9/x"));

    assertThat(b).isSameAs(a);
    assertThat(again).isSameAs(a);
    assertThat(made).hasSize(1);
    assertThat(connections.podIds()).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void client_ofAPodWithoutComfyUiUrl_saysWhichPortToDeclare() {
    assertThatThrownBy(() -> connections.client(Pod.builder("p").build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Pod p exposes no ComfyUI URL")
        .hasMessageContaining("8188/http");
  }

  @Test
  void closeIfLeft_closesOnlyAPodThatLeftService() {
    ComfyUiClient client = connections.client(pod("a", "http://127.0.0.1:9/a"));

    connections.closeIfLeft("a");
    assertThat(isClosed(client)).isFalse();

    assertThat(connections.leaving("a")).isTrue();
    connections.closeIfLeft("a");

    assertThat(isClosed(client)).isTrue();
    assertThat(connections.podIds()).isEmpty();
    ComfyUiClient next = connections.client(pod("a", "http://127.0.0.1:9/a"));
    assertThat(next).isNotSameAs(client);
    assertThat(isClosed(next)).isFalse();
  }

  @Test
  void closeIfLeft_keepsAClientAnotherPodStillUses() {
    ComfyUiClient client = connections.client(pod("a", "http://127.0.0.1:9/x"));
    connections.client(pod("b", "http://127.0.0.1:9/x"));

    connections.leaving("a");
    connections.closeIfLeft("a");

    assertThat(isClosed(client)).isFalse();
    assertThat(connections.podIds()).containsExactly("b");
  }

  @Test
  void aPodServingAgain_keepsItsClient() {
    ComfyUiClient client = connections.client(pod("a", "http://127.0.0.1:9/a"));
    connections.leaving("a");

    connections.serving("a");
    connections.closeIfLeft("a");

    assertThat(isClosed(client)).isFalse();
  }

  @Test
  void leaving_ofAPodWithoutClient_isNothingToClose() {
    assertThat(connections.leaving("never")).isFalse();
  }

  @Test
  void close_closesEveryClient() {
    ComfyUiClient a = connections.client(pod("a", "http://127.0.0.1:9/a"));
    ComfyUiClient b = connections.client(pod("b", "http://127.0.0.1:9/b"));

    connections.close();

    assertThat(isClosed(a)).isTrue();
    assertThat(isClosed(b)).isTrue();
    assertThat(connections.podIds()).isEmpty();
  }
}
