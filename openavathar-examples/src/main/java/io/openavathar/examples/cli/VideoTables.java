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
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
    rows.add(new String[] {"ID", "CREATED", "LENGTH", "RESOLUTION", "SIZE", "SEED", "POD", "GPU", "GPU TIME", "FILE"});
    for (GeneratedVideo v : videos) {
      rows.add(new String[] {v.id(), v.createdAt().truncatedTo(ChronoUnit.SECONDS).toString(),
          String.format(Locale.ROOT, "%.1f s", v.duration().toMillis() / 1000.0),
          v.width() > 0 ? v.width() + "x" + v.height() : "-", size(v.sizeBytes()), Long.toString(v.seed()),
          v.podId(), v.gpuType().isEmpty() ? "-" : v.gpuType(),
          v.gpuSeconds() > 0 ? String.format(Locale.ROOT, "%.1f s", v.gpuSeconds()) : "-",
          v.file() + (Files.isRegularFile(v.file()) ? "" : " (missing)")});
    }
    Tables.table(rows, out);
  }

  private static String size(long bytes) {
    return bytes >= 1_000_000 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)
        : String.format(Locale.ROOT, "%d KB", (bytes + 999) / 1000);
  }
}
