package io.openavathar.internal.gallery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.comfy.HistoryEntry;
import io.openavathar.comfy.OutputFile;
import io.openavathar.internal.NodeIds;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The video of one history entry and what the entry tells about it: the seed from the graph's
 * sampler, the size from {@code GetImageSizeAndCount}'s text ({@code 1x480x832}), the frame count
 * from {@code PreviewAny}'s, and the frame rate from the output node. Whatever the entry does not
 * say is 0. Videos are found under any file key: VHS lists its MP4 under {@code gifs}, ComfyUI's
 * own {@code SaveVideo} under {@code images} (with {@code animated}).
 */
record HistoryVideo(
    HistoryEntry entry,
    OutputFile file,
    int width,
    int height,
    int frames,
    long durationMillis,
    long seed) {
  private static final Pattern SIZE = Pattern.compile("\\d+x(\\d+)x(\\d+)");
  private static final int DEFAULT_FPS = 25;

  /**
   * The entry's video, preferring the file with the audio muxed in ({@code -audio.mp4}); empty if
   * it has none.
   */
  static Optional<HistoryVideo> of(HistoryEntry entry) {
    String nodeId = null;
    OutputFile chosen = null;
    Map<String, List<OutputFile>> files = new TreeMap<>(NodeIds.BY_NUMBER);
    files.putAll(entry.files());
    for (Map.Entry<String, List<OutputFile>> node : files.entrySet()) {
      for (OutputFile f : node.getValue()) {
        if (!f.isVideo()) {
          continue;
        }
        String name = f.filename().toLowerCase(Locale.ROOT);
        if (chosen == null
            || (name.contains("-audio.") && !chosen.filename().contains("-audio."))) {
          nodeId = node.getKey();
          chosen = f;
        }
      }
    }
    if (chosen == null) {
      return Optional.empty();
    }
    JsonNode graph = entry.graph().<JsonNode>map(g -> g).orElse(MissingNode.getInstance());
    int width = 0;
    int height = 0;
    int frames = 0;
    for (Map.Entry<String, List<String>> text : entry.texts().entrySet()) {
      String classType = graph.path(text.getKey()).path("class_type").asText("");
      String value = text.getValue().isEmpty() ? "" : text.getValue().get(0).trim();
      Matcher size = SIZE.matcher(value);
      if (classType.equals("GetImageSizeAndCount") && size.matches()) {
        width = parseInt(size.group(1));
        height = parseInt(size.group(2));
      } else if (classType.equals("PreviewAny") && value.matches("\\d{1,9}")) {
        frames = parseInt(value);
      }
    }
    JsonNode fps = graph.path(nodeId).path("inputs").path("frame_rate");
    double rate = fps.isNumber() && fps.asDouble() > 0 ? fps.asDouble() : DEFAULT_FPS;
    long millis = Math.round(frames * 1000 / rate);
    return Optional.of(new HistoryVideo(entry, chosen, width, height, frames, millis, seed(graph)));
  }

  /**
   * The literal {@code seed} (or {@code noise_seed}) of the first sampler node, by node id; 0 if
   * none.
   */
  private static long seed(JsonNode graph) {
    if (!(graph instanceof ObjectNode nodes)) {
      return 0;
    }
    long fallback = 0;
    boolean found = false;
    Map<String, JsonNode> byId = new TreeMap<>(NodeIds.BY_NUMBER);
    nodes.properties().forEach(e -> byId.put(e.getKey(), e.getValue()));
    for (JsonNode node : byId.values()) {
      JsonNode inputs = node.path("inputs");
      JsonNode seed =
          inputs.path("seed").isIntegralNumber() ? inputs.path("seed") : inputs.path("noise_seed");
      if (!seed.isIntegralNumber()) {
        continue;
      }
      if (node.path("class_type").asText("").contains("Sampler")) {
        return seed.asLong();
      }
      if (!found) {
        fallback = seed.asLong();
        found = true;
      }
    }
    return fallback;
  }

  private static int parseInt(String digits) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
