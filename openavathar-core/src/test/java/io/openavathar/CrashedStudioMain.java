package io.openavathar;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A studio in a second JVM for {@code CrashRecoveryTest}: starts one job, prints its id, and runs
 * until the test kills the process ({@code kill -9}).
 *
 * <p>Arguments: data directory, ComfyUI URL, image, audio.
 */
final class CrashedStudioMain {
  private CrashedStudioMain() {}

  public static void main(String[] args) throws InterruptedException {
    AvatarStudio studio =
        AvatarStudio.builder()
            .dataDirectory(Path.of(args[0]))
            .comfyUrls(URI.create(args[1]))
            .trackerOptions(StudioResumeTest.FAST)
            .build();
    GenerationJob job =
        studio.generate(
            GenerationRequest.builder()
                .image(Path.of(args[2]))
                .audio(Path.of(args[3]))
                .seed(3)
                .build());
    System.out.println(job.id());
    System.out.flush();
    new CountDownLatch(1).await(); // until killed
  }
}
