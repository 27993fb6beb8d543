package io.openavathar.comfy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.openavathar.comfy.TestClients.PREFIX;
import static io.openavathar.comfy.TestClients.await;
import static io.openavathar.comfy.TestClients.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.openavathar.OpenAvatharException;
import io.openavathar.comfy.HistoryEntry.Outcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /history?max_items=N}: every entry parsed like one, in the server's order. */
class ComfyUiClientHistoryAllTest {
  private static final String HISTORY = PREFIX + "/history";

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private ComfyUiClient client;

  @BeforeEach
  void start() {
    client = TestClients.fast(wm.baseUrl(), 3);
  }

  @AfterEach
  void stop() {
    client.close();
  }

  @Test
  void historyAll_parsesEveryEntryInOrder_withGraphAndTimes() {
    wm.stubFor(
        get(urlPathEqualTo(HISTORY))
            .willReturn(
                okJson(
                    """
        {
          "b-second": {
            "prompt": [3, "b-second", {"22": {"class_type": "WanVideoSampler", "inputs": {"seed": 42}}}, {}, ["24"]],
            "outputs": {"24": {"gifs": [{"filename": "avatar_00001-audio.mp4", "subfolder": "OpenAvathar",
                                         "type": "output"}]}},
            "status": {"status_str": "success", "completed": true, "messages": [
              ["execution_start", {"prompt_id": "b-second", "timestamp": 1760000000000}],
              ["execution_success", {"prompt_id": "b-second", "timestamp": 1760000042500}]]}
          },
          "a-first": {
            "prompt": [4, "a-first", {}, {}, ["24"]],
            "outputs": {},
            "status": {"status_str": "error", "completed": false, "messages": [
              ["execution_error", {"prompt_id": "a-first", "node_id": "22", "exception_message": "boom",
                                   "timestamp": 1760000050000}]]}
          },
          "old-server": {"prompt": [5, "old-server", {}, {}, []], "outputs": {}},
          "not-an-entry": 7
        }
        """)));

    List<HistoryEntry> all = await(client.historyAll(25));

    wm.verify(getRequestedFor(urlPathEqualTo(HISTORY)).withQueryParam("max_items", equalTo("25")));
    assertThat(all)
        .extracting(HistoryEntry::promptId)
        .containsExactly("b-second", "a-first", "old-server");
    HistoryEntry first = all.get(0);
    assertThat(first.outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(first.files().get("24"))
        .containsExactly(new OutputFile("avatar_00001-audio.mp4", "OpenAvathar", "output"));
    assertThat(first.graph().orElseThrow().path("22").path("inputs").path("seed").asLong())
        .isEqualTo(42);
    assertThat(first.startedAt()).contains(Instant.ofEpochMilli(1760000000000L));
    assertThat(first.endedAt()).contains(Instant.ofEpochMilli(1760000042500L));
    assertThat(all.get(1).outcome()).isEqualTo(Outcome.ERROR);
    assertThat(all.get(1).startedAt()).isEmpty();
    assertThat(all.get(1).endedAt()).contains(Instant.ofEpochMilli(1760000050000L));
    assertThat(all.get(2).outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(all.get(2).graph()).isPresent();
  }

  @Test
  void historyAll_graphIsACopy() {
    wm.stubFor(
        get(urlPathEqualTo(HISTORY))
            .willReturn(
                okJson(
                    """
        {"p": {"prompt": [1, "p", {"1": {"class_type": "X", "inputs": {}}}, {}, []], "outputs": {}}}
        """)));
    HistoryEntry entry = await(client.historyAll(1)).get(0);

    entry.graph().orElseThrow().removeAll();

    assertThat(entry.graph().orElseThrow().has("1")).isTrue();
  }

  @Test
  void historyAll_whenEmpty_isEmpty() {
    wm.stubFor(get(urlPathEqualTo(HISTORY)).willReturn(okJson("{}")));

    assertThat(await(client.historyAll(10))).isEmpty();
  }

  @Test
  void historyAll_when503Persists_failsAfterRetrying() {
    wm.stubFor(get(urlPathEqualTo(HISTORY)).willReturn(aResponse().withStatus(503)));

    assertThat(failureOf(client.historyAll(10))).isInstanceOf(OpenAvatharException.class);
    wm.verify(3, getRequestedFor(urlPathEqualTo(HISTORY)));
  }

  @Test
  void historyAll_whenMaxItemsOutOfRange_throws() {
    assertThatThrownBy(() -> client.historyAll(0))
        .hasMessageContaining("maxItems must be between 1 and 10000, was 0");
    assertThatThrownBy(() -> client.historyAll(10_001)).hasMessageContaining("was 10001");
  }
}
