package io.openavathar.pod;

import java.util.Objects;

/**
 * One line of a pod's log.
 *
 * @param id the event id the provider gave it (used to resume after a drop), may be empty
 * @param timestamp the provider's timestamp text, may be empty
 * @param source for example {@code container} or {@code system}
 * @param line the text
 */
public record PodLogLine(String id, String timestamp, String source, String line) {
  /**
   * Checks that no value is null.
   *
   * @param id the event id, may be empty
   * @param timestamp the provider's timestamp text, may be empty
   * @param source the line's source
   * @param line the text
   */
  public PodLogLine {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(line, "line");
  }
}
