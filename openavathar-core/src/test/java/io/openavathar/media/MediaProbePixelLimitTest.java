package io.openavathar.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pixel cap: what an image's headers declare is checked before anything decodes it. */
class MediaProbePixelLimitTest {
  @TempDir Path dir;

  @Test
  void create_capsImagesAt40Megapixels() {
    assertThat(MediaProbe.create().maxImagePixels()).isEqualTo(40_000_000);
  }

  @Test
  void builder_setsThePixelCap_andRefusesNonPositive() {
    MediaProbe probe = MediaProbe.builder().maxImagePixels(7).build();

    assertThat(probe.maxImagePixels()).isEqualTo(7);
    assertThat(probe.toBuilder().build()).isEqualTo(probe).hasSameHashCodeAs(probe);
    assertThat(probe.toBuilder().maxImagePixels(8).build()).isNotEqualTo(probe);
    assertThat(probe.toString()).contains("maxImagePixels=7");
    assertThatThrownBy(() -> MediaProbe.builder().maxImagePixels(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxImagePixels must be positive, was 0");
  }

  @Test
  void probeImage_whenPngDeclares400Megapixels_refusesNamingSizeAndLimit() {
    // Small on disk (the probe never reads the pixel data), 1.2 GB once decoded.
    Path huge = declaredPng("huge.png", 20_000, 20_000);

    assertThatThrownBy(() -> MediaProbe.create().probeImage(huge))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Image 'huge.png' is 20000x20000 px (400.0 megapixels); the limit is 40.0 megapixels. Scale it "
                + "down (the video is at most 832 px on its long side), or raise the limit with "
                + "MediaProbe.builder().maxImagePixels(...).");
  }

  @Test
  void probeImage_whenPngDeclaresTheLargestPngSize_refusesWithoutOverflow() {
    Path max = declaredPng("max.png", Integer.MAX_VALUE, Integer.MAX_VALUE);

    assertThatThrownBy(() -> MediaProbe.create().probeImage(max))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(
            "Image 'max.png' is 2147483647x2147483647 px (4611686014132.4 megapixels)");
  }

  @Test
  void probeImage_whenPngDeclares2To31Squared_refusesIt() {
    // 2^31 is over PNG's own limit (2^31 - 1): the header is corrupt.
    Path over = declaredPng("over.png", 1L << 31, 1L << 31);

    assertThatThrownBy(() -> MediaProbe.create().probeImage(over))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Image 'over.png' seems truncated or corrupt");
  }

  @Test
  void probeImage_atTheCap_acceptsIt_andOneMorePixelIsRefused() {
    Path image = TestMedia.png(dir, "portrait.png", 300, 400);

    assertThat(MediaProbe.builder().maxImagePixels(120_000).build().probeImage(image).height())
        .isEqualTo(400);
    assertThatThrownBy(() -> MediaProbe.builder().maxImagePixels(119_999).build().probeImage(image))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(
            "Image 'portrait.png' is 300x400 px (0.1 megapixels); the limit is 0.1 megapixels");
  }

  /**
   * A well-formed PNG whose header declares {@code width x height} (8-bit grey) and whose data is
   * one empty row.
   */
  private Path declaredPng(String name, long width, long height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    chunk(
        out,
        "IHDR",
        ByteBuffer.allocate(13)
            .putInt((int) width)
            .putInt((int) height)
            .put(new byte[] {8, 0, 0, 0, 0})
            .array());
    Deflater deflater = new Deflater();
    deflater.setInput(new byte[1]);
    deflater.finish();
    byte[] idat = new byte[64];
    int length = deflater.deflate(idat);
    deflater.end();
    chunk(out, "IDAT", java.util.Arrays.copyOf(idat, length));
    chunk(out, "IEND", new byte[0]);
    return TestMedia.write(dir.resolve(name), out.toByteArray());
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
