package io.openavathar.comfy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.internal.Json;
import org.junit.jupiter.api.Test;

/**
 * A field of an unexpected type costs only that field, never the whole answer: the readiness probe
 * still learns the version and the GPU. (Why the parsers read the tree rather than bind records:
 * binding fails the whole answer.)
 */
class StatsParserTest {
  @Test
  void aWrongTypedField_becomesItsDefault_theRestIsRead() throws Exception {
    JsonNode root =
        Json.mapper()
            .readTree(
                """
        {"system": {"comfyui_version": "0.3.64", "ram_total": "lots"},
         "devices": [{"name": "cuda:0 NVIDIA H100 : cudaMallocAsync", "type": {"odd": 1},
                      "vram_total": "lots", "vram_free": 1024}]}
        """);
    SystemStats stats = StatsParser.parse(root);
    assertThat(stats.comfyUiVersion()).isEqualTo("0.3.64");
    assertThat(stats.gpuName()).contains("NVIDIA H100");
    assertThat(stats.devices())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.type()).isEmpty();
              assertThat(d.vramTotal()).isZero();
              assertThat(d.vramFree()).isEqualTo(1024);
            });
  }
}
