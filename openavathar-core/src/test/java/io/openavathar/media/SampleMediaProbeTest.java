package io.openavathar.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.testkit.media.SampleMedia;
import org.junit.jupiter.api.Test;

/** The testkit's sample media are inputs the SDK accepts, as documented. */
class SampleMediaProbeTest {
  private final MediaProbe probe = MediaProbe.create();

  @Test
  void thePortraitsAndTheLandscapeAreAcceptedImages() {
    ImageInfo png = probe.probeImage(SampleMedia.PORTRAIT_PNG.path());
    assertThat(png.format()).isEqualTo(ImageFormat.PNG);
    assertThat(png.width()).isEqualTo(512);
    assertThat(png.height()).isEqualTo(768);
    assertThat(probe.probeImage(SampleMedia.PORTRAIT_JPEG.path()).format())
        .isEqualTo(ImageFormat.JPEG);
    ImageInfo landscape = probe.probeImage(SampleMedia.LANDSCAPE_PNG.path());
    assertThat(landscape.width()).isGreaterThan(landscape.height());
  }

  @Test
  void theSpeechIsAcceptedAsWavAndMp3OfThreeSeconds() {
    AudioInfo wav = probe.probeAudio(SampleMedia.SPEECH_WAV.path());
    assertThat(wav.format()).isEqualTo(AudioFormat.WAV);
    assertThat(wav.duration().toMillis()).isEqualTo(3000);
    AudioInfo mp3 = probe.probeAudio(SampleMedia.SPEECH_MP3.path());
    assertThat(mp3.format()).isEqualTo(AudioFormat.MP3);
    assertThat(mp3.duration().toMillis()).isBetween(2900L, 3200L);
  }
}
