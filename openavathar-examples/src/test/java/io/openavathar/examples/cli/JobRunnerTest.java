package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.AvatarStudio;
import io.openavathar.GenerationJob;
import io.openavathar.GenerationRequest;
import io.openavathar.JobCancelledException;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.comfy.NodeHold;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobRunnerTest {
  @TempDir Path dir;

  @Test
  void theExitHook_closesTheStudio_andCloseAfterItIsHarmless() {
    AvatarStudio studio =
        AvatarStudio.builder()
            .dataDirectory(dir)
            .resumeOnStart(false)
            .comfyUrls(URI.create("http://127.0.0.1:9"))
            .build();
    PrintWriter nowhere = new PrintWriter(new StringWriter());
    JobRunner runner = JobRunner.open(studio, nowhere, nowhere);

    runner.exit(); // what Ctrl+C runs

    GenerationRequest request =
        GenerationRequest.builder().image(dir.resolve("a.png")).audio(dir.resolve("a.wav")).build();
    assertThatThrownBy(() -> studio.generate(request))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    runner.close();
  }

  Path sample(String resource, String name) throws Exception {
    try (java.io.InputStream in = getClass().getResourceAsStream(resource)) {
      Path p = dir.resolve(name);
      Files.copy(in, p);
      return p;
    }
  }

  @Test
  void ctrlC_waitsForComfyUiToStopThePrompt_andSaysItWasInterrupted() throws Exception {
    try (ComfyUiSimulator sim =
        ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start()) {
      NodeHold frames = sim.holdNode("23"); // the frames node, just before the video is written
      sim.afterNextAnswer(
          "POST", "/interrupt", frames::release); // the node ends once the interrupt is in
      AvatarStudio studio =
          AvatarStudio.builder()
              .dataDirectory(dir.resolve("data"))
              .resumeOnStart(false)
              .outputDirectory(dir.resolve("out"))
              .comfyUrls(sim.baseUrl())
              .build();
      StringWriter errText = new StringWriter();
      PrintWriter err = new PrintWriter(errText, true);
      JobRunner runner = JobRunner.open(studio, new PrintWriter(new StringWriter()), err);
      GenerationJob job =
          studio.generate(
              GenerationRequest.builder()
                  .image(sample(DemoCommand.PORTRAIT, "me.png"))
                  .audio(sample(DemoCommand.SPEECH, "me.wav"))
                  .build());
      CompletableFuture<Throwable> reported =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  runner.await(job);
                  return null;
                } catch (RuntimeException e) {
                  return e;
                }
              });
      frames.awaitReached(Duration.ofSeconds(20));
      while (!runner.isFollowing()) {
        Thread.onSpinWait();
      }

      runner.exit(); // what Ctrl+C runs, without the wait for the report in between

      // The studio closed only once ComfyUI had stopped the prompt: the video was never written.
      assertThat(sim.requests())
          .anyMatch(r -> r.method().equals("POST") && r.route().equals("/interrupt"));
      try (Stream<Path> files = Files.walk(sim.outputDirectory())) {
        assertThat(files.filter(f -> f.toString().endsWith(".mp4"))).isEmpty();
      }
      assertThat(reported.get(20, TimeUnit.SECONDS))
          .isInstanceOf(JobCancelledException.class)
          .hasMessage("Cancelled job " + job.id() + "; its prompt was interrupted on ComfyUI.");
      runner.close();
    }
  }
}
