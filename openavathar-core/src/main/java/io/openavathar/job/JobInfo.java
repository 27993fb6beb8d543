package io.openavathar.job;

import io.openavathar.GenerationRequest;
import io.openavathar.JobState;
import io.openavathar.store.JobRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A job of the studio as {@link Jobs#list} and {@link Jobs#get} show it: its state, its request,
 * when it was made and last changed, how it ended. Immutable; a snapshot (read it again for news,
 * or follow a running job through {@link Jobs#handle(String)}).
 */
public final class JobInfo {
  private final JobRecord record;
  private final GenerationRequest request;

  private JobInfo(JobRecord record, GenerationRequest request) {
    this.record = Objects.requireNonNull(record, "record");
    this.request = request;
  }

  /**
   * The view of a stored job; {@code request} is the job's request as read back from the record,
   * empty if it cannot be read (a row written by a newer SDK, or damaged).
   *
   * @param record the stored job
   * @param request the request read back from it, or empty
   * @return the view
   */
  public static JobInfo of(JobRecord record, Optional<GenerationRequest> request) {
    return new JobInfo(record, request.orElse(null));
  }

  /**
   * The job's id (a UUID string).
   *
   * @return the id, never null
   */
  public String id() {
    return record.id();
  }

  /**
   * The job's state when the snapshot was read.
   *
   * @return the state, never null
   */
  public JobState state() {
    return record.state();
  }

  /**
   * What was asked (files, prompt, orientation, ...); empty if the stored request cannot be read.
   *
   * @return the request, or empty
   */
  public Optional<GenerationRequest> request() {
    return Optional.ofNullable(request);
  }

  /**
   * The seed the job runs with (the request's, or the one chosen for it).
   *
   * @return the seed
   */
  public long seed() {
    return record.seed();
  }

  /**
   * How many times the job's prompt was submitted: 0 before the first submission, more after the
   * job moved to another pod.
   *
   * @return the number of submissions, 0 or more
   */
  public int attempt() {
    return record.attempt();
  }

  /**
   * The pod the job runs or ran on, once one was chosen.
   *
   * @return the pod id, or empty
   */
  public Optional<String> podId() {
    return record.podId();
  }

  /**
   * The ComfyUI prompt id, once submitted.
   *
   * @return the prompt id, or empty
   */
  public Optional<String> promptId() {
    return record.promptId();
  }

  /**
   * Where the MP4 is written.
   *
   * @return the output file, or empty
   */
  public Optional<Path> outputFile() {
    return record.outputFile().map(Path::of);
  }

  /**
   * The id of the video in {@code AvatarStudio.videos()}, once the job completed.
   *
   * @return the video id, or empty
   */
  public Optional<String> videoId() {
    return record.state() == JobState.COMPLETED ? Optional.of(record.id()) : Optional.empty();
  }

  /**
   * The failure's exception class (simple name, e.g. {@code QuotaExceededException}), for failed
   * jobs.
   *
   * @return the exception's simple class name, or empty
   */
  public Optional<String> errorType() {
    return record.errorType();
  }

  /**
   * What went wrong and what to do next, for failed jobs.
   *
   * @return the message, or empty
   */
  public Optional<String> errorMessage() {
    return record.errorMessage();
  }

  /**
   * When the job was accepted, on the studio's clock.
   *
   * @return the instant, never null
   */
  public Instant createdAt() {
    return record.createdAt();
  }

  /**
   * When the job last changed, on the studio's clock.
   *
   * @return the instant, never null
   */
  public Instant updatedAt() {
    return record.updatedAt();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobInfo other
        && record.equals(other.record)
        && Objects.equals(request, other.request);
  }

  @Override
  public int hashCode() {
    return record.hashCode();
  }

  @Override
  public String toString() {
    return "JobInfo{"
        + record.id()
        + ", "
        + record.state()
        + ", attempt "
        + record.attempt()
        + record.podId().map(p -> ", pod " + p).orElse("")
        + record.errorType().map(e -> ", " + e).orElse("")
        + "}";
  }
}
