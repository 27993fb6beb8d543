package io.openavathar.examples;

import io.openavathar.AvatarStudio;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationRequest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A small imaginary application class that embeds the SDK: it makes a customer's welcome video on a
 * ComfyUI server. {@code TestingYourApp} (under src/test) shows how to test a class like this with
 * the testkit, without a GPU.
 */
public final class WelcomeVideos implements AutoCloseable {
  private final AvatarStudio studio;
  private final Path videos;

  /**
   * Videos from the ComfyUI server at {@code comfyUrl}; the SDK's own state and the videos go to
   * {@code dir}.
   */
  public WelcomeVideos(URI comfyUrl, Path dir) {
    this.videos = dir.resolve("videos");
    this.studio =
        AvatarStudio.builder()
            .comfyUrls(comfyUrl)
            .dataDirectory(dir.resolve("data"))
            .outputDirectory(videos)
            .build();
  }

  /**
   * The customer's welcome video: their photo speaking the greeting, in {@code
   * welcome-<customer>.mp4}.
   */
  public Path welcome(String customer, Path photo, Path greeting) {
    GeneratedVideo video =
        studio
            .generate(
                GenerationRequest.builder()
                    .image(photo)
                    .audio(greeting)
                    .prompt("a friendly person greets " + customer)
                    .outputFile(videos.resolve("welcome-" + customer + ".mp4"))
                    .build())
            .await(Duration.ofMinutes(30));
    return video.file();
  }

  @Override
  public void close() {
    studio.close();
  }
}
