package io.openavathar.store;

import io.openavathar.JobState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A job as the store keeps it: everything needed to resume it after a crash. Immutable; copy with
 * {@link #toBuilder()}. The request is kept as JSON written by the engine (the store does not
 * interpret it).
 */
public final class JobRecord {
  private final String id;
  private final JobState state;
  private final String requestJson;
  private final long seed;
  private final int attempt;
  private final String podId;
  private final String promptId;
  private final String comfyUrl;
  private final String clientId;
  private final String outputFile;
  private final String errorType;
  private final String errorMessage;
  private final Instant createdAt;
  private final Instant updatedAt;

  private JobRecord(Builder b) {
    this.id = Objects.requireNonNull(b.id, "id");
    this.state = Objects.requireNonNull(b.state, "state");
    this.requestJson = Objects.requireNonNull(b.requestJson, "requestJson");
    this.seed = b.seed;
    this.attempt = b.attempt;
    this.podId = b.podId;
    this.promptId = b.promptId;
    this.comfyUrl = b.comfyUrl;
    this.clientId = b.clientId;
    this.outputFile = b.outputFile;
    this.errorType = b.errorType;
    this.errorMessage = b.errorMessage;
    this.createdAt = Objects.requireNonNull(b.createdAt, "createdAt");
    this.updatedAt = Objects.requireNonNull(b.updatedAt, "updatedAt");
  }

  /**
   * A builder for the job with this id; the state defaults to {@link JobState#QUEUED}, and the
   * request JSON and both instants are required.
   *
   * @param id the job's id
   * @return a new builder
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * A builder holding this record's values, to change some of them.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(id);
    b.state = state;
    b.requestJson = requestJson;
    b.seed = seed;
    b.attempt = attempt;
    b.podId = podId;
    b.promptId = promptId;
    b.comfyUrl = comfyUrl;
    b.clientId = clientId;
    b.outputFile = outputFile;
    b.errorType = errorType;
    b.errorMessage = errorMessage;
    b.createdAt = createdAt;
    b.updatedAt = updatedAt;
    return b;
  }

  /**
   * The job's id (a UUID string).
   *
   * @return the id, never null
   */
  public String id() {
    return id;
  }

  /**
   * The job's state.
   *
   * @return the state, never null
   */
  public JobState state() {
    return state;
  }

  /**
   * The request as JSON, written and read by the engine.
   *
   * @return the JSON, never null
   */
  public String requestJson() {
    return requestJson;
  }

  /**
   * The seed the job runs with.
   *
   * @return the seed
   */
  public long seed() {
    return seed;
  }

  /**
   * Submissions so far (0 before the first); bounded by the retry budget on pod failures.
   *
   * @return the number of submissions
   */
  public int attempt() {
    return attempt;
  }

  /**
   * The pod the job runs or ran on, once one was chosen.
   *
   * @return the pod id, or empty
   */
  public Optional<String> podId() {
    return Optional.ofNullable(podId);
  }

  /**
   * The ComfyUI prompt id of the current submission, once submitted: the key to re-attach after a
   * restart.
   *
   * @return the prompt id, or empty
   */
  public Optional<String> promptId() {
    return Optional.ofNullable(promptId);
  }

  /**
   * The base URL of the ComfyUI server the current prompt was submitted to, once submitted: a
   * resumed job goes back to this server (the pod id alone is not enough for your own servers,
   * whose ids follow the order of their URLs).
   *
   * @return the URL, or empty
   */
  public Optional<String> comfyUrl() {
    return Optional.ofNullable(comfyUrl);
  }

  /**
   * The ComfyUI client id the current prompt was submitted under, once submitted: ComfyUI sends a
   * prompt's progress only to that client's WebSocket, so a studio resuming the job listens under
   * it.
   *
   * @return the client id, or empty
   */
  public Optional<String> clientId() {
    return Optional.ofNullable(clientId);
  }

  /**
   * Where the MP4 is written, if the request named a file.
   *
   * @return the path, or empty
   */
  public Optional<String> outputFile() {
    return Optional.ofNullable(outputFile);
  }

  /**
   * The failure's exception class (simple name), for FAILED jobs.
   *
   * @return the simple class name, or empty
   */
  public Optional<String> errorType() {
    return Optional.ofNullable(errorType);
  }

  /**
   * What went wrong and what to do next, for FAILED jobs.
   *
   * @return the message, or empty
   */
  public Optional<String> errorMessage() {
    return Optional.ofNullable(errorMessage);
  }

  /**
   * When the job was accepted.
   *
   * @return the instant, never null
   */
  public Instant createdAt() {
    return createdAt;
  }

  /**
   * When the record last changed.
   *
   * @return the instant, never null
   */
  public Instant updatedAt() {
    return updatedAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobRecord r
        && id.equals(r.id)
        && state == r.state
        && requestJson.equals(r.requestJson)
        && seed == r.seed
        && attempt == r.attempt
        && Objects.equals(podId, r.podId)
        && Objects.equals(promptId, r.promptId)
        && Objects.equals(comfyUrl, r.comfyUrl)
        && Objects.equals(clientId, r.clientId)
        && Objects.equals(outputFile, r.outputFile)
        && Objects.equals(errorType, r.errorType)
        && Objects.equals(errorMessage, r.errorMessage)
        && createdAt.equals(r.createdAt)
        && updatedAt.equals(r.updatedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        id,
        state,
        requestJson,
        seed,
        attempt,
        podId,
        promptId,
        comfyUrl,
        clientId,
        outputFile,
        errorType,
        errorMessage,
        createdAt,
        updatedAt);
  }

  @Override
  public String toString() {
    return "JobRecord{id="
        + id
        + ", state="
        + state
        + ", attempt="
        + attempt
        + (podId == null ? "" : ", pod=" + podId)
        + (promptId == null ? "" : ", prompt=" + promptId)
        + (errorType == null ? "" : ", error=" + errorType)
        + ", updatedAt="
        + updatedAt
        + "}";
  }

  /** Builds a {@link JobRecord}. */
  public static final class Builder {
    private final String id;
    private JobState state = JobState.QUEUED;
    private String requestJson;
    private long seed;
    private int attempt;
    private String podId;
    private String promptId;
    private String comfyUrl;
    private String clientId;
    private String outputFile;
    private String errorType;
    private String errorMessage;
    private Instant createdAt;
    private Instant updatedAt;

    private Builder(String id) {
      this.id = Objects.requireNonNull(id, "id");
    }

    /**
     * The state; default {@link JobState#QUEUED}.
     *
     * @param state the state
     * @return this builder
     */
    public Builder state(JobState state) {
      this.state = Objects.requireNonNull(state, "state");
      return this;
    }

    /**
     * The request as JSON. Required.
     *
     * @param requestJson the JSON
     * @return this builder
     */
    public Builder requestJson(String requestJson) {
      this.requestJson = Objects.requireNonNull(requestJson, "requestJson");
      return this;
    }

    /**
     * The seed; default 0.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Submissions so far; default 0.
     *
     * @param attempt the number of submissions
     * @return this builder
     */
    public Builder attempt(int attempt) {
      this.attempt = attempt;
      return this;
    }

    /**
     * The pod; default none.
     *
     * @param podId the pod id, or null
     * @return this builder
     */
    public Builder podId(String podId) {
      this.podId = podId;
      return this;
    }

    /**
     * The ComfyUI prompt id; default none.
     *
     * @param promptId the prompt id, or null
     * @return this builder
     */
    public Builder promptId(String promptId) {
      this.promptId = promptId;
      return this;
    }

    /**
     * The ComfyUI server's base URL; default none.
     *
     * @param comfyUrl the URL, or null
     * @return this builder
     */
    public Builder comfyUrl(String comfyUrl) {
      this.comfyUrl = comfyUrl;
      return this;
    }

    /**
     * The ComfyUI client id; default none.
     *
     * @param clientId the client id, or null
     * @return this builder
     */
    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    /**
     * The MP4 file to write; default none (the studio's output directory).
     *
     * @param outputFile the path, or null
     * @return this builder
     */
    public Builder outputFile(String outputFile) {
      this.outputFile = outputFile;
      return this;
    }

    /**
     * The failure; default none.
     *
     * @param type the exception's simple class name, or null
     * @param message what went wrong and what to do next, or null
     * @return this builder
     */
    public Builder error(String type, String message) {
      this.errorType = type;
      this.errorMessage = message;
      return this;
    }

    /**
     * When the job was accepted. Required.
     *
     * @param createdAt the instant
     * @return this builder
     */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    /**
     * When the record last changed. Required.
     *
     * @param updatedAt the instant
     * @return this builder
     */
    public Builder updatedAt(Instant updatedAt) {
      this.updatedAt = updatedAt;
      return this;
    }

    /**
     * Builds the record.
     *
     * @return the record, immutable
     * @throws NullPointerException if the request JSON or an instant was not set
     */
    public JobRecord build() {
      return new JobRecord(this);
    }
  }
}
