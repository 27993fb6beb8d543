package io.openavathar.testkit.comfy;

import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.logging.Level;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the length of an uploaded audio file with jaudiotagger (MP3, WAV, FLAC, M4A, OGG by
 * extension).
 */
final class AudioDuration {

  private static final Logger LOG = LoggerFactory.getLogger(AudioDuration.class);

  /** jaudiotagger logs through java.util.logging at INFO; held strongly so the level sticks. */
  private static final java.util.logging.Logger JAUDIOTAGGER =
      java.util.logging.Logger.getLogger("org.jaudiotagger");

  static {
    JAUDIOTAGGER.setLevel(Level.OFF);
  }

  private AudioDuration() {}

  /** The duration in seconds, or empty when the file cannot be read as audio. */
  static OptionalDouble seconds(Path file) {
    try {
      AudioFile audio = AudioFileIO.read(file.toFile());
      double seconds = audio.getAudioHeader().getPreciseTrackLength();
      return seconds > 0 ? OptionalDouble.of(seconds) : OptionalDouble.empty();
    } catch (Exception | LinkageError e) {
      LOG.debug("Cannot read the audio length of {}: {}", file.getFileName(), e.toString());
      return OptionalDouble.empty();
    }
  }
}
