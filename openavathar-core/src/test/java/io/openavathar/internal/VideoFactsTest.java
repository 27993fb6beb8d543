package io.openavathar.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoFactsTest {
  @TempDir Path dir;

  @Test
  void read_whenPortraitMp4_givesSizeFramesAndDuration() throws IOException {
    // The testkit's sample: H.264 480x832 at 25 fps and AAC audio, 3 s (as made by
    // tools/make-sample-media.sh).
    assertThat(VideoFacts.read(sample("sample-portrait.mp4")))
        .contains(new VideoFacts(480, 832, 75, Duration.ofSeconds(3)));
  }

  @Test
  void read_whenLandscapeMp4_givesItsSize() throws IOException {
    assertThat(VideoFacts.read(sample("sample-landscape.mp4")))
        .hasValueSatisfying(f -> assertThat(f.width()).isGreaterThan(f.height()).isEqualTo(832));
  }

  @Test
  void read_whenNotAnMp4_isEmpty() throws IOException {
    assertThat(
            VideoFacts.read(
                Files.writeString(dir.resolve("video.mp4"), "<html>502 Bad Gateway</html>")))
        .isEmpty();
  }

  @Test
  void read_whenCutInsideItsHeaderBoxes_isEmpty() throws IOException {
    Path whole = sample("sample-portrait.mp4");
    Path cut = Files.write(dir.resolve("cut.mp4"), Arrays.copyOf(Files.readAllBytes(whole), 600));

    assertThat(VideoFacts.read(cut)).isEmpty();
  }

  @Test
  void read_whenMissing_isEmpty() {
    assertThat(VideoFacts.read(dir.resolve("gone.mp4"))).isEmpty();
  }

  private Path sample(String name) throws IOException {
    Path file = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("/io/openavathar/testkit/comfy/" + name)) {
      assertThat(in).as("testkit resource " + name).isNotNull();
      Files.copy(in, file);
    }
    return file;
  }
}
