package io.openavathar.comfy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One finished prompt as {@code GET /history/{id}} reports it. Written by the server only after
 * execution ends, so an entry always means "finished": successfully, with an error, or interrupted.
 */
public final class HistoryEntry {
  /** How the prompt ended. */
  public enum Outcome {
    /** The prompt ran to the end. */
    SUCCESS,
    /** A node raised an error; see {@link HistoryEntry#error()}. */
    ERROR,
    /** The prompt was interrupted (cancelled) while it ran. */
    INTERRUPTED,
    /**
     * History without a status block (servers before 2024-01) or a status this SDK does not know.
     */
    UNKNOWN
  }

  private final String promptId;
  private final Outcome outcome;
  private final Map<String, List<OutputFile>> files;
  private final Map<String, List<String>> texts;
  private final ComfyEvent.ExecutionError error;
  private final ObjectNode graph;
  private final Instant startedAt;
  private final Instant endedAt;

  /**
   * An entry without graph or timestamps, for tests and for callers that read history another way.
   *
   * @param promptId the prompt id
   * @param outcome how the prompt ended
   * @param files the output files per node id; copied
   * @param texts the text outputs per node id; copied
   * @param error the execution error, or null
   */
  public HistoryEntry(
      String promptId,
      Outcome outcome,
      Map<String, List<OutputFile>> files,
      Map<String, List<String>> texts,
      ComfyEvent.ExecutionError error) {
    this(promptId, outcome, files, texts, error, null, null, null);
  }

  HistoryEntry(
      String promptId,
      Outcome outcome,
      Map<String, List<OutputFile>> files,
      Map<String, List<String>> texts,
      ComfyEvent.ExecutionError error,
      ObjectNode graph,
      Instant startedAt,
      Instant endedAt) {
    this.promptId = Objects.requireNonNull(promptId, "promptId");
    this.outcome = Objects.requireNonNull(outcome, "outcome");
    this.files = Map.copyOf(files);
    this.texts = Map.copyOf(texts);
    this.error = error;
    this.graph = graph == null ? null : graph.deepCopy();
    this.startedAt = startedAt;
    this.endedAt = endedAt;
  }

  /**
   * The prompt's id.
   *
   * @return the prompt id, never null
   */
  public String promptId() {
    return promptId;
  }

  /**
   * How the prompt ended.
   *
   * @return the outcome, never null
   */
  public Outcome outcome() {
    return outcome;
  }

  /**
   * Files per node id, from the {@code gifs}, {@code videos} and {@code images} keys of each node's
   * output.
   *
   * @return the files per node id, immutable
   */
  public Map<String, List<OutputFile>> files() {
    return files;
  }

  /**
   * Text outputs per node id (for example the frame count {@code PreviewAny} shows).
   *
   * @return the texts per node id, immutable
   */
  public Map<String, List<String>> texts() {
    return texts;
  }

  /**
   * The execution error recorded in the status messages, if the prompt failed.
   *
   * @return the error, or empty
   */
  public Optional<ComfyEvent.ExecutionError> error() {
    return Optional.ofNullable(error);
  }

  /**
   * The API-format graph the prompt ran ({@code prompt[2]} of the entry), as a copy the caller may
   * change; empty when the server did not include it.
   *
   * @return a copy of the graph, or empty
   */
  public Optional<ObjectNode> graph() {
    return Optional.ofNullable(graph).map(ObjectNode::deepCopy);
  }

  /**
   * When execution started ({@code execution_start} timestamp), if the server recorded it.
   *
   * @return the start, or empty
   */
  public Optional<Instant> startedAt() {
    return Optional.ofNullable(startedAt);
  }

  /**
   * When execution ended (the timestamp of the success, error or interrupt message), if recorded.
   *
   * @return the end, or empty
   */
  public Optional<Instant> endedAt() {
    return Optional.ofNullable(endedAt);
  }

  /**
   * The seconds ComfyUI spent executing the prompt, from {@link #startedAt()} to {@link #endedAt()}
   * as the server recorded them; empty when either is missing (servers before 2024-01) or they are
   * out of order.
   *
   * @return the seconds, or empty
   */
  public OptionalDouble executionSeconds() {
    if (startedAt == null || endedAt == null || endedAt.isBefore(startedAt)) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(java.time.Duration.between(startedAt, endedAt).toMillis() / 1000.0);
  }

  /**
   * The video the prompt made: the given node's first video file (by extension: mp4, webm, mov,
   * mkv, m4v), else the first video file of any node (in node id order), else {@link #firstFile}.
   * ComfyUI's {@code SaveVideo} lists its MP4 under {@code images}, VHS under {@code gifs}; preview
   * PNGs of other nodes are passed over.
   *
   * @param preferredNodeId the node to look at first (the workflow's output node); not null
   * @return the video file, or empty when the prompt produced no file
   */
  public Optional<OutputFile> videoFile(String preferredNodeId) {
    Optional<OutputFile> own = firstVideo(files.getOrDefault(preferredNodeId, List.of()));
    if (own.isPresent()) {
      return own;
    }
    List<String> ids = new java.util.ArrayList<>(files.keySet());
    ids.sort(io.openavathar.internal.NodeIds.BY_NUMBER);
    for (String id : ids) {
      Optional<OutputFile> video = firstVideo(files.get(id));
      if (video.isPresent()) {
        return video;
      }
    }
    return firstFile(preferredNodeId);
  }

  private static Optional<OutputFile> firstVideo(List<OutputFile> nodeFiles) {
    return nodeFiles.stream().filter(OutputFile::isVideo).findFirst();
  }

  /**
   * The first file of the given node, or else the first file of any node.
   *
   * @param preferredNodeId the node to look at first; not null
   * @return the file, or empty when the prompt produced no file
   */
  public Optional<OutputFile> firstFile(String preferredNodeId) {
    List<OutputFile> preferred = files.get(preferredNodeId);
    if (preferred != null && !preferred.isEmpty()) {
      return Optional.of(preferred.get(0));
    }
    return files.values().stream().filter(l -> !l.isEmpty()).map(l -> l.get(0)).findFirst();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HistoryEntry h
        && promptId.equals(h.promptId)
        && outcome == h.outcome
        && files.equals(h.files)
        && texts.equals(h.texts)
        && Objects.equals(error, h.error)
        && Objects.equals(graph, h.graph)
        && Objects.equals(startedAt, h.startedAt)
        && Objects.equals(endedAt, h.endedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(promptId, outcome, files, texts, error, graph, startedAt, endedAt);
  }

  @Override
  public String toString() {
    return "HistoryEntry{promptId=" + promptId + ", outcome=" + outcome + ", files=" + files + "}";
  }
}
