package io.openavathar.examples;

import io.openavathar.AvatarStudio;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationJob;
import io.openavathar.GenerationRequest;
import io.openavathar.JobListener;
import io.openavathar.JobProgress;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.media.SampleMedia;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The shortest complete program: one portrait and one speech clip to an MP4 on your own ComfyUI
 * server.
 *
 * <pre>
 * java -cp openavathar.jar io.openavathar.examples.QuickStart http://127.0.0.1:8188 portrait.png speech.wav
 * java -cp openavathar.jar io.openavathar.examples.QuickStart          # the testkit's sample media on a simulated ComfyUI
 * </pre>
 */
public final class QuickStart {
  private QuickStart() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("openavathar-quickstart-");
    ComfyUiSimulator simulator = null;
    URI comfy;
    Path portrait;
    Path speech;
    if (args.length >= 3) {
      comfy = URI.create(args[0]);
      portrait = Path.of(args[1]);
      speech = Path.of(args[2]);
    } else {
      System.out.println(
          "No ComfyUI given: using a simulated one and the bundled sample (not a real video).");
      simulator = ComfyUiSimulator.start();
      comfy = simulator.baseUrl();
      portrait =
          SampleMedia
              .portrait(); // the testkit's sample media: a drawn face and 3 s of speech (CC0)
      speech = SampleMedia.speech();
    }
    try (AvatarStudio studio =
        AvatarStudio.builder()
            .comfyUrls(comfy)
            .dataDirectory(work.resolve("data"))
            .outputDirectory(Path.of("").toAbsolutePath())
            .build()) {
      GenerationJob job =
          studio.generate(
              GenerationRequest.builder()
                  .image(portrait)
                  .audio(speech)
                  .prompt("a person is speaking to the camera")
                  .build());
      job.addListener(
          new JobListener() {
            @Override
            public void onProgress(GenerationJob j, JobProgress p) {
              System.out.printf("%3.0f%% %s%n", p.fraction() * 100, p.message());
            }
          });
      GeneratedVideo video = job.await(Duration.ofHours(1));
      System.out.println(
          "Video: "
              + video.file()
              + " ("
              + video.width()
              + "x"
              + video.height()
              + ", seed "
              + video.seed()
              + ")");
    } finally {
      if (simulator != null) {
        simulator.close();
      }
    }
  }
}
