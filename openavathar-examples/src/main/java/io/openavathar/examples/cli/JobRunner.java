package io.openavathar.examples.cli;

import io.openavathar.AvatarStudio;
import io.openavathar.CancelOutcome;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationJob;
import io.openavathar.GenerationRequest;
import io.openavathar.JobCancelledException;
import io.openavathar.JobState;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the jobs of one command on its studio with a progress bar and prints each video's path on
 * stdout. It owns the studio: {@link #close()} closes it, and so does Ctrl+C (after cancelling the
 * job being followed and letting the command report its one line, see {@link CtrlC}). Either way
 * the studio is closed before the process exits, and {@link AvatarStudio#close()} waits (bounded)
 * for ComfyUI to confirm a cancel in flight (cut off, the prompt would run on and keep a rented GPU
 * busy) and for the license server to confirm a video just counted (cut off, that answer would
 * leave the track pending and count the video twice).
 */
final class JobRunner implements AutoCloseable {
  private final AvatarStudio studio;
  private final PrintWriter out;
  private final PrintWriter err;
  private final CtrlC ctrlC;

  /**
   * How long the command waits, after Ctrl+C, for ComfyUI to confirm that the job's prompt stopped
   * before it reports: the studio's cancel timeout (20 s by default) ends the wait sooner, and this
   * stays under {@link CtrlC#GRACE}.
   */
  static final Duration CONFIRM_WAIT = CtrlC.GRACE.minusSeconds(5);

  private final AtomicReference<JobState> cancelledIn = new AtomicReference<>();
  private volatile GenerationJob followed;

  private JobRunner(AvatarStudio studio, PrintWriter out, PrintWriter err) {
    this.studio = studio;
    this.out = out;
    this.err = err;
    this.ctrlC = CtrlC.register("openavathar-close-on-exit", this::cancelFollowed, studio::close);
  }

  /** Takes over {@code studio}: closed by {@link #close()} or on Ctrl+C. */
  static JobRunner open(AvatarStudio studio, PrintWriter out, PrintWriter err) {
    return new JobRunner(studio, out, err);
  }

  AvatarStudio studio() {
    return studio;
  }

  GeneratedVideo run(GenerationRequest request) {
    return await(studio.generate(request));
  }

  /**
   * Follows a started job with a progress bar until it ends; prints the video's path. On Ctrl+C the
   * job is cancelled and this throws a {@link JobCancelledException} whose one line says how far
   * the job had got.
   */
  GeneratedVideo await(GenerationJob job) {
    cancelledIn.set(null);
    followed = job;
    GeneratedVideo video;
    try (ProgressRenderer bar = ProgressRenderer.onStderr()) {
      job.addListener(bar);
      bar.onProgress(job, job.progress());
      video = job.await(Duration.ofDays(1));
      bar.onProgress(job, job.progress()); // "Done": the job ends before its listeners hear of it
    } catch (JobCancelledException e) {
      JobState state = cancelledIn.get();
      throw state == null ? e : new JobCancelledException(confirmed(job));
    } finally {
      followed = null;
    }
    String usage = VideoTables.usage(video);
    err.printf(
        "Video: %dx%d, %d frames, %.1f s, seed %d%s%n",
        video.width(),
        video.height(),
        video.frames(),
        video.duration().toMillis() / 1000.0,
        video.seed(),
        usage.isEmpty() ? "" : "; " + usage);
    err.flush();
    out.println(video.file().toAbsolutePath());
    out.flush();
    return video;
  }

  /** Whether a job is being followed (what Ctrl+C would cancel). */
  boolean isFollowing() {
    return followed != null;
  }

  /** Ctrl+C: cancel the job being followed, remembering how far it had got. */
  private void cancelFollowed() {
    GenerationJob job = followed;
    if (job == null) {
      return;
    }
    cancelledIn.set(job.state());
    if (!job.cancel()) {
      cancelledIn.set(null);
    }
  }

  /**
   * What Ctrl+C does, without the wait for the command's report in between: cancel the job being
   * followed, then close the studio.
   */
  void exit() {
    cancelFollowed();
    studio.close();
  }

  /**
   * Waits (bounded) for ComfyUI to confirm the cancel of {@code job}, saying so if that takes a
   * moment.
   */
  private String confirmed(GenerationJob job) {
    CompletableFuture<CancelOutcome> outcome = job.cancellation();
    if (!outcome.isDone()) {
      err.println(
          "Cancelling job "
              + job.id()
              + ": waiting for ComfyUI to confirm that its prompt stopped...");
      err.flush();
    }
    try {
      return cancelled(outcome.get(CONFIRM_WAIT.toMillis(), TimeUnit.MILLISECONDS), stopsPods());
    } catch (TimeoutException | ExecutionException e) {
      return "Cancelled job "
          + job.id()
          + ", but ComfyUI did not confirm that its prompt stopped: it may still be"
          + " running. Check the queue of your ComfyUI server"
          + (stopsPods()
              ? " or stop the pod (openavathar pods" + " list, openavathar pods stop ID)."
              : ".");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "Cancelled job "
          + job.id()
          + "; interrupted while waiting for ComfyUI to confirm that its prompt stopped.";
    }
  }

  private boolean stopsPods() {
    return studio.podProvider().canManagePods();
  }

  /**
   * What a cancel did, in one line, from what ComfyUI confirmed: "interrupted" only when it was;
   * when unconfirmed, what may still run and the command that stops it ({@code podsStoppable}: the
   * studio rents its pods).
   */
  static String cancelled(CancelOutcome outcome, boolean podsStoppable) {
    String job = "Cancelled job " + outcome.jobId();
    String server = outcome.server().orElse("the ComfyUI server");
    return switch (outcome.kind()) {
      case INTERRUPTED -> job + "; its prompt was interrupted on ComfyUI.";
      case DEQUEUED -> job + "; its prompt was removed from ComfyUI's queue before it ran.";
      case NOT_SUBMITTED -> job + " before any prompt was queued on ComfyUI.";
      case FINISHED_FIRST ->
          job + "; its prompt had already finished on ComfyUI, nothing was left to stop.";
      case UNCONFIRMED -> {
        String prompt = outcome.promptId().orElse("?");
        String pod = outcome.podId().orElse(null);
        yield job
            + ", but "
            + server
            + " did not confirm that its prompt stopped: prompt "
            + prompt
            + " may still be running"
            + (pod == null ? "" : " on pod " + pod)
            + ". "
            + (podsStoppable && pod != null
                ? "Stop it with: openavathar pods stop " + pod
                : "Stop it in ComfyUI's queue (open "
                    + server
                    + ") or with: curl -X POST "
                    + server
                    + "/interrupt -H 'Content-Type: application/json' -d '{\"prompt_id\": \""
                    + prompt
                    + "\"}'");
      }
    };
  }

  @Override
  public void close() {
    try {
      studio.close();
    } finally {
      ctrlC.close();
    }
  }
}
