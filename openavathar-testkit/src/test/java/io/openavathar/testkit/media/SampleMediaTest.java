package io.openavathar.testkit.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleMediaTest {

  @TempDir Path dir;

  @Test
  void everySampleShipsAndCopies() throws Exception {
    for (SampleMedia sample : SampleMedia.values()) {
      Path copy = sample.copyTo(dir.resolve("nested"));
      assertThat(copy).hasFileName(sample.fileName());
      assertThat(Files.size(copy)).as(sample.name()).isGreaterThan(1000);
      assertThat(sample.path()).hasSameBinaryContentAs(copy);
    }
  }

  @Test
  void imagesHaveTheirDocumentedShapes() throws Exception {
    assertSize(SampleMedia.portrait(), 512, 768);
    assertSize(SampleMedia.PORTRAIT_JPEG.path(), 512, 768);
    assertSize(SampleMedia.landscape(), 832, 480);
  }

  @Test
  void speechIsThreeSecondsOfSixteenKilohertzMono() throws Exception {
    try (AudioInputStream in = AudioSystem.getAudioInputStream(SampleMedia.speech().toFile())) {
      assertThat(in.getFormat().getSampleRate()).isEqualTo(16_000f);
      assertThat(in.getFormat().getChannels()).isEqualTo(1);
      assertThat(in.getFrameLength() / in.getFormat().getFrameRate()).isEqualTo(3.0f);
    }
  }

  @Test
  void theSharedCopyIsMadeOnce() throws Exception {
    Path first = SampleMedia.speech();
    java.nio.file.attribute.FileTime made = Files.getLastModifiedTime(first);
    Files.setLastModifiedTime(
        first, java.nio.file.attribute.FileTime.fromMillis(made.toMillis() - 60_000));

    assertThat(SampleMedia.SPEECH_WAV.path()).isEqualTo(first);
    assertThat(Files.getLastModifiedTime(first).toMillis())
        .isEqualTo(made.toMillis() - 60_000); // not copied again
  }

  private static void assertSize(Path image, int width, int height) throws Exception {
    BufferedImage read = ImageIO.read(image.toFile());
    assertThat(read.getWidth()).isEqualTo(width);
    assertThat(read.getHeight()).isEqualTo(height);
  }
}
