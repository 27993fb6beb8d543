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

  public static Builder builder(String id) {
    return new Builder(id);
  }

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

  public String id() {
    return id;
  }

  public JobState state() {
    return state;
  }

  /** The request as JSON, written and read by the engine. */
  public String requestJson() {
    return requestJson;
  }

  public long seed() {
    return seed;
  }

  /** Submissions so far (0 before the first); bounded by the retry budget on pod failures. */
  public int attempt() {
    return attempt;
  }

  public Optional<String> podId() {
    return Optional.ofNullable(podId);
  }

  /**
   * The ComfyUI prompt id of the current submission, once submitted: the key to re-attach after a
   * restart.
   */
  public Optional<String> promptId() {
    return Optional.ofNullable(promptId);
  }

  /**
   * The base URL of the ComfyUI server the current prompt was submitted to, once submitted: a
   * resumed job goes back to this server (the pod id alone is not enough for your own servers,
   * whose ids follow the order of their URLs).
   */
  public Optional<String> comfyUrl() {
    return Optional.ofNullable(comfyUrl);
  }

  /**
   * The ComfyUI client id the current prompt was submitted under, once submitted: ComfyUI sends a
   * prompt's progress only to that client's WebSocket, so a studio resuming the job listens under
   * it.
   */
  public Optional<String> clientId() {
    return Optional.ofNullable(clientId);
  }

  public Optional<String> outputFile() {
    return Optional.ofNullable(outputFile);
  }

  /** The failure's exception class (simple name), for FAILED jobs. */
  public Optional<String> errorType() {
    return Optional.ofNullable(errorType);
  }

  public Optional<String> errorMessage() {
    return Optional.ofNullable(errorMessage);
  }

  public Instant createdAt() {
    return createdAt;
  }

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

    public Builder state(JobState state) {
      this.state = Objects.requireNonNull(state, "state");
      return this;
    }

    public Builder requestJson(String requestJson) {
      this.requestJson = Objects.requireNonNull(requestJson, "requestJson");
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder attempt(int attempt) {
      this.attempt = attempt;
      return this;
    }

    public Builder podId(String podId) {
      this.podId = podId;
      return this;
    }

    public Builder promptId(String promptId) {
      this.promptId = promptId;
      return this;
    }

    public Builder comfyUrl(String comfyUrl) {
      this.comfyUrl = comfyUrl;
      return this;
    }

    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    public Builder outputFile(String outputFile) {
      this.outputFile = outputFile;
      return this;
    }

    public Builder error(String type, String message) {
      this.errorType = type;
      this.errorMessage = message;
      return this;
    }

    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    public Builder updatedAt(Instant updatedAt) {
      this.updatedAt = updatedAt;
      return this;
    }

    public JobRecord build() {
      return new JobRecord(this);
    }
  }
}
