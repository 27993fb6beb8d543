package io.openavathar.media;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.InvalidInputException;
import io.openavathar.testkit.internal.Fuzz;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever bytes a file holds, probing it returns or throws {@link InvalidInputException}: valid
 * images and recordings with mutated sizes, lengths and fields, cut short or with noise appended,
 * and plain noise.
 */
class MediaProbePropertyTest {
  private static final MediaProbe PROBE = MediaProbe.builder().minImageShortSide(1).build();
  private static final List<byte[]> IMAGES = new ArrayList<>();
  private static final List<byte[]> RECORDINGS = new ArrayList<>();

  @TempDir static Path dir;
  private final AtomicInteger files = new AtomicInteger();

  @BeforeAll
  static void seeds() {
    IMAGES.add(TestMedia.bytes(TestMedia.png(dir, "seed.png", 40, 30)));
    IMAGES.add(TestMedia.bytes(TestMedia.jpeg(dir, "seed.jpg", 40, 30)));
    for (String webp :
        List.of("portrait-alpha.webp", "portrait-lossless.webp", "portrait-lossy.webp")) {
      IMAGES.add(TestMedia.bytes(TestMedia.resource(webp, dir, webp)));
    }
    RECORDINGS.add(TestMedia.bytes(TestMedia.wav(dir, "seed.wav", 16000, 1, 1600)));
    for (String audio :
        List.of("tone-no-id3.mp3", "tone.mp3", "tone.flac", "tone.m4a", "tone.ogg", "tone.opus")) {
      RECORDINGS.add(TestMedia.bytes(TestMedia.resource(audio, dir, audio)));
    }
  }

  @Test
  void probingAnImageReturnsOrRejectsTheFile() {
    Fuzz.forAll(
        400,
        random -> content(random, IMAGES),
        bytes -> {
          Path file = write(bytes);
          Fuzz.returnsOrThrows(ignored -> PROBE.probeImage(file), InvalidInputException.class);
        });
  }

  @Test
  void probingAudioReturnsOrRejectsTheFile() {
    Fuzz.forAll(
        400,
        random -> content(random, RECORDINGS),
        bytes -> {
          Path file = write(bytes);
          Fuzz.returnsOrThrows(ignored -> PROBE.probeAudio(file), InvalidInputException.class);
        });
  }

  @Test
  void probingAnyMediaAsTheOtherKindRejectsIt() {
    Fuzz.forAll(
        100,
        random -> content(random, random.nextBoolean() ? IMAGES : RECORDINGS),
        bytes -> {
          Path file = write(bytes);
          Fuzz.returnsOrThrows(ignored -> PROBE.probeImage(file), InvalidInputException.class);
          Fuzz.returnsOrThrows(ignored -> PROBE.probeAudio(file), InvalidInputException.class);
        });
  }

  @Test
  void probingMp4BoxesOfAnySizeReturnsOrRejectsTheFile() {
    Fuzz.forAll(
        300,
        MediaProbePropertyTest::boxes,
        bytes -> {
          Path file = write(bytes);
          Fuzz.returnsOrThrows(ignored -> PROBE.probeAudio(file), InvalidInputException.class);
        });
  }

  /**
   * Found by the property above: position + size overflowed, and the next read was at a negative
   * position.
   */
  @Test
  void aBoxWhose64BitSizeOverflowsThePositionIsRejected() throws Exception {
    ByteBuffer bytes = ByteBuffer.allocate(44);
    bytes
        .putInt(20)
        .put("ftypM4A ".getBytes(StandardCharsets.ISO_8859_1))
        .putInt(0)
        .put("M4A ".getBytes(StandardCharsets.ISO_8859_1));
    bytes.putInt(1).put("free".getBytes(StandardCharsets.ISO_8859_1)).putLong(Long.MAX_VALUE - 8);
    Path file = write(bytes.array());

    assertThatThrownBy(() -> PROBE.probeAudio(file))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(
            "its MP4 box 'free' at byte 20 claims 9223372036854775799 bytes but the file has 44");
  }

  /**
   * An {@code ftyp} box, then boxes whose 32- or 64-bit sizes are anything from 0 to the largest
   * long.
   */
  private static byte[] boxes(Random random) {
    ByteBuffer out = ByteBuffer.allocate(4096);
    out.putInt(20)
        .put("ftypM4A ".getBytes(StandardCharsets.ISO_8859_1))
        .putInt(0)
        .put("M4A ".getBytes(StandardCharsets.ISO_8859_1));
    int count = 1 + random.nextInt(4);
    for (int i = 0; i < count && out.remaining() > 200; i++) {
      long size =
          switch (random.nextInt(6)) {
            case 0 -> random.nextInt(8);
            case 1 -> Long.MAX_VALUE - random.nextInt(64);
            case 2 -> random.nextLong();
            case 3 -> 0xFFFFFFFFL;
            default -> 8 + random.nextInt(64);
          };
      boolean large = size > 0xFFFFFFFFL || size < 0 || random.nextInt(4) == 0;
      out.putInt(large ? 1 : (int) size).put("free".getBytes(StandardCharsets.ISO_8859_1));
      if (large) {
        out.putLong(size);
      }
      out.put(new byte[random.nextInt(64)]);
    }
    return Arrays.copyOf(out.array(), out.position());
  }

  /** Mostly a mutated seed; sometimes the seed's first bytes followed by noise, or noise alone. */
  private static byte[] content(Random random, List<byte[]> seeds) {
    byte[] seed = seeds.get(random.nextInt(seeds.size()));
    switch (random.nextInt(10)) {
      case 0:
        return Fuzz.bytes(random, 2048);
      case 1:
        {
          byte[] noise = Fuzz.bytes(random, 4096);
          int keep = Math.min(seed.length, 16 + random.nextInt(64));
          byte[] out = new byte[keep + noise.length];
          System.arraycopy(seed, 0, out, 0, keep);
          System.arraycopy(noise, 0, out, keep, noise.length);
          return out;
        }
      default:
        return Fuzz.mutate(random, seed);
    }
  }

  private Path write(byte[] bytes) throws Exception {
    return Files.write(dir.resolve("try-" + files.incrementAndGet()), bytes);
  }
}
