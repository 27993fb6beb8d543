package io.openavathar.examples.cli;

import io.openavathar.AvatarStudio;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationJob;
import io.openavathar.GenerationRequest;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Runs the jobs of one command on its studio with a progress bar and prints each video's path on stdout. It owns the
 * studio: {@link #close()} closes it, and so does Ctrl+C (after cancelling the job being followed). Either way the
 * studio is closed before the process exits, and {@link AvatarStudio#close()} waits (bounded) for the license server
 * to confirm a video just counted: cut off, that answer would leave the track pending and count the video twice.
 */
final class JobRunner implements AutoCloseable {
  private final AvatarStudio studio;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Thread onExit;
  private volatile GenerationJob followed;

  private JobRunner(AvatarStudio studio, PrintWriter out, PrintWriter err) {
    this.studio = studio;
    this.out = out;
    this.err = err;
    this.onExit = new Thread(this::exit, "openavathar-close-on-exit");
    Runtime.getRuntime().addShutdownHook(onExit);
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

  /** Follows a started job with a progress bar until it ends (Ctrl+C cancels it); prints the video's path. */
  GeneratedVideo await(GenerationJob job) {
    followed = job;
    GeneratedVideo video;
    try (ProgressRenderer bar = new ProgressRenderer(System.err)) {
      job.addListener(bar);
      bar.onProgress(job, job.progress());
      video = job.await(Duration.ofDays(1));
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

  /** The shutdown hook (Ctrl+C, or a kill): cancel the job being followed, then close the studio. */
  void exit() {
    GenerationJob job = followed;
    if (job != null && job.cancel()) {
      err.println();
      err.println("Cancelled job " + job.id() + " (its prompt was interrupted on the server).");
      err.flush();
    }
    studio.close();
  }

  @Override
  public void close() {
    try {
      studio.close();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onExit);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is already exiting: the hook runs too, and its close returns once this one is done.
      }
    }
  }
}
