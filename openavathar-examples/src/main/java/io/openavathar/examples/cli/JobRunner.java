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

/** Runs one job with a progress bar, cancels it on Ctrl+C, prints the video's path on stdout. */
final class JobRunner {
  private JobRunner() {}

  static GeneratedVideo run(AvatarStudio studio, GenerationRequest request, PrintWriter out, PrintWriter err) {
    return await(studio.generate(request), out, err);
  }

  /**
   * Follows a started job with a progress bar until it ends; prints the video's path. On Ctrl+C the job is cancelled
   * and this throws a {@link JobCancelledException} whose one line says how far the job had got (see {@link CtrlC}).
   */
  static GeneratedVideo await(GenerationJob job, PrintWriter out, PrintWriter err) {
    AtomicReference<JobState> cancelledIn = new AtomicReference<>();
    Runnable cancel = () -> {
      cancelledIn.set(job.state());
      if (!job.cancel()) {
        cancelledIn.set(null);
      }
    };
    GeneratedVideo video;
    CtrlC ctrlC = CtrlC.register("openavathar-cancel-on-exit", cancel, () -> {});
    try (ProgressRenderer bar = new ProgressRenderer(System.err)) {
      job.addListener(bar);
      bar.onProgress(job, job.progress());
      video = job.await(Duration.ofDays(1));
    } catch (JobCancelledException e) {
      JobState state = cancelledIn.get();
      throw state == null ? e : new JobCancelledException(cancelled(job.id(), state));
    } finally {
      ctrlC.close();
    }
    err.printf("Video: %dx%d, %d frames, %.1f s, seed %d%n", video.width(), video.height(), video.frames(),
        video.duration().toMillis() / 1000.0, video.seed());
    err.flush();
    out.println(video.file().toAbsolutePath());
    out.flush();
    return video;
  }

  /** What a cancel in {@code state} did, in one line: only a job whose prompt was queued had one to stop. */
  static String cancelled(String jobId, JobState state) {
    return switch (state) {
      case SUBMITTED, GENERATING -> "Cancelled job " + jobId + "; asked ComfyUI to stop its prompt.";
      case DOWNLOADING -> "Cancelled job " + jobId + " while it was downloading the video.";
      default -> "Cancelled job " + jobId + " before any prompt was queued on ComfyUI.";
    };
  }
}
