package io.openavathar.examples;

import io.openavathar.AvatarStudio;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationJob;
import io.openavathar.GenerationRequest;
import io.openavathar.JobListener;
import io.openavathar.JobProgress;
import io.openavathar.OpenAvatharException;
import io.openavathar.comfy.PromptTracker;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.media.SampleMedia;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A batch: several videos at once over several ComfyUI servers (your pods), with one progress view
 * for all of them, and what the SDK does when one server dies while it has a job.
 *
 * <pre>
 * java -cp openavathar.jar io.openavathar.examples.ManyVideos portrait.png speech.wav http://pod-a:8188 http://pod-b:8188
 * java -cp openavathar.jar io.openavathar.examples.ManyVideos   # three simulated servers, one of which dies
 * </pre>
 */
public final class ManyVideos {
  private ManyVideos() {}

  static final int VIDEOS = 6;

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("openavathar-batch-");
    List<ComfyUiSimulator> simulators = new ArrayList<>();
    List<URI> servers = new ArrayList<>();
    Path portrait;
    Path speech;
    CountDownLatch jobOnDoomedServer = new CountDownLatch(1);
    // How long a server may answer nothing at all before its jobs move to another one: 2 minutes by
    // default (a
    // pod's network can hiccup); 3 s in the demo so that it is quick.
    PromptTracker.Options tracking = PromptTracker.Options.DEFAULTS;
    if (args.length >= 3) {
      portrait = Path.of(args[0]);
      speech = Path.of(args[1]);
      for (int i = 2; i < args.length; i++) {
        servers.add(URI.create(args[i]));
      }
    } else {
      System.out.println(
          "No servers given: using three simulated ComfyUI servers and the sample media; server 2 dies"
              + " while it has a job.");
      for (int i = 0; i < 3; i++) {
        simulators.add(ComfyUiSimulator.start());
        servers.add(simulators.get(i).baseUrl());
      }
      // Server 2 accepts a prompt but does not run it, so that it surely has a job when it dies.
      simulators.get(1).pauseExecution();
      simulators.get(1).afterNextAnswer("POST", "/prompt", jobOnDoomedServer::countDown);
      portrait = SampleMedia.portrait();
      speech = SampleMedia.speech();
      tracking =
          new PromptTracker.Options(
              Duration.ofMillis(200),
              Duration.ofSeconds(15),
              Duration.ofSeconds(30),
              Duration.ofSeconds(3));
    }
    BatchProgress progress = new BatchProgress();
    try (AvatarStudio studio =
        AvatarStudio.builder()
            .comfyUrls(servers) // each job goes to the least-loaded server that answers
            .listener(
                progress) // a studio-wide listener hears every job: one view for the whole batch
            .trackerOptions(tracking)
            .dataDirectory(work.resolve("data"))
            .outputDirectory(work.resolve("videos"))
            .build()) {
      List<GenerationJob> jobs = new ArrayList<>();
      for (int i = 1; i <= VIDEOS; i++) {
        // Same inputs, other seeds: variations to pick from (the seed numbers them here).
        // generate() returns at
        // once; the jobs run side by side.
        jobs.add(
            studio.generate(
                GenerationRequest.builder().image(portrait).audio(speech).seed(i).build()));
      }
      if (!simulators.isEmpty() && jobOnDoomedServer.await(1, TimeUnit.MINUTES)) {
        simulators.get(1).close();
        System.out.println("Server 2 died (closed) with a job on it.");
      }
      int made = 0;
      for (GenerationJob job : jobs) {
        String name = BatchProgress.name(job);
        try {
          GeneratedVideo video = job.await(Duration.ofHours(2));
          made++;
          System.out.println(
              name + " done: " + video.file().getFileName() + " (seed " + video.seed() + ")");
        } catch (OpenAvatharException e) {
          // One job's failure does not stop the others; its message says what to do next.
          System.out.println(
              name + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }
      System.out.println(
          "Batch: " + made + " of " + VIDEOS + " videos made, in " + work.resolve("videos"));
    } finally {
      simulators.forEach(ComfyUiSimulator::close);
    }
  }

  /**
   * Prints one line whenever a job of the batch moves on to another stage, prefixed with the job's
   * number. When a server dies, its job says so ("The pod ... was lost; moving the job to another
   * pod") and starts again elsewhere.
   */
  static final class BatchProgress implements JobListener {
    private final Map<String, String> stages = new ConcurrentHashMap<>();

    static String name(GenerationJob job) {
      return "#" + job.seed();
    }

    @Override
    public void onProgress(GenerationJob job, JobProgress p) {
      String before = stages.put(job.id(), p.stage());
      if (!p.stage().equals(before)) {
        System.out.printf("%-3s %3.0f%% %s%n", name(job), p.fraction() * 100, p.stage());
      }
    }
  }
}
