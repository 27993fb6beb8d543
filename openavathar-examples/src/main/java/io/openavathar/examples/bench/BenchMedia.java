package io.openavathar.examples.bench;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Inputs for benchmarks: the bundled portrait and silent speech of a given length. */
final class BenchMedia {
  private BenchMedia() {}

  /** Copies the bundled sample portrait to {@code file}. */
  static Path portrait(Path file) throws Exception {
    try (InputStream in =
        BenchMedia.class.getResourceAsStream("/io/openavathar/examples/sample-portrait.png")) {
      Files.copy(in, file);
    }
    return file;
  }

  /** A 16 kHz mono WAV of {@code seconds} of silence (the simulators only read its length). */
  static Path silence(Path file, double seconds) throws Exception {
    int rate = 16_000;
    int frames = (int) (seconds * rate);
    byte[] pcm = new byte[frames * 2];
    AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
    try (AudioInputStream in =
        new AudioInputStream(new ByteArrayInputStream(pcm), format, frames)) {
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
    }
    return file;
  }
}
