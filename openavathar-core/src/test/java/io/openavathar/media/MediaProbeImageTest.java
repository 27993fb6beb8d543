package io.openavathar.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.openavathar.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaProbeImageTest {
  private final MediaProbe probe = MediaProbe.create();

  @TempDir Path dir;

  @Test
  void probeImage_whenPng_readsFormatSizeAndBytes() throws IOException {
    Path png = TestMedia.png(dir, "portrait.png", 512, 768);

    ImageInfo info = probe.probeImage(png);

    assertThat(info.file()).isEqualTo(png);
    assertThat(info.format()).isEqualTo(ImageFormat.PNG);
    assertThat(info.format().mimeType()).isEqualTo("image/png");
    assertThat(info.width()).isEqualTo(512);
    assertThat(info.height()).isEqualTo(768);
    assertThat(info.sizeBytes()).isEqualTo(Files.size(png));
    assertThat(info.isPortrait()).isTrue();
  }

  @Test
  void probeImage_whenLandscapeJpeg_readsSizeAndIsNotPortrait() {
    ImageInfo info = probe.probeImage(TestMedia.jpeg(dir, "wide.jpg", 640, 480));

    assertThat(info.format()).isEqualTo(ImageFormat.JPEG);
    assertThat(info.width()).isEqualTo(640);
    assertThat(info.height()).isEqualTo(480);
    assertThat(info.isPortrait()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "portrait-lossy.webp, 320, 480",
    "portrait-lossless.webp, 288, 432",
    "portrait-alpha.webp, 300, 450"
  })
  void probeImage_whenWebp_readsLossyLosslessAndExtendedHeaders(
      String resource, int width, int height) {
    ImageInfo info = probe.probeImage(TestMedia.resource(resource, dir, resource));

    assertThat(info.format()).isEqualTo(ImageFormat.WEBP);
    assertThat(info.width()).isEqualTo(width);
    assertThat(info.height()).isEqualTo(height);
  }

  @Test
  void probeImage_whenNameSaysJpegButContentIsPng_reportsPng() {
    Path png = TestMedia.png(dir, "in-disguise.png", 300, 400);
    Path named = TestMedia.write(dir.resolve("photo.jpg"), TestMedia.bytes(png));

    assertThat(probe.probeImage(named).format()).isEqualTo(ImageFormat.PNG);
  }

  @Test
  void probeImage_whenJpegSaysRotateQuarterTurn_reportsDisplayedSize() {
    byte[] jpeg = TestMedia.bytes(TestMedia.jpeg(dir, "stored-landscape.jpg", 400, 300));
    Path rotated = TestMedia.write(dir.resolve("rotated.jpg"), withExifOrientation(jpeg, 6));

    ImageInfo info = probe.probeImage(rotated);

    assertThat(info.width()).isEqualTo(300);
    assertThat(info.height()).isEqualTo(400);
    assertThat(info.isPortrait()).isTrue();
  }

  @Test
  void probeImage_whenJpegHasDataAfterItsEnd_acceptsIt() {
    // Like a phone's "motion photo": a whole JPEG with other data appended after its end marker.
    byte[] jpeg = TestMedia.bytes(TestMedia.jpeg(dir, "still.jpg", 300, 400));
    byte[] appended = new byte[5000];
    Arrays.fill(appended, (byte) 0x42);
    Path motion = TestMedia.write(dir.resolve("motion.jpg"), concat(jpeg, appended));

    assertThat(probe.probeImage(motion).height()).isEqualTo(400);
  }

  @Test
  void probeImage_whenTextNamedPng_rejectsAsNotAnImage() {
    Path notes = TestMedia.text(dir, "notes.png", "Remember: the portrait should be a PNG.\n");

    assertThatThrownBy(() -> probe.probeImage(notes))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Image 'notes.png' is not a PNG, JPEG or WebP image (its content looks like text). "
                + "Export the portrait as PNG, JPEG or WebP.");
  }

  @Test
  void probeImage_whenAudioFile_saysItLooksLikeAudio() {
    Path wav = TestMedia.wav(dir, "speech.png", 16000, 1, 1600);

    assertThatThrownBy(() -> probe.probeImage(wav))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Image 'speech.png' is not a PNG, JPEG or WebP image")
        .hasMessageContaining("looks like WAV audio");
  }

  @Test
  void probeImage_whenGif_namesTheFormatItFound() {
    Path gif =
        TestMedia.write(
            dir.resolve("face.png"),
            "GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> probe.probeImage(gif)).hasMessageContaining("looks like a GIF image");
  }

  @Test
  void probeImage_whenMissing_saysItDoesNotExist() {
    Path missing = dir.resolve("nowhere.png");

    assertThatThrownBy(() -> probe.probeImage(missing))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Image 'nowhere.png' does not exist")
        .hasMessageContaining(missing.toAbsolutePath().toString())
        .hasMessageEndingWith("Check the path.");
  }

  @Test
  void probeImage_whenDirectory_saysPassTheFile() throws IOException {
    Path folder = Files.createDirectory(dir.resolve("photos"));

    assertThatThrownBy(() -> probe.probeImage(folder))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Image 'photos' is a directory, not a file")
        .hasMessageEndingWith("Pass the image file itself.");
  }

  @Test
  void probeImage_whenFileSystemSaysUnreadable_saysCheckPermissions() {
    Path file = dir.resolve("locked.png");
    MediaFile.Facts unreadable = new MediaFile.Facts(true, false, true, false, 1234);

    assertThatThrownBy(() -> MediaFile.check(file, unreadable, MediaKind.IMAGE, 50_000_000))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Image 'locked.png' cannot be read")
        .hasMessageContaining("permissions");
  }

  @Test
  void probeImage_whenPermissionsForbidReading_saysCheckPermissions() throws IOException {
    assumeTrue(
        !"root".equals(System.getProperty("user.name")),
        "root reads every file; the test above covers it");
    Path png = TestMedia.png(dir, "locked.png", 300, 400);
    Files.setPosixFilePermissions(png, PosixFilePermissions.fromString("---------"));

    assertThatThrownBy(() -> probe.probeImage(png))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Image 'locked.png' cannot be read");
  }

  @Test
  void probeImage_whenNotOnDefaultFileSystem_saysCopyItLocally() throws IOException {
    URI zip = URI.create("jar:" + dir.resolve("images.zip").toUri());
    try (FileSystem zipFs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
      Path inZip =
          Files.write(
              zipFs.getPath("face.png"), TestMedia.bytes(TestMedia.png(dir, "face.png", 300, 400)));

      assertThatThrownBy(() -> probe.probeImage(inZip))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("not on the default file system")
          .hasMessageContaining("Copy it to a local file first");
    }
  }

  @Test
  void probeImage_whenEmpty_saysEmpty() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.jpg"));

    assertThatThrownBy(() -> probe.probeImage(empty))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Image 'empty.jpg' is empty (0 bytes). Export the portrait again as PNG, JPEG or WebP.");
  }

  @Test
  void probeImage_whenOverSizeLimit_saysSizeLimitAndHowToRaiseIt() throws IOException {
    Path png = TestMedia.png(dir, "big.png", 300, 400);
    long size = Files.size(png);
    MediaProbe strict = MediaProbe.builder().maxImageBytes(1000).build();

    assertThatThrownBy(() -> strict.probeImage(png))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Image 'big.png' is ")
        .hasMessageContaining(String.format(java.util.Locale.ROOT, "(%,d bytes)", size))
        .hasMessageContaining("over the limit of 0.0 MB (1,000 bytes)")
        .hasMessageContaining("raise the media probe's maxImageBytes.");
  }

  @Test
  void probeImage_whenPngCutAfter100Bytes_saysTruncatedAndKeepsCause() {
    Path cut = TestMedia.cut(TestMedia.png(dir, "whole.png", 300, 400), 100, dir, "cut.png");

    assertThatThrownBy(() -> probe.probeImage(cut))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Image 'cut.png' seems truncated or corrupt")
        .hasCauseInstanceOf(java.io.EOFException.class);
  }

  @Test
  void probeImage_whenPngLosesItsEndChunk_saysTruncated() {
    Path whole = TestMedia.png(dir, "whole.png", 300, 400);
    Path cut = TestMedia.cut(whole, TestMedia.bytes(whole).length - 12, dir, "no-end.png");

    assertThatThrownBy(() -> probe.probeImage(cut))
        .hasMessageContaining("seems truncated or corrupt");
  }

  @Test
  void probeImage_whenPngHeaderIsGarbage_saysCorruptAndKeepsCause() {
    byte[] png = TestMedia.bytes(TestMedia.png(dir, "whole.png", 300, 400));
    Arrays.fill(png, 8, 40, (byte) 0xEE); // keep the signature, spoil IHDR
    Path spoiled = TestMedia.write(dir.resolve("spoiled.png"), png);

    assertThatThrownBy(() -> probe.probeImage(spoiled))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("seems truncated or corrupt");
  }

  @Test
  void probeImage_whenJpegCutInItsPixelData_saysTruncated() {
    Path whole = TestMedia.jpeg(dir, "whole.jpg", 300, 400);
    Path cut = TestMedia.cut(whole, TestMedia.bytes(whole).length * 2 / 3, dir, "cut.jpg");

    assertThatThrownBy(() -> probe.probeImage(cut))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Image 'cut.jpg' seems truncated or corrupt: its JPEG data ends before the end-of-image marker. "
                + "Copy the file again or export the portrait again as PNG, JPEG or WebP.");
  }

  @Test
  void probeImage_whenJpegCutInItsHeaders_saysTruncated() {
    Path cut = TestMedia.cut(TestMedia.jpeg(dir, "whole.jpg", 300, 400), 40, dir, "cut.jpg");

    assertThatThrownBy(() -> probe.probeImage(cut))
        .hasMessageContaining("seems truncated or corrupt");
  }

  @Test
  void probeImage_whenWebpCut_saysTruncated() {
    Path whole = TestMedia.resource("portrait-lossy.webp", dir, "whole.webp");
    Path cut = TestMedia.cut(whole, 1500, dir, "cut.webp");

    assertThatThrownBy(() -> probe.probeImage(cut))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(
            "Image 'cut.webp' seems truncated or corrupt: its WebP header promises");
  }

  @Test
  void probeImage_whenShortSideBelowMinimum_saysSizeAndMinimum() {
    Path small = TestMedia.png(dir, "small.png", 200, 180);

    assertThatThrownBy(() -> probe.probeImage(small))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(
            "Image 'small.png' is 200x180 px; the short side must be at least 256 px.")
        .hasMessageContaining("lower the media probe's minImageShortSide.");
  }

  @Test
  void probeImage_whenMinimumLowered_acceptsSmallImage() {
    Path small = TestMedia.png(dir, "small.png", 200, 180);

    ImageInfo info = MediaProbe.builder().minImageShortSide(180).build().probeImage(small);

    assertThat(info.width()).isEqualTo(200);
  }

  /**
   * Puts an EXIF APP1 segment holding only an orientation tag right after the JPEG's start marker.
   */
  private static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    byte[] exif = {
      (byte) 0xFF,
      (byte) 0xE1,
      0,
      34,
      'E',
      'x',
      'i',
      'f',
      0,
      0, // APP1, length, Exif header
      'M',
      'M',
      0,
      42,
      0,
      0,
      0,
      8, // big-endian TIFF header, IFD0 at offset 8
      0,
      1,
      0x01,
      0x12,
      0,
      3,
      0,
      0,
      0,
      1,
      0,
      (byte) orientation,
      0,
      0, // one entry: Orientation, SHORT, 1 value
      0,
      0,
      0,
      0 // no next IFD
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.writeBytes(exif);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
