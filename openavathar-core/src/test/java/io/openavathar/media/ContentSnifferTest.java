package io.openavathar.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.media.ContentSniffer.Content;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentSnifferTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "portrait-lossy.webp, WEBP",
    "tone.mp3,            MP3",
    "tone-no-id3.mp3,     MP3",
    "tone.flac,           FLAC",
    "tone.ogg,            OGG_VORBIS",
    "tone.opus,           OGG_OPUS",
    "tone.m4a,            MP4",
  })
  void sniff_whenFixture_findsItsContentWhateverItsName(String resource, Content content)
      throws IOException {
    assertThat(sniff(TestMedia.resource(resource, dir, "renamed.bin")).content())
        .isEqualTo(content);
  }

  @Test
  void sniff_whenFlacBehindId3Tag_findsFlac() throws IOException {
    byte[] flac = TestMedia.bytes(TestMedia.resource("tone.flac", dir, "tone.flac"));
    byte[] tag = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 20};
    byte[] tagged = new byte[tag.length + 20 + flac.length];
    System.arraycopy(tag, 0, tagged, 0, tag.length);
    System.arraycopy(flac, 0, tagged, tag.length + 20, flac.length);

    assertThat(sniff(TestMedia.write(dir.resolve("tagged.flac"), tagged)).content())
        .isEqualTo(Content.FLAC);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "GIF89a.......................       | a GIF image",
        "%PDF-1.7 .....................      | a PDF document",
        "<svg xmlns='http://www.w3.org/2000/svg'/> | text",
        "Grüße aus Köln, ein Textdokument.   | text",
      })
  void sniff_whenOtherContent_describesIt(String content, String description) throws IOException {
    Path file = TestMedia.write(dir.resolve("x.png"), content.getBytes(StandardCharsets.UTF_8));

    ContentSniffer.Sniffed sniffed = sniff(file);

    assertThat(sniffed.content()).isEqualTo(Content.OTHER);
    assertThat(sniffed.description()).isEqualTo(description);
  }

  @Test
  void sniff_whenHeicImage_saysHeic() throws IOException {
    byte[] heic = {
      0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0, 'm', 'i', 'f', '1', 'h', 'e',
      'i', 'c'
    };

    assertThat(sniff(TestMedia.write(dir.resolve("x.jpg"), heic)).description())
        .isEqualTo("a HEIC/HEIF image");
  }

  @Test
  void sniff_whenBinaryNoise_isNotText() throws IOException {
    byte[] noise = {1, 2, 3, (byte) 0xC3, 0x28, 9, 0, 7, 8, 9, 10, 11, 12, 13};

    assertThat(sniff(TestMedia.write(dir.resolve("x.bin"), noise)).description())
        .isEqualTo("binary data of an unknown kind");
  }

  @Test
  void isMpegLayer3Frame_rejectsAdtsAacAndReservedValues() {
    assertThat(ContentSniffer.isMpegLayer3Frame(new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90}))
        .isTrue();
    assertThat(ContentSniffer.isMpegLayer3Frame(new byte[] {(byte) 0xFF, (byte) 0xF1, (byte) 0x50}))
        .isFalse();
    assertThat(ContentSniffer.isMpegLayer3Frame(new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0xF0}))
        .isFalse();
  }

  @Test
  void channels_readsNumbersAndMp3ModeNames() {
    assertThat(AudioHeaders.channels("1")).isEqualTo(1);
    assertThat(AudioHeaders.channels("2")).isEqualTo(2);
    assertThat(AudioHeaders.channels("Mono")).isEqualTo(1);
    assertThat(AudioHeaders.channels("Joint Stereo")).isEqualTo(2);
    assertThat(AudioHeaders.channels("Dual")).isEqualTo(2);
    assertThat(AudioHeaders.channels("surround?")).isZero();
  }

  private static ContentSniffer.Sniffed sniff(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return ContentSniffer.sniff(channel);
    }
  }
}
