package io.openavathar.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.GeneratedVideo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints gallery videos as an aligned table for people, or JSON for scripts. */
final class VideoTables {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private VideoTables() {}

  static void videos(List<GeneratedVideo> videos, boolean json, PrintWriter out) {
    if (json) {
      ArrayNode arr = JSON.createArrayNode();
      for (GeneratedVideo v : videos) {
        ObjectNode o = arr.addObject();
        o.put("id", v.id());
        o.put("jobId", v.jobId());
        o.put("createdAt", v.createdAt().toString());
        o.put("file", v.file().toString());
        o.put("fileExists", Files.isRegularFile(v.file()));
        o.put("sizeBytes", v.sizeBytes());
        o.put("width", v.width());
        o.put("height", v.height());
        o.put("frames", v.frames());
        o.put("durationMillis", v.duration().toMillis());
        o.put("seed", v.seed());
        o.put("podId", v.podId());
        o.put("gpuType", v.gpuType());
        o.put("gpuSeconds", v.gpuSeconds());
        putOptional(o, "pricePerHour", v.pricePerHour(), 4);
        putOptional(o, "costUsd", v.costUsd(), 6);
        o.put("promptId", v.promptId());
        o.put("remoteFile", v.remoteFile());
      }
      try {
        out.println(JSON.writeValueAsString(arr));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      out.flush();
      return;
    }
    if (videos.isEmpty()) {
      out.println("No videos.");
      out.flush();
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "ID",
          "CREATED",
          "LENGTH",
          "RESOLUTION",
          "SIZE",
          "SEED",
          "POD",
          "GPU",
          "GPU TIME",
          "COST",
          "FILE"
        });
    for (GeneratedVideo v : videos) {
      rows.add(
          new String[] {
            v.id(),
            v.createdAt().truncatedTo(ChronoUnit.SECONDS).toString(),
            String.format(Locale.ROOT, "%.1f s", v.duration().toMillis() / 1000.0),
            v.width() > 0 ? v.width() + "x" + v.height() : "-",
            size(v.sizeBytes()),
            Long.toString(v.seed()),
            v.podId(),
            v.gpuType().isEmpty() ? "-" : v.gpuType(),
            v.gpuSeconds() > 0 ? String.format(Locale.ROOT, "%.1f s", v.gpuSeconds()) : "-",
            v.costUsd().isPresent() ? Tables.usd(v.costUsd().getAsDouble()) : "-",
            v.file() + (Files.isRegularFile(v.file()) ? "" : " (missing)")
          });
    }
    Tables.table(rows, out);
  }

  /**
   * What a finished video used, for the line printed when a job ends: {@code 182 GPU-s on NVIDIA
   * GeForce RTX 4090, $0.02}; parts that are unknown are left out (empty if nothing is known).
   */
  static String usage(GeneratedVideo v) {
    List<String> parts = new ArrayList<>();
    if (v.gpuSeconds() > 0) {
      parts.add(
          String.format(Locale.ROOT, "%.0f GPU-s", v.gpuSeconds())
              + (v.gpuType().isEmpty() ? "" : " on " + v.gpuType()));
    } else if (!v.gpuType().isEmpty()) {
      parts.add("on " + v.gpuType());
    }
    v.costUsd()
        .ifPresent(
            c ->
                parts.add(
                    Tables.usd(c)
                        + String.format(Locale.ROOT, " (at $%.2f/h)", v.pricePerHour().orElse(0))));
    return String.join(", ", parts);
  }

  private static void putOptional(
      ObjectNode o, String field, java.util.OptionalDouble value, int decimals) {
    if (value.isPresent()) {
      o.put(field, Tables.round(value.getAsDouble(), decimals));
    } else {
      o.putNull(field);
    }
  }

  private static String size(long bytes) {
    return bytes >= 1_000_000
        ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)
        : String.format(Locale.ROOT, "%d KB", (bytes + 999) / 1000);
  }
}
