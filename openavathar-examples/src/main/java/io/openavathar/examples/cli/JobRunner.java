package io.openavathar.examples.cli;

import io.openavathar.AvatarStudio;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationJob;
import io.openavathar.GenerationRequest;
import io.openavathar.JobCancelledException;
import io.openavathar.JobState;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the jobs of one command on its studio with a progress bar and prints each video's path on stdout. It owns the
 * studio: {@link #close()} closes it, and so does Ctrl+C (after cancelling the job being followed and letting the
 * command report its one line, see {@link CtrlC}). Either way the studio is closed before the process exits, and
 * {@link AvatarStudio#close()} waits (bounded) for the license server to confirm a video just counted: cut off, that
 * answer would leave the track pending and count the video twice.
 */
final class JobRunner implements AutoCloseable {
  private final AvatarStudio studio;
  private final PrintWriter out;
  private final PrintWriter err;
  private final CtrlC ctrlC;
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
   * Follows a started job with a progress bar until it ends; prints the video's path. On Ctrl+C the job is cancelled
   * and this throws a {@link JobCancelledException} whose one line says how far the job had got.
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
      throw state == null ? e : new JobCancelledException(cancelled(job.id(), state));
    } finally {
      followed = null;
    }
    err.printf("Video: %dx%d, %d frames, %.1f s, seed %d%n", video.width(), video.height(), video.frames(),
        video.duration().toMillis() / 1000.0, video.seed());
    err.flush();
    out.println(video.file().toAbsolutePath());
    out.flush();
    return video;
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
   * What Ctrl+C does, without the wait for the command's report in between: cancel the job being followed, then close
   * the studio.
   */
  void exit() {
    cancelFollowed();
    studio.close();
  }

  /** What a cancel in {@code state} did, in one line: only a job whose prompt was queued had one to stop. */
  static String cancelled(String jobId, JobState state) {
    return switch (state) {
      case SUBMITTED, GENERATING -> "Cancelled job " + jobId + "; asked ComfyUI to stop its prompt.";
      case DOWNLOADING -> "Cancelled job " + jobId + " while it was downloading the video.";
      default -> "Cancelled job " + jobId + " before any prompt was queued on ComfyUI.";
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
