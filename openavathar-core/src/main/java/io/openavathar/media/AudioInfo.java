package io.openavathar.media;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link MediaProbe#probeAudio(Path)} found in an audio file: its real format, duration,
 * sample rate, channels and size in bytes.
 *
 * <p>Immutable and thread-safe.
 */
public final class AudioInfo {
  private final Path file;
  private final AudioFormat format;
  private final Duration duration;
  private final int sampleRate;
  private final int channels;
  private final long sizeBytes;

  AudioInfo(
      Path file,
      AudioFormat format,
      Duration duration,
      int sampleRate,
      int channels,
      long sizeBytes) {
    this.file = Objects.requireNonNull(file, "file");
    this.format = Objects.requireNonNull(format, "format");
    this.duration = Objects.requireNonNull(duration, "duration");
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.sizeBytes = sizeBytes;
  }

  /**
   * The file that was probed, as the caller named it.
   *
   * @return the file
   */
  public Path file() {
    return file;
  }

  /**
   * The format found in the file's content, whatever its name says.
   *
   * @return the format
   */
  public AudioFormat format() {
    return format;
  }

  /**
   * How long the audio plays, to the millisecond. Exact for WAV, FLAC, Ogg and M4A; for MP3 without
   * a VBR header it is estimated from the bit rate, as every player does.
   *
   * @return the duration
   */
  public Duration duration() {
    return duration;
  }

  /**
   * Samples per second, for example 16000 or 44100 (48000 for Opus, which always decodes at that
   * rate).
   *
   * @return the sample rate in Hz
   */
  public int sampleRate() {
    return sampleRate;
  }

  /**
   * The number of channels: 1 for mono, 2 for stereo.
   *
   * @return the channel count
   */
  public int channels() {
    return channels;
  }

  /**
   * The file's size in bytes.
   *
   * @return the size in bytes
   */
  public long sizeBytes() {
    return sizeBytes;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AudioInfo)) {
      return false;
    }
    AudioInfo that = (AudioInfo) o;
    return sampleRate == that.sampleRate
        && channels == that.channels
        && sizeBytes == that.sizeBytes
        && file.equals(that.file)
        && format == that.format
        && duration.equals(that.duration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(file, format, duration, sampleRate, channels, sizeBytes);
  }

  @Override
  public String toString() {
    return "AudioInfo{file="
        + file
        + ", format="
        + format
        + ", duration="
        + duration.toMillis()
        + "ms, sampleRate="
        + sampleRate
        + ", channels="
        + channels
        + ", sizeBytes="
        + sizeBytes
        + "}";
  }
}
