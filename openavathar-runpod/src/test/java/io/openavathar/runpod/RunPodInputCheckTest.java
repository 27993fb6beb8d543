package io.openavathar.runpod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.AvatarStudio;
import io.openavathar.GenerationRequest;
import io.openavathar.InvalidInputException;
import io.openavathar.media.MediaProbe;
import io.openavathar.testkit.runpod.RunPodSimulator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input that would waste a paid GPU is refused before any pod is created on RunPod. */
class RunPodInputCheckTest {
  static final String KEY = "rpa_TESTKEY0123456789ABCDEFGHIJ";

  @TempDir Path dir;
  RunPodSimulator runpod;
  RunPodPodProvider provider;
  AvatarStudio studio;
  Path image;
  Path audio;

  @BeforeEach
  void setUp() throws Exception {
    runpod = RunPodSimulator.builder().apiKey(KEY).start();
    provider =
        RunPodPodProvider.builder()
            .apiKey(KEY)
            .apiUrl(runpod.apiUrl())
            .proxyUrlPattern(runpod.proxyUrlPattern())
            .build();
    studio =
        AvatarStudio.builder()
            .dataDirectory(dir.resolve("data"))
            .podProvider(provider)
            .outputDirectory(dir.resolve("out"))
            .mediaProbe(MediaProbe.builder().maxImagePixels(400_000).build())
            .build();
    image = dir.resolve("face.png");
    ImageIO.write(new BufferedImage(512, 768, BufferedImage.TYPE_INT_RGB), "png", image.toFile());
    audio = dir.resolve("speech.wav");
    byte[] pcm = new byte[16_000 * 2];
    AudioSystem.write(
        new AudioInputStream(
            new ByteArrayInputStream(pcm),
            new AudioFormat(16_000, 16, 1, true, false),
            pcm.length / 2),
        AudioFileFormat.Type.WAVE,
        audio.toFile());
  }

  @AfterEach
  void tearDown() {
    studio.close();
    provider.close();
    try {
      assertThat(runpod.billingPods()).as("pods left running (and billing)").isEmpty();
    } finally {
      runpod.close();
    }
  }

  @Test
  void generate_whenOutputFileIsADirectory_createsNoPod() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("videos"));
    GenerationRequest request =
        GenerationRequest.builder().image(image).audio(audio).outputFile(folder).build();

    assertThatThrownBy(() -> studio.generate(request))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is an existing directory");
    assertThat(runpod.createCalls()).isZero();
    assertThat(runpod.pods()).isEmpty();
  }

  @Test
  void generate_whenImageHasTooManyPixels_createsNoPod() throws Exception {
    // 640 x 768 = 491,520 pixels, over this studio's cap of 400,000.
    Path wide = dir.resolve("wide.png");
    ImageIO.write(new BufferedImage(640, 768, BufferedImage.TYPE_INT_RGB), "png", wide.toFile());
    GenerationRequest request = GenerationRequest.builder().image(wide).audio(audio).build();

    assertThatThrownBy(() -> studio.generate(request))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("the limit is 0.4 megapixels");
    assertThat(runpod.createCalls()).isZero();
    assertThat(runpod.pods()).isEmpty();
  }
}
