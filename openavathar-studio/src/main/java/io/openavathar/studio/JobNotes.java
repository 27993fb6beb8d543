package io.openavathar.studio;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.store.StudioStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the web app remembers about a job beyond the SDK's record: the uploads it was made from (the
 * gallery's poster, "make again") and their original names. Kept in the SDK store's settings table
 * ({@code studio.job.<id>}), so it lives and goes with the studio's database.
 */
final class JobNotes {
  private static final String PREFIX = "studio.job.";

  private JobNotes() {}

  static void write(StudioStore store, String jobId, Map<String, String> notes) {
    try {
      store.setSetting(PREFIX + jobId, Http.JSON.writeValueAsString(notes));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("job notes could not be written as JSON", e);
    }
  }

  static Map<String, String> read(StudioStore store, String jobId) {
    Optional<String> raw = store.setting(PREFIX + jobId);
    Map<String, String> notes = new LinkedHashMap<>();
    if (raw.isPresent()) {
      try {
        JsonNode n = Http.JSON.readTree(raw.get());
        n.properties().forEach(e -> notes.put(e.getKey(), e.getValue().asText()));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        // A damaged note only loses the poster and "make again"; the video itself is the SDK's.
      }
    }
    return notes;
  }
}
