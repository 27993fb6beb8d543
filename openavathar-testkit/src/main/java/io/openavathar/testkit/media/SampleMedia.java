package io.openavathar.testkit.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * Small inputs for tests and demos, so that a first test needs no hand-made PNG or WAV:
 *
 * <pre>{@code
 * GenerationRequest request = GenerationRequest.builder()
 *         .image(SampleMedia.portrait())      // 512x768 PNG
 *         .audio(SampleMedia.speech())        // 3 s of speech, 16 kHz mono WAV
 *         .build();
 * }</pre>
 *
 * <p>{@link #path()} (and the shortcuts {@link #portrait()}, {@link #landscape()}, {@link
 * #speech()}) return a copy in a temporary directory shared by the JVM and deleted when it exits;
 * {@link #copyTo(Path)} puts one where a test wants it (a {@code @TempDir}), and {@link #open()}
 * streams the bytes.
 *
 * <p>Licence: the OpenAvathar project made every file itself with {@code
 * tools/make-sample-media.sh} (ImageMagick draws the face, espeak-ng speaks, ffmpeg encodes;
 * nothing is taken from elsewhere) and dedicates them to the public domain (CC0 1.0): use them for
 * anything, without attribution.
 */
public enum SampleMedia {
  /** A drawn portrait, 512x768, PNG. */
  PORTRAIT_PNG("portrait.png"),
  /** The same portrait, 512x768, baseline JPEG. */
  PORTRAIT_JPEG("portrait.jpg"),
  /** The portrait on a wide background, 832x480, PNG: a landscape video. */
  LANDSCAPE_PNG("landscape.png"),
  /** About 3 s of synthetic English speech, 16 kHz mono 16-bit PCM WAV. */
  SPEECH_WAV("speech-3s.wav"),
  /** The same speech, 22.05 kHz mono MP3. */
  SPEECH_MP3("speech-3s.mp3");

  private final String fileName;

  SampleMedia(String fileName) {
    this.fileName = fileName;
  }

  /**
   * The file's name, for example {@code portrait.png}.
   *
   * @return the file name
   */
  public String fileName() {
    return fileName;
  }

  /**
   * The bytes of the file; the caller closes the stream.
   *
   * @return a new stream over the bundled resource
   */
  public InputStream open() {
    InputStream in = SampleMedia.class.getResourceAsStream(fileName);
    if (in == null) {
      throw new IllegalStateException(
          "the testkit jar lacks " + fileName + "; rebuild openavathar-testkit");
    }
    return in;
  }

  /**
   * Copies the file into {@code directory} (created if missing) under {@link #fileName()},
   * replacing it.
   *
   * @param directory the target directory
   * @return the copied file
   */
  public Path copyTo(Path directory) {
    Objects.requireNonNull(directory, "directory");
    try (InputStream in = open()) {
      Files.createDirectories(directory);
      Path target = directory.resolve(fileName);
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("could not copy " + fileName + " to " + directory, e);
    }
  }

  /**
   * A copy in a temporary directory shared by this JVM (made on first use, deleted at exit).
   *
   * @return the path of the shared copy; do not modify the file
   */
  public Path path() {
    return Shared.DIRECTORY.get(this);
  }

  /**
   * {@link #PORTRAIT_PNG}'s {@link #path()}.
   *
   * @return the path of a copy of the sample portrait
   */
  public static Path portrait() {
    return PORTRAIT_PNG.path();
  }

  /**
   * {@link #LANDSCAPE_PNG}'s {@link #path()}.
   *
   * @return the path of a copy of the sample landscape image
   */
  public static Path landscape() {
    return LANDSCAPE_PNG.path();
  }

  /**
   * {@link #SPEECH_WAV}'s {@link #path()}.
   *
   * @return the path of a copy of the sample speech
   */
  public static Path speech() {
    return SPEECH_WAV.path();
  }

  /** The JVM's copies, made once each. */
  private static final class Shared {
    static final Shared DIRECTORY = new Shared();
    private Path directory;

    synchronized Path get(SampleMedia sample) {
      try {
        if (directory == null) {
          directory = Files.createTempDirectory("openavathar-samples-");
          directory.toFile().deleteOnExit();
        }
        Path file = directory.resolve(sample.fileName);
        if (!Files.exists(file)) {
          sample.copyTo(directory).toFile().deleteOnExit();
        }
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException(
            "could not make a temporary directory for the sample media", e);
      }
    }
  }
}
