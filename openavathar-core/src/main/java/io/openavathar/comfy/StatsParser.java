package io.openavathar.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code GET /system_stats} (reference §2.8); missing fields become empty text or 0. */
final class StatsParser {
  private StatsParser() {}

  static SystemStats parse(JsonNode root) {
    List<SystemStats.Device> devices = new ArrayList<>();
    for (JsonNode d : root.path("devices")) {
      devices.add(
          new SystemStats.Device(
              d.path("name").asText(""),
              d.path("type").asText(""),
              d.path("vram_total").asLong(0),
              d.path("vram_free").asLong(0)));
    }
    return new SystemStats(root.path("system").path("comfyui_version").asText(""), devices);
  }
}
