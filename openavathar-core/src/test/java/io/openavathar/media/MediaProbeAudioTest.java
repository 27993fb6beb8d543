package io.openavathar.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaProbeAudioTest {
  private final MediaProbe probe = MediaProbe.create();

  @TempDir Path dir;

  @Test
  void probeAudio_whenMonoWav_readsExactDurationRateAndChannels() throws IOException {
    Path wav = TestMedia.wav(dir, "speech.wav", 16000, 1, 19744); // 1.234 s

    AudioInfo info = probe.probeAudio(wav);

    assertThat(info.file()).isEqualTo(wav);
    assertThat(info.format()).isEqualTo(AudioFormat.WAV);
    assertThat(info.format().mimeType()).isEqualTo("audio/wav");
    assertThat(info.duration()).isEqualTo(Duration.ofMillis(1234));
    assertThat(info.sampleRate()).isEqualTo(16000);
    assertThat(info.channels()).isEqualTo(1);
    assertThat(info.sizeBytes()).isEqualTo(Files.size(wav));
  }

  @Test
  void probeAudio_whenStereoWav_readsTwoChannels() {
    AudioInfo info = probe.probeAudio(TestMedia.wav(dir, "stereo.wav", 44100, 2, 44100));

    assertThat(info.channels()).isEqualTo(2);
    assertThat(info.sampleRate()).isEqualTo(44100);
    assertThat(info.duration()).isEqualTo(Duration.ofSeconds(1));
  }

  /** Durations from ffprobe; lossy encoders pad a few ms, so compare within a tolerance. */
  @ParameterizedTest
  @CsvSource({
    "tone.mp3,        MP3,  1567, 22050, 1",
    "tone-no-id3.mp3, MP3,  1567, 22050, 1",
    "tone.flac,       FLAC, 1250, 16000, 1",
    "tone.ogg,        OGG,  2000, 44100, 2",
    "tone.opus,       OGG,  1500, 48000, 1",
    "tone.m4a,        M4A,  1000, 24000, 1",
  })
  void probeAudio_whenEncodedFixture_readsFormatDurationRateAndChannels(
      String resource, AudioFormat format, long millis, int sampleRate, int channels) {
    AudioInfo info = probe.probeAudio(TestMedia.resource(resource, dir, resource));

    assertThat(info.format()).isEqualTo(format);
    assertThat(info.duration().toMillis()).isBetween(millis - 30, millis + 30);
    assertThat(info.sampleRate()).isEqualTo(sampleRate);
    assertThat(info.channels()).isEqualTo(channels);
  }

  @Test
  void probeAudio_whenWavNamedMp3_reportsWav() {
    Path wav = TestMedia.wav(dir, "speech.wav", 16000, 1, 16000);
    Path named = TestMedia.write(dir.resolve("speech.mp3"), TestMedia.bytes(wav));

    AudioInfo info = probe.probeAudio(named);

    assertThat(info.format()).isEqualTo(AudioFormat.WAV);
    assertThat(info.duration()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void probeAudio_whenOggNamedM4a_reportsOgg() {
    assertThat(probe.probeAudio(TestMedia.resource("tone.ogg", dir, "tone.m4a")).format())
        .isEqualTo(AudioFormat.OGG);
  }

  @Test
  void probeAudio_whenTextNamedWav_rejectsAsNotAudio() {
    Path notes = TestMedia.text(dir, "notes.wav", "Say hello to the demo audience.\n");

    assertThatThrownBy(() -> probe.probeAudio(notes))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Audio 'notes.wav' is not a WAV, MP3, FLAC, OGG or M4A audio file (its content looks like text). "
                + "Export the speech as WAV, MP3, FLAC, OGG or M4A.");
  }

  @Test
  void probeAudio_whenImage_saysItLooksLikeAnImage() {
    Path png = TestMedia.png(dir, "speech.mp3", 300, 400);

    assertThatThrownBy(() -> probe.probeAudio(png))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Audio 'speech.mp3' is not a WAV, MP3, FLAC, OGG or M4A audio file")
        .hasMessageContaining("looks like a PNG image");
  }

  @Test
  void probeAudio_whenVideo_saysExtractTheSound() {
    Path video = TestMedia.resource("video.mp4", dir, "talk.m4a");

    assertThatThrownBy(() -> probe.probeAudio(video))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Audio 'talk.m4a' is a video, not an audio file.")
        .hasMessageContaining("ffmpeg")
        .hasCauseInstanceOf(org.jaudiotagger.audio.exceptions.CannotReadVideoException.class);
  }

  @Test
  void probeAudio_whenMissing_saysItDoesNotExist() {
    assertThatThrownBy(() -> probe.probeAudio(dir.resolve("nowhere.wav")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Audio 'nowhere.wav' does not exist");
  }

  @Test
  void probeAudio_whenDirectory_saysPassTheFile() throws IOException {
    Path folder = Files.createDirectory(dir.resolve("recordings"));

    assertThatThrownBy(() -> probe.probeAudio(folder))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Audio 'recordings' is a directory, not a file")
        .hasMessageEndingWith("Pass the audio file itself.");
  }

  @Test
  void probeAudio_whenFileSystemSaysUnreadable_saysCheckPermissions() {
    MediaFile.Facts unreadable = new MediaFile.Facts(true, false, true, false, 99);

    assertThatThrownBy(
            () -> MediaFile.check(dir.resolve("locked.wav"), unreadable, MediaKind.AUDIO, 100))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Audio 'locked.wav' cannot be read");
  }

  @Test
  void probeAudio_whenEmpty_saysEmpty() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.wav"));

    assertThatThrownBy(() -> probe.probeAudio(empty))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Audio 'empty.wav' is empty (0 bytes). Export the speech again as WAV, MP3, FLAC, OGG or M4A.");
  }

  @Test
  void probeAudio_whenOverSizeLimit_saysSizeLimitAndHowToRaiseIt() {
    Path wav = TestMedia.wav(dir, "long.wav", 16000, 1, 16000); // 32,044 bytes
    MediaProbe strict = MediaProbe.builder().maxAudioBytes(32_000).build();

    assertThatThrownBy(() -> strict.probeAudio(wav))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Audio 'long.wav' is 0.0 MB (32,044 bytes), over the limit of 0.0 MB (32,000 bytes). "
                + "Use a smaller file, or raise the media probe's maxAudioBytes.");
  }

  @Test
  void probeAudio_whenWavDataCut_saysTruncated() {
    Path whole = TestMedia.wav(dir, "whole.wav", 16000, 1, 16000);
    Path cut = TestMedia.cut(whole, 10_000, dir, "cut.wav");

    assertThatThrownBy(() -> probe.probeAudio(cut))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(
            "Audio 'cut.wav' seems truncated or corrupt: its WAV header promises 32044 bytes "
                + "but the file has 10000");
  }

  @ParameterizedTest
  @CsvSource({
    "tone.mp3, 40",
    "tone-no-id3.mp3, 3",
    "tone.flac, 2000",
    "tone.ogg, 3000",
    "tone.opus, 2000",
    "tone.m4a, 2000",
  })
  void probeAudio_whenEncodedFileCut_saysTruncatedOrCorrupt(String resource, int keep) {
    Path cut =
        TestMedia.cut(
            TestMedia.resource(resource, dir, "whole-" + resource), keep, dir, "cut-" + resource);

    assertThatThrownBy(() -> probe.probeAudio(cut))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Audio 'cut-" + resource + "' seems truncated or corrupt: ");
  }

  @Test
  void probeAudio_whenLibraryFails_keepsItsExceptionAsCause() {
    Path cut = TestMedia.cut(TestMedia.resource("tone.mp3", dir, "whole.mp3"), 40, dir, "cut.mp3");

    assertThatThrownBy(() -> probe.probeAudio(cut))
        .hasCauseInstanceOf(org.jaudiotagger.audio.exceptions.InvalidAudioFrameException.class);
  }

  @Test
  void probeAudio_whenDurationRoundsToZero_saysDurationIsZero() {
    Path silent = TestMedia.write(dir.resolve("nothing.wav"), tinyWavWithJunkChunk(4)); // 0.25 ms

    assertThatThrownBy(() -> probe.probeAudio(silent))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Audio 'nothing.wav' has no sound to speak: its duration is 0 ms. Record or export the speech "
                + "again.");
  }

  /**
   * A 16 kHz mono WAV of a few samples. A padding chunk makes it long enough for jaudiotagger,
   * which refuses files under 100 bytes, and which also refuses a data chunk of zero bytes.
   */
  private static byte[] tinyWavWithJunkChunk(int samples) {
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(44 + 8 + 200 + 2 * samples)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .putInt(b.capacity() - 8)
        .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .putInt(16)
        .putShort((short) 1)
        .putShort((short) 1)
        .putInt(16000)
        .putInt(32000)
        .putShort((short) 2)
        .putShort((short) 16)
        .put("JUNK".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .putInt(200)
        .put(new byte[200])
        .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .putInt(2 * samples);
    return b.array();
  }
}
