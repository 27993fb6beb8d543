package io.openavathar.media;

import io.openavathar.media.ContentSniffer.Sniffed;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.audio.AudioHeader;
import org.jaudiotagger.audio.exceptions.CannotReadException;
import org.jaudiotagger.audio.exceptions.CannotReadVideoException;
import org.jaudiotagger.audio.exceptions.InvalidAudioFrameException;
import org.jaudiotagger.audio.exceptions.ReadOnlyFileException;
import org.jaudiotagger.tag.TagException;

/**
 * Reads an audio file's duration, sample rate and channels from its headers, with jaudiotagger for
 * WAV, MP3, FLAC, Ogg Vorbis and M4A and with {@link OggPages} for Ogg Opus, which jaudiotagger
 * 3.0.1 cannot read.
 *
 * <p>The sniffed content picks the reader ({@code readFileAs(file, "wav")}), never the file's name.
 * jaudiotagger trusts sizes written in headers, so the checks it leaves out are done here: a WAV
 * whose data chunk runs past the end of the file, an M4A cut inside its media data ({@link
 * IsoBoxes}), an Ogg file whose last page is cut ({@link OggPages}).
 */
final class AudioHeaders {
  /**
   * jaudiotagger reports every oddity it meets through java.util.logging, at levels up to SEVERE,
   * which a plain JVM prints to stderr: noise for users, since every problem that matters reaches
   * them as an InvalidInputException. We turn off the "org.jaudiotagger" logger tree only, and only
   * if the application has not set its level itself. The field keeps the logger strongly reachable:
   * JUL holds loggers weakly and a collected one forgets its level.
   */
  private static final Logger JAUDIOTAGGER_LOG = quiet(Logger.getLogger("org.jaudiotagger"));

  /** What the headers say. */
  record Stream(AudioFormat format, double seconds, int sampleRate, int channels) {}

  private AudioHeaders() {}

  static Stream read(Path file, FileChannel channel, Sniffed sniffed, long size)
      throws IOException {
    switch (sniffed.content()) {
      case WAV:
        long riffEnd = ContentSniffer.u32le(sniffed.head(), 4) + 8;
        if (riffEnd > size) {
          throw MediaKind.AUDIO.corrupt(
              file, "its WAV header promises " + riffEnd + " bytes but the file has " + size, null);
        }
        return viaJaudiotagger(file, AudioFormat.WAV, size);
      case MP3:
        return viaJaudiotagger(file, AudioFormat.MP3, size);
      case FLAC:
        return viaJaudiotagger(file, AudioFormat.FLAC, size);
      case OGG_VORBIS:
        requireWholeOgg(file, channel, size);
        return viaJaudiotagger(file, AudioFormat.OGG, size);
      case OGG_OPUS:
        return opus(file, channel, sniffed, size);
      case MP4:
        String problem = IsoBoxes.problem(channel, size);
        if (problem != null) {
          throw MediaKind.AUDIO.corrupt(file, problem, null);
        }
        return viaJaudiotagger(file, AudioFormat.M4A, size);
      default:
        throw MediaKind.AUDIO.unrecognised(file, sniffed.description(), size);
    }
  }

  private static Stream viaJaudiotagger(Path file, AudioFormat format, long size)
      throws IOException {
    MediaKind kind = MediaKind.AUDIO;
    AudioFile audio;
    try {
      // A new AudioFileIO per call: its readers are not documented as thread-safe, and they are
      // cheap.
      audio = new AudioFileIO().readFileAs(file.toFile(), format.fileExtension());
    } catch (CannotReadVideoException e) {
      throw kind.problem(
          file,
          "is a video, not an audio file. Extract its sound first, for example with "
              + "'ffmpeg -i video.mp4 -vn speech.wav'.",
          e);
    } catch (EOFException e) {
      throw kind.corrupt(file, "its " + format + " data ends early", e);
    } catch (CannotReadException
        | InvalidAudioFrameException
        | TagException
        | ReadOnlyFileException
        | RuntimeException e) {
      // jaudiotagger also throws assorted runtime exceptions on malformed input; all mean the same
      // to our caller.
      throw kind.corrupt(file, "its " + format + " headers cannot be read", e);
    }
    AudioHeader header = audio.getAudioHeader();
    if (header == null) {
      throw kind.corrupt(file, "it has no " + format + " audio header", null);
    }
    Long start = header.getAudioDataStartPosition();
    Long end = header.getAudioDataEndPosition();
    if (start != null && start >= size) {
      throw kind.corrupt(file, "it ends before its audio data starts (byte " + start + ")", null);
    }
    if (end != null && end > size) {
      throw kind.corrupt(
          file,
          "its header promises audio data up to byte "
              + end
              + " but the file has "
              + size
              + " bytes",
          null);
    }
    int channels = channels(header.getChannels());
    if (channels <= 0 || header.getSampleRateAsNumber() <= 0) {
      throw kind.corrupt(file, "its header gives no usable channel count or sample rate", null);
    }
    return new Stream(
        format, header.getPreciseTrackLength(), header.getSampleRateAsNumber(), channels);
  }

  private static Stream opus(Path file, FileChannel channel, Sniffed sniffed, long size)
      throws IOException {
    OggPages.OpusHead head = OggPages.OpusHead.from(sniffed.head());
    if (head == null || head.channels() == 0) {
      throw MediaKind.AUDIO.corrupt(file, "its Opus header is incomplete", null);
    }
    long granule = requireWholeOgg(file, channel, size);
    double seconds = Math.max(0, granule - head.preSkip()) / (double) OggPages.OPUS_RATE;
    return new Stream(AudioFormat.OGG, seconds, OggPages.OPUS_RATE, head.channels());
  }

  private static long requireWholeOgg(Path file, FileChannel channel, long size)
      throws IOException {
    long granule = OggPages.lastGranule(channel, size);
    if (granule < 0) {
      throw MediaKind.AUDIO.corrupt(file, "its last Ogg page is cut off", null);
    }
    return granule;
  }

  /**
   * jaudiotagger gives "1" or "2" for most formats and "Mono", "Stereo", "Joint Stereo", "Dual
   * Channel" for MP3.
   */
  static int channels(String text) {
    if (text == null) {
      return 0;
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.matches("\\d{1,3}")) {
      return Integer.parseInt(t);
    }
    if (t.contains("mono")) {
      return 1;
    }
    return t.contains("stereo") || t.contains("dual") ? 2 : 0;
  }

  private static Logger quiet(Logger logger) {
    if (logger.getLevel() == null) {
      logger.setLevel(Level.OFF);
    }
    return logger;
  }

  /** For tests: the logger this class quiets. */
  static Logger jaudiotaggerLogger() {
    return JAUDIOTAGGER_LOG;
  }
}
