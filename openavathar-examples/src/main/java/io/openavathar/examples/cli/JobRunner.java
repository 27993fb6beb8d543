package io.openavathar.examples.cli;

import io.openavathar.AvatarStudio;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationJob;
import io.openavathar.GenerationRequest;
import java.io.PrintWriter;
import java.time.Duration;

/** Runs one job with a progress bar, cancels it on Ctrl+C, prints the video's path on stdout. */
final class JobRunner {
  private JobRunner() {}

  static GeneratedVideo run(AvatarStudio studio, GenerationRequest request, PrintWriter out, PrintWriter err) {
    return await(studio.generate(request), out, err);
  }

  /** Follows a started job with a progress bar until it ends; prints the video's path. */
  static GeneratedVideo await(GenerationJob job, PrintWriter out, PrintWriter err) {
    Thread cancelOnCtrlC = new Thread(() -> {
      if (job.cancel()) {
        err.println();
        err.println("Cancelled job " + job.id() + " (its prompt was interrupted on the server).");
        err.flush();
      }
    }, "openavathar-cancel-on-exit");
    Runtime.getRuntime().addShutdownHook(cancelOnCtrlC);
    GeneratedVideo video;
    try (ProgressRenderer bar = new ProgressRenderer(System.err)) {
      job.addListener(bar);
      bar.onProgress(job, job.progress());
      video = job.await(Duration.ofDays(1));
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(cancelOnCtrlC);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is already exiting: the hook runs and cancels the job.
      }
    }
    err.printf("Video: %dx%d, %d frames, %.1f s, seed %d%n", video.width(), video.height(), video.frames(),
        video.duration().toMillis() / 1000.0, video.seed());
    err.flush();
    out.println(video.file().toAbsolutePath());
    out.flush();
    return video;
  }
}
