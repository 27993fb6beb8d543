package io.openavathar.runpod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunPodBuilderTest {
  @Test
  void build_withoutKeyAndWithoutEnv_saysHowToProvideOne() {
    assertThatThrownBy(() -> RunPodPodProvider.builder().env(name -> null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RUNPOD_API_KEY")
        .hasMessageContaining("apiKey(...)");
  }

  @Test
  void build_withoutKey_readsTheEnvironment() {
    try (RunPodPodProvider p =
        RunPodPodProvider.builder().env(Map.of("RUNPOD_API_KEY", Fixtures.KEY)::get).build()) {
      assertThat(p.toString()).contains("apiKey=rpa_SE…").doesNotContain(Fixtures.KEY);
    }
  }

  @Test
  void fromEnv_whenUnset_fails() {
    assertThatThrownBy(() -> RunPodPodProvider.builder().env(name -> "").fromEnv())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RUNPOD_API_KEY");
  }

  @Test
  void provider_namesItselfAndManagesPods() {
    try (RunPodPodProvider p = RunPodPodProvider.builder().apiKey(Fixtures.KEY).build()) {
      assertThat(p.name()).isEqualTo("runpod");
      assertThat(p.canManagePods()).isTrue();
      assertThat(p.toString()).contains("https://api.runpod.io/v2");
    }
  }

  @Test
  void proxyUrlPattern_withoutPlaceholdersOrNotHttp_isRefused() {
    assertThatThrownBy(
            () -> RunPodPodProvider.builder().proxyUrlPattern("https://{podId}.proxy.runpod.net"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("{port}");
    assertThatThrownBy(
            () -> RunPodPodProvider.builder().proxyUrlPattern("ftp://{podId}-{port}.example"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http(s)");
  }

  @Test
  void apiUrl_thatIsNotHttp_isRefused() {
    assertThatThrownBy(() -> RunPodPodProvider.builder().apiUrl(URI.create("file:///tmp/x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("apiUrl");
  }

  @Test
  void settings_outOfRange_areRefused() {
    assertThatThrownBy(() -> RunPodPodProvider.builder().maxAttempts(0))
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> RunPodPodProvider.builder().namePrefix(" "))
        .hasMessageContaining("namePrefix");
  }
}
