package io.openavathar.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Makes media files for tests: PNG, JPEG and WAV with the JDK, the other formats copied from test
 * resources.
 */
final class TestMedia {
  private TestMedia() {}

  static Path png(Path dir, String name, int width, int height) {
    return image(dir, name, "png", width, height);
  }

  static Path jpeg(Path dir, String name, int width, int height) {
    return image(dir, name, "jpg", width, height);
  }

  private static Path image(Path dir, String name, String type, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(0xCFE3F0));
    g.fillRect(0, 0, width, height);
    g.setColor(new Color(0xF2C7A5));
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    Path file = dir.resolve(name);
    try {
      if (!ImageIO.write(image, type, file.toFile())) {
        throw new IllegalStateException("no ImageIO writer for " + type);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** A 16-bit PCM WAV holding a 440 Hz tone of exactly {@code frames} sample frames. */
  static Path wav(Path dir, String name, int sampleRate, int channels, int frames) {
    ByteBuffer pcm = ByteBuffer.allocate(frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < frames; i++) {
      short sample = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / sampleRate));
      for (int c = 0; c < channels; c++) {
        pcm.putShort(sample);
      }
    }
    javax.sound.sampled.AudioFormat format =
        new javax.sound.sampled.AudioFormat(sampleRate, 16, channels, true, false);
    Path file = dir.resolve(name);
    try (AudioInputStream in =
        new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, frames)) {
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Copies {@code media/<resource>} from the test resources to {@code dir/name}. */
  static Path resource(String resource, Path dir, String name) {
    Path file = dir.resolve(name);
    try (InputStream in = TestMedia.class.getResourceAsStream("/media/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource media/" + resource);
      }
      Files.copy(in, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  static Path text(Path dir, String name, String content) {
    return write(dir.resolve(name), content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** A copy of {@code source} holding only its first {@code length} bytes. */
  static Path cut(Path source, int length, Path dir, String name) {
    try {
      return write(dir.resolve(name), Arrays.copyOf(Files.readAllBytes(source), length));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path write(Path file, byte[] content) {
    try {
      return Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
