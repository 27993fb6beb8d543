package io.openavathar.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaProbeTest {
  @TempDir Path dir;

  @Test
  void create_usesDocumentedDefaults() {
    MediaProbe probe = MediaProbe.create();

    assertThat(probe.maxImageBytes()).isEqualTo(50_000_000);
    assertThat(probe.maxAudioBytes()).isEqualTo(100_000_000);
    assertThat(probe.minImageShortSide()).isEqualTo(256);
  }

  @Test
  void builder_setsEveryLimit() {
    MediaProbe probe =
        MediaProbe.builder().maxImageBytes(1).maxAudioBytes(2).minImageShortSide(3).build();

    assertThat(probe.maxImageBytes()).isEqualTo(1);
    assertThat(probe.maxAudioBytes()).isEqualTo(2);
    assertThat(probe.minImageShortSide()).isEqualTo(3);
  }

  @Test
  void builder_whenLimitNotPositive_failsNamingLimitAndValue() {
    assertThatThrownBy(() -> MediaProbe.builder().maxImageBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxImageBytes must be positive, was 0");
    assertThatThrownBy(() -> MediaProbe.builder().maxAudioBytes(-5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAudioBytes must be positive, was -5");
    assertThatThrownBy(() -> MediaProbe.builder().minImageShortSide(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minImageShortSide must be positive, was 0");
  }

  @Test
  void toBuilder_roundTripsAndEqualsComparesLimits() {
    MediaProbe probe = MediaProbe.builder().maxImageBytes(10).build();

    assertThat(probe.toBuilder().build()).isEqualTo(probe).hasSameHashCodeAs(probe);
    assertThat(probe.toBuilder().minImageShortSide(512).build()).isNotEqualTo(probe);
    assertThat(MediaProbe.create()).isEqualTo(MediaProbe.create()).isNotEqualTo(probe);
    assertThat(probe.toString())
        .isEqualTo(
            "MediaProbe{maxImageBytes=10, maxAudioBytes=100000000, minImageShortSide=256, "
                + "maxImagePixels=40000000}");
  }

  @Test
  void imageInfo_equalsHashCodeAndToString() {
    Path file = Path.of("a.png");
    ImageInfo info = new ImageInfo(file, ImageFormat.PNG, 512, 768, 1234);

    assertThat(info)
        .isEqualTo(new ImageInfo(file, ImageFormat.PNG, 512, 768, 1234))
        .hasSameHashCodeAs(new ImageInfo(file, ImageFormat.PNG, 512, 768, 1234))
        .isNotEqualTo(new ImageInfo(file, ImageFormat.PNG, 768, 512, 1234))
        .isNotEqualTo(new ImageInfo(file, ImageFormat.WEBP, 512, 768, 1234));
    assertThat(info.toString())
        .isEqualTo("ImageInfo{file=a.png, format=PNG, 512x768, sizeBytes=1234}");
    assertThat(new ImageInfo(file, ImageFormat.JPEG, 300, 300, 1).isPortrait()).isTrue();
  }

  @Test
  void audioInfo_equalsHashCodeAndToString() {
    Path file = Path.of("a.wav");
    AudioInfo info =
        new AudioInfo(file, AudioFormat.WAV, Duration.ofMillis(4884), 16000, 1, 156322);

    assertThat(info)
        .isEqualTo(new AudioInfo(file, AudioFormat.WAV, Duration.ofMillis(4884), 16000, 1, 156322))
        .hasSameHashCodeAs(
            new AudioInfo(file, AudioFormat.WAV, Duration.ofMillis(4884), 16000, 1, 156322))
        .isNotEqualTo(
            new AudioInfo(file, AudioFormat.WAV, Duration.ofMillis(4885), 16000, 1, 156322))
        .isNotEqualTo(
            new AudioInfo(file, AudioFormat.MP3, Duration.ofMillis(4884), 16000, 1, 156322));
    assertThat(info.toString())
        .isEqualTo(
            "AudioInfo{file=a.wav, format=WAV, duration=4884ms, sampleRate=16000, channels=1, sizeBytes=156322}");
  }

  @Test
  void formats_giveMimeTypesAndExtensions() {
    assertThat(ImageFormat.JPEG.mimeType()).isEqualTo("image/jpeg");
    assertThat(ImageFormat.WEBP.fileExtension()).isEqualTo("webp");
    assertThat(AudioFormat.MP3.mimeType()).isEqualTo("audio/mpeg");
    assertThat(AudioFormat.M4A.mimeType()).isEqualTo("audio/mp4");
    assertThat(AudioFormat.OGG.fileExtension()).isEqualTo("ogg");
  }

  @Test
  void probe_whenUsedFromManyThreadsAtOnce_givesEveryThreadTheSameAnswers() throws Exception {
    MediaProbe probe = MediaProbe.create();
    Path png = TestMedia.png(dir, "face.png", 300, 400);
    List<Path> audio =
        List.of(
            TestMedia.wav(dir, "speech.wav", 16000, 1, 16000),
            TestMedia.resource("tone.mp3", dir, "tone.mp3"),
            TestMedia.resource("tone.flac", dir, "tone.flac"),
            TestMedia.resource("tone.ogg", dir, "tone.ogg"),
            TestMedia.resource("tone.m4a", dir, "tone.m4a"));
    List<Object> expected = new ArrayList<>();
    expected.add(probe.probeImage(png));
    audio.forEach(file -> expected.add(probe.probeAudio(file)));

    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Object>>> runs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Callable<List<Object>> run =
            () -> {
              List<Object> seen = new ArrayList<>();
              seen.add(probe.probeImage(png));
              audio.forEach(file -> seen.add(probe.probeAudio(file)));
              return seen;
            };
        runs.add(pool.submit(run));
      }
      for (Future<List<Object>> run : runs) {
        assertThat(run.get(10, TimeUnit.SECONDS)).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void probeAudio_quietsJaudiotaggerLoggingOnly() {
    MediaProbe.create().probeAudio(TestMedia.resource("tone.mp3", dir, "tone.mp3"));

    assertThat(Logger.getLogger("org.jaudiotagger").getLevel()).isEqualTo(Level.OFF);
    assertThat(AudioHeaders.jaudiotaggerLogger().getName()).isEqualTo("org.jaudiotagger");
    assertThat(Logger.getLogger("org.jaudiotagger.audio").isLoggable(Level.SEVERE)).isFalse();
    assertThat(Logger.getLogger("").getLevel()).isNotEqualTo(Level.OFF);
    assertThat(Logger.getLogger("io.openavathar").getLevel()).isNull();
  }
}
