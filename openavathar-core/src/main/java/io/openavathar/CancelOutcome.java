package io.openavathar;

import java.util.Objects;
import java.util.Optional;

/**
 * What cancelling a job did on the ComfyUI server, as the server confirmed it: the value of {@link
 * GenerationJob#cancellation()}. Immutable; build with {@link #builder(String, Kind)}.
 *
 * <p>Only {@link Kind#UNCONFIRMED} leaves something behind: the prompt may still run (and, on a
 * rented GPU, bill); {@link #message()} then says on which server and pod, and how to stop it.
 */
public final class CancelOutcome {
  /** How the cancel ended. */
  public enum Kind {
    /** The prompt was running; ComfyUI stopped it (its history says interrupted). */
    INTERRUPTED,
    /** The prompt was waiting in ComfyUI's queue and was removed from it; it never ran. */
    DEQUEUED,
    /** Nothing had reached ComfyUI: the job was cancelled before its prompt was submitted. */
    NOT_SUBMITTED,
    /** The prompt (or the job) had ended before the cancel reached it; nothing was left to stop. */
    FINISHED_FIRST,
    /**
     * ComfyUI could not be reached or did not confirm within the bound: the prompt may still be
     * running. The message says where and how to stop it.
     */
    UNCONFIRMED
  }

  private final String jobId;
  private final Kind kind;
  private final String message;
  private final String promptId;
  private final String server;
  private final String podId;

  private CancelOutcome(Builder b) {
    this.jobId = b.jobId;
    this.kind = b.kind;
    this.message = Objects.requireNonNull(b.message, "message is required");
    this.promptId = b.promptId;
    this.server = b.server;
    this.podId = b.podId;
  }

  /**
   * A builder for the outcome of cancelling job {@code jobId}; {@link Builder#message} is required.
   *
   * @param jobId the cancelled job's id
   * @param kind how the cancel ended
   * @return a new builder
   */
  public static Builder builder(String jobId, Kind kind) {
    return new Builder(jobId, kind);
  }

  /**
   * A builder holding these values, to change some of them.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder(jobId, kind).message(message).promptId(promptId).server(server).podId(podId);
  }

  /**
   * The id of the job that was cancelled.
   *
   * @return the job id, never null
   */
  public String jobId() {
    return jobId;
  }

  /**
   * How the cancel ended.
   *
   * @return the kind, never null
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Whether the server confirmed that nothing of the job runs any more (every kind but
   * UNCONFIRMED).
   *
   * @return true unless the kind is {@link Kind#UNCONFIRMED}
   */
  public boolean isConfirmed() {
    return kind != Kind.UNCONFIRMED;
  }

  /**
   * One or two sentences saying what happened; for UNCONFIRMED, what may still run and how to stop
   * it.
   *
   * @return the message, never null
   */
  public String message() {
    return message;
  }

  /**
   * The ComfyUI prompt the cancel was about, if one was submitted (or about to be).
   *
   * @return the prompt id, or empty
   */
  public Optional<String> promptId() {
    return Optional.ofNullable(promptId);
  }

  /**
   * The ComfyUI server's base URL (without user info), if the job had reached one.
   *
   * @return the server's base URL, or empty
   */
  public Optional<String> server() {
    return Optional.ofNullable(server);
  }

  /**
   * The pod the prompt was submitted to, if any.
   *
   * @return the pod id, or empty
   */
  public Optional<String> podId() {
    return Optional.ofNullable(podId);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CancelOutcome c
        && jobId.equals(c.jobId)
        && kind == c.kind
        && message.equals(c.message)
        && Objects.equals(promptId, c.promptId)
        && Objects.equals(server, c.server)
        && Objects.equals(podId, c.podId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(jobId, kind, message, promptId, server, podId);
  }

  @Override
  public String toString() {
    return "CancelOutcome{job="
        + jobId
        + ", "
        + kind
        + (podId == null ? "" : ", pod=" + podId)
        + (server == null ? "" : ", server=" + server)
        + ": "
        + message
        + "}";
  }

  /** Builds a {@link CancelOutcome}. */
  public static final class Builder {
    private final String jobId;
    private final Kind kind;
    private String message;
    private String promptId;
    private String server;
    private String podId;

    private Builder(String jobId, Kind kind) {
      this.jobId = Objects.requireNonNull(jobId, "jobId");
      this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * Required: what happened, in words a user can act on.
     *
     * @param message the message
     * @return this builder
     */
    public Builder message(String message) {
      this.message = Objects.requireNonNull(message, "message");
      return this;
    }

    /**
     * The prompt id; null for none.
     *
     * @param promptId the prompt id, or null
     * @return this builder
     */
    public Builder promptId(String promptId) {
      this.promptId = promptId;
      return this;
    }

    /**
     * The server's base URL, without user info (never a password); null for none.
     *
     * @param server the base URL, or null
     * @return this builder
     */
    public Builder server(String server) {
      this.server = server;
      return this;
    }

    /**
     * The pod id; null for none.
     *
     * @param podId the pod id, or null
     * @return this builder
     */
    public Builder podId(String podId) {
      this.podId = podId;
      return this;
    }

    /**
     * Builds the outcome.
     *
     * @return the outcome, immutable
     * @throws NullPointerException if no message was set
     */
    public CancelOutcome build() {
      return new CancelOutcome(this);
    }
  }
}
