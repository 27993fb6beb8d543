package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.AvatarStudio;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationJob;
import io.openavathar.GenerationRequest;
import io.openavathar.JobListener;
import io.openavathar.JobProgress;
import io.openavathar.JobState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress the command shows (on the process's stderr; no console under a build, so plain
 * lines).
 */
class JobRunnerProgressTest {
  @TempDir Path dir;

  /**
   * A job's end is set before its listeners hear of it, so the command draws it itself once the job
   * is done.
   */
  @Test
  void await_showsTheJobsEnd_evenWhenItsListenersHaveNotHeardOfItYet() {
    Path file = dir.resolve("me.mp4");
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    StringWriter out = new StringWriter();
    try (JobRunner runner =
        JobRunner.open(
            AvatarStudio.builder()
                .dataDirectory(dir.resolve("data"))
                .resumeOnStart(false)
                .comfyUrls(URI.create("http://127.0.0.1:9"))
                .build(),
            new PrintWriter(out),
            new PrintWriter(new StringWriter()))) {
      runner.await(new EndedJob(file));
    } finally {
      System.setErr(original);
    }

    assertThat(captured.toString(StandardCharsets.UTF_8).lines())
        .containsExactly("[00:00]  50% Generating window 1 of 1", "[00:00] 100% Done: " + file);
    assertThat(out.toString()).contains(file.toString());
  }

  /** A job that ends COMPLETED when awaited and never calls its listeners. */
  private static final class EndedJob implements GenerationJob {
    private final GeneratedVideo video;
    private volatile boolean ended;

    EndedJob(Path file) {
      video =
          GeneratedVideo.builder()
              .id("j1")
              .jobId("j1")
              .podId("p")
              .promptId("q")
              .remoteFile("r.mp4")
              .file(file)
              .size(480, 832)
              .frames(81)
              .duration(Duration.ofMillis(3240))
              .seed(1)
              .gpuType("")
              .createdAt(Instant.EPOCH)
              .build();
    }

    @Override
    public String id() {
      return "j1";
    }

    @Override
    public java.util.concurrent.CompletableFuture<io.openavathar.CancelOutcome> cancellation() {
      return new java.util.concurrent.CompletableFuture<>();
    }

    @Override
    public GenerationRequest request() {
      throw new UnsupportedOperationException();
    }

    @Override
    public long seed() {
      return 1;
    }

    @Override
    public JobState state() {
      return ended ? JobState.COMPLETED : JobState.GENERATING;
    }

    @Override
    public JobProgress progress() {
      return ended
          ? JobProgress.builder(JobState.COMPLETED)
              .fraction(1)
              .message("Done: " + video.file())
              .build()
          : JobProgress.builder(JobState.GENERATING)
              .fraction(0.5)
              .message("Generating window 1 of 1")
              .build();
    }

    @Override
    public CompletableFuture<GeneratedVideo> future() {
      return CompletableFuture.completedFuture(video);
    }

    @Override
    public GeneratedVideo await(Duration timeout) {
      ended = true;
      return video;
    }

    @Override
    public boolean cancel() {
      return false;
    }

    @Override
    public void addListener(JobListener listener) {}

    @Override
    public void removeListener(JobListener listener) {}
  }
}
