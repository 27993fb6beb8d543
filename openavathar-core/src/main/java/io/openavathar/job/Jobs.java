package io.openavathar.job;

import io.openavathar.GenerationJob;
import io.openavathar.JobListener;
import io.openavathar.store.JobQuery;
import java.util.List;
import java.util.Optional;

/**
 * The studio's jobs, this run's and earlier runs' (from its store). Obtain it from {@code
 * AvatarStudio.jobs()}.
 *
 * <pre>{@code
 * for (JobInfo j : studio.jobs().list(JobQuery.newest(20))) {
 *   System.out.println(j.id() + " " + j.state() + " " + j.request().map(r -> r.image()).orElse(null));
 * }
 * }</pre>
 */
public interface Jobs {
  /**
   * Jobs matching the query, newest first.
   *
   * @param query the filter and page
   * @return the jobs, immutable
   */
  List<JobInfo> list(JobQuery query);

  /**
   * One job, as the store has it now.
   *
   * @param id the job's id
   * @return the job, or empty
   */
  Optional<JobInfo> get(String id);

  /**
   * The live handle of a job running in this studio (progress, future, listeners).
   *
   * @param id the job's id
   * @return the handle, or empty when this studio does not run the job
   */
  Optional<GenerationJob> handle(String id);

  /**
   * A job's stored log (state changes, pod messages, the error), oldest first.
   *
   * @param id the job's id
   * @return the log lines, immutable; empty for an unknown job
   */
  List<String> log(String id);

  /**
   * Cancels a job: a running one as {@link GenerationJob#cancel()} does; an unfinished one that no
   * live studio runs (including one whose process on this host is gone) is marked cancelled.
   * Returns false if the job had ended, is unknown, or another live studio runs it ({@link
   * #holder(String)} says which).
   *
   * @param id the job's id
   * @return true if the job was cancelled by this call
   */
  boolean cancel(String id);

  /**
   * Runs a failed or cancelled job again, as a new job with the same request and seed.
   *
   * @param id the job's id
   * @return the new job
   * @throws IllegalArgumentException if the job is unknown or not failed or cancelled
   */
  GenerationJob retry(String id);

  /**
   * Runs a failed or cancelled job again, as {@link #retry(String)} does, writing the MP4 to {@code
   * outputFile} instead: for a job that failed because its output file could not be written. The
   * new file is checked before anything is uploaded.
   *
   * @param id the job's id
   * @param outputFile the MP4 file to write
   * @return the new job
   * @throws IllegalArgumentException if the job is unknown or not failed or cancelled
   * @throws io.openavathar.InvalidInputException if the inputs are gone or {@code outputFile}
   *     cannot be written
   */
  GenerationJob retry(String id, java.nio.file.Path outputFile);

  /**
   * Starts every unfinished job in the store that no live studio runs (the studio does this when
   * built, unless told not to): a submitted prompt is re-attached by its id, never submitted twice.
   * Returns the jobs started.
   *
   * @return the started jobs
   */
  List<GenerationJob> resumeUnfinished();

  /**
   * The other studio that runs this job now, if one does: its claim has not expired and its process
   * is not known to be gone. {@link #resumeUnfinished()} and {@link #cancel(String)} leave such a
   * job alone.
   *
   * @param id the job's id
   * @return the other studio's holder, or empty
   */
  Optional<JobHolder> holder(String id);

  /**
   * Resumes one unfinished job here as soon as no other studio holds it: at once if it is free (or
   * its studio's process on this host is gone), else when the other studio's claim expires without
   * renewal. Completes with the started job, or empty if the job ended meanwhile (the other studio
   * finished it); fails if the job is unknown or this studio closes first. Checks run on the
   * studio's scheduler, about once a second.
   *
   * @param id the job's id
   * @return completes with the started job, or empty
   */
  java.util.concurrent.CompletableFuture<Optional<GenerationJob>> resumeWhenFree(String id);

  /**
   * Checks a request and records it as a queued job without running it; a studio on the same data
   * directory runs it when it resumes unfinished jobs. Throws {@link
   * io.openavathar.InvalidInputException} like {@code generate}.
   *
   * @param request the request
   * @return the queued job
   */
  JobInfo enqueue(io.openavathar.GenerationRequest request);

  /**
   * Hears every job of this studio started from now on (new and resumed).
   *
   * @param listener the listener to add
   */
  void addListener(JobListener listener);

  /**
   * Removes a listener added by {@link #addListener}; does nothing if it was not added.
   *
   * @param listener the listener to remove
   */
  void removeListener(JobListener listener);
}
