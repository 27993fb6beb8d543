package io.openavathar.media;

import io.openavathar.InvalidInputException;
import io.openavathar.media.ContentSniffer.Sniffed;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a portrait image and a speech recording before anything is uploaded, and says what they
 * are.
 *
 * <pre>{@code
 * MediaProbe probe = MediaProbe.create();
 * ImageInfo image = probe.probeImage(Path.of("portrait.jpg"));   // JPEG, 1024x1536
 * AudioInfo audio = probe.probeAudio(Path.of("speech.wav"));     // WAV, 4.88 s, 16000 Hz, mono
 * }</pre>
 *
 * <p>The format is found from the content, never the file name: a WAV named {@code .mp3} is
 * reported as WAV, a text file named {@code .png} is rejected. Only headers are read (and, for a
 * JPEG not ending in its end marker, its marker structure, streamed), never a whole file into
 * memory. Every rejection is an {@link InvalidInputException} whose message names the file, says
 * what is wrong and what to do.
 *
 * <p>Immutable and thread-safe: a probe holds nothing but its limits, so one instance can serve all
 * threads.
 */
public final class MediaProbe {
  private static final Logger LOG = LoggerFactory.getLogger(MediaProbe.class);

  private final long maxImageBytes;
  private final long maxAudioBytes;
  private final int minImageShortSide;
  private final long maxImagePixels;

  private MediaProbe(Builder builder) {
    this.maxImageBytes = builder.maxImageBytes;
    this.maxAudioBytes = builder.maxAudioBytes;
    this.minImageShortSide = builder.minImageShortSide;
    this.maxImagePixels = builder.maxImagePixels;
  }

  /**
   * A probe with the default limits (see {@link Builder}).
   *
   * @return a new probe
   */
  public static MediaProbe create() {
    return builder().build();
  }

  /**
   * A builder starting from the default limits.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from this probe's limits.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder()
        .maxImageBytes(maxImageBytes)
        .maxAudioBytes(maxAudioBytes)
        .minImageShortSide(minImageShortSide)
        .maxImagePixels(maxImagePixels);
  }

  /**
   * The largest image file accepted, in bytes.
   *
   * @return the limit in bytes
   */
  public long maxImageBytes() {
    return maxImageBytes;
  }

  /**
   * The largest audio file accepted, in bytes.
   *
   * @return the limit in bytes
   */
  public long maxAudioBytes() {
    return maxAudioBytes;
  }

  /**
   * The smallest accepted length of an image's shorter side, in pixels.
   *
   * @return the limit in pixels
   */
  public int minImageShortSide() {
    return minImageShortSide;
  }

  /**
   * The most pixels (width x height) an accepted image may declare.
   *
   * @return the limit in pixels
   */
  public long maxImagePixels() {
    return maxImagePixels;
  }

  /**
   * Reads an image's format and size in pixels.
   *
   * @param file a PNG, JPEG or WebP file, whatever its name
   * @return what the file holds; width and height are as displayed, after any EXIF rotation
   * @throws InvalidInputException if the file is missing, a directory, unreadable, empty, larger
   *     than {@link #maxImageBytes()}, not a PNG, JPEG or WebP image, truncated or corrupt,
   *     declares more than {@link #maxImagePixels()} pixels, or is smaller than {@link
   *     #minImageShortSide()} on its short side
   */
  public ImageInfo probeImage(Path file) {
    Objects.requireNonNull(file, "file");
    MediaKind kind = MediaKind.IMAGE;
    long size = MediaFile.check(file, kind, maxImageBytes);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      Sniffed sniffed = ContentSniffer.sniff(channel);
      ImageFormat format = imageFormat(sniffed);
      if (format == null) {
        throw kind.unrecognised(file, sniffed.description(), size);
      }
      ImageHeaders.Dimensions d = ImageHeaders.read(file, channel, format, sniffed, size);
      // The size the headers declare, checked before anything decodes the pixels (ComfyUI would, on
      // the GPU pod):
      // a 20000x20000 PNG of one colour is under 1 MB on disk but 1.2 GB once decoded.
      long pixels = (long) d.width() * d.height();
      if (pixels > maxImagePixels) {
        throw kind.problem(
            file,
            String.format(
                Locale.ROOT,
                "is %dx%d px (%s); the limit is %s. Scale it down "
                    + "(the video is at most 832 px on its long side), or raise the limit with "
                    + "MediaProbe.builder().maxImagePixels(...).",
                d.width(),
                d.height(),
                megapixels(pixels),
                megapixels(maxImagePixels)),
            null);
      }
      if (Math.min(d.width(), d.height()) < minImageShortSide) {
        throw kind.problem(
            file,
            String.format(
                "is %dx%d px; the short side must be at least %d px. Use a larger "
                    + "portrait, or lower the media probe's minImageShortSide.",
                d.width(), d.height(), minImageShortSide),
            null);
      }
      ImageInfo info = new ImageInfo(file, format, d.width(), d.height(), size);
      LOG.debug(
          "Probed image [file={}, format={}, width={}, height={}, bytes={}]",
          file,
          format,
          d.width(),
          d.height(),
          size);
      return info;
    } catch (IOException e) {
      throw kind.unreadable(file, e);
    }
  }

  /**
   * Reads an audio file's format, duration, sample rate and channels.
   *
   * @param file a WAV, MP3, FLAC, Ogg (Vorbis or Opus) or M4A file, whatever its name
   * @return what the file holds
   * @throws InvalidInputException if the file is missing, a directory, unreadable, empty, larger
   *     than {@link #maxAudioBytes()}, not one of those formats, truncated or corrupt, or has no
   *     duration
   */
  public AudioInfo probeAudio(Path file) {
    Objects.requireNonNull(file, "file");
    MediaKind kind = MediaKind.AUDIO;
    long size = MediaFile.check(file, kind, maxAudioBytes);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      Sniffed sniffed = ContentSniffer.sniff(channel);
      AudioHeaders.Stream stream = AudioHeaders.read(file, channel, sniffed, size);
      double seconds = stream.seconds();
      if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds < 0) {
        throw kind.corrupt(
            file, "its " + stream.format() + " headers give no readable duration", null);
      }
      Duration duration = Duration.ofMillis(Math.round(seconds * 1000));
      if (duration.isZero()) {
        throw kind.problem(
            file,
            "has no sound to speak: its duration is 0 ms. Record or export the speech again.",
            null);
      }
      AudioInfo info =
          new AudioInfo(
              file, stream.format(), duration, stream.sampleRate(), stream.channels(), size);
      LOG.debug(
          "Probed audio [file={}, format={}, durationMs={}, sampleRate={}, channels={}, bytes={}]",
          file,
          stream.format(),
          duration.toMillis(),
          stream.sampleRate(),
          stream.channels(),
          size);
      return info;
    } catch (IOException e) {
      throw kind.unreadable(file, e);
    }
  }

  /** "400.0 megapixels": decimal millions, like the limit's default, exact enough to compare. */
  private static String megapixels(long pixels) {
    return String.format(Locale.ROOT, "%.1f megapixels", pixels / 1_000_000.0);
  }

  private static ImageFormat imageFormat(Sniffed sniffed) {
    switch (sniffed.content()) {
      case PNG:
        return ImageFormat.PNG;
      case JPEG:
        return ImageFormat.JPEG;
      case WEBP:
        return ImageFormat.WEBP;
      default:
        return null;
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof MediaProbe)) {
      return false;
    }
    MediaProbe that = (MediaProbe) o;
    return maxImageBytes == that.maxImageBytes
        && maxAudioBytes == that.maxAudioBytes
        && minImageShortSide == that.minImageShortSide
        && maxImagePixels == that.maxImagePixels;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxImageBytes, maxAudioBytes, minImageShortSide, maxImagePixels);
  }

  @Override
  public String toString() {
    return "MediaProbe{maxImageBytes="
        + maxImageBytes
        + ", maxAudioBytes="
        + maxAudioBytes
        + ", minImageShortSide="
        + minImageShortSide
        + ", maxImagePixels="
        + maxImagePixels
        + "}";
  }

  /**
   * Sets a probe's limits; each setter checks its argument at once. Not thread-safe; the probe it
   * builds is.
   */
  public static final class Builder {
    private long maxImageBytes = 50_000_000;
    private long maxAudioBytes = 100_000_000;
    private int minImageShortSide = 256;
    private long maxImagePixels = 40_000_000;

    private Builder() {}

    /**
     * The largest image file accepted, in bytes. Default 50,000,000 (50 MB).
     *
     * @param maxImageBytes the limit in bytes, positive
     * @return this builder
     * @throws IllegalArgumentException if the limit is not positive
     */
    public Builder maxImageBytes(long maxImageBytes) {
      this.maxImageBytes = positive("maxImageBytes", maxImageBytes);
      return this;
    }

    /**
     * The largest audio file accepted, in bytes. Default 100,000,000 (100 MB): ComfyUI refuses
     * upload requests over 100 MiB (104,857,600 bytes) in all, so the default leaves room for the
     * rest of the request.
     *
     * @param maxAudioBytes the limit in bytes, positive
     * @return this builder
     * @throws IllegalArgumentException if the limit is not positive
     */
    public Builder maxAudioBytes(long maxAudioBytes) {
      this.maxAudioBytes = positive("maxAudioBytes", maxAudioBytes);
      return this;
    }

    /**
     * The smallest accepted length of an image's shorter side, in pixels. Default 256.
     *
     * @param minImageShortSide the limit in pixels, positive
     * @return this builder
     * @throws IllegalArgumentException if the limit is not positive
     */
    public Builder minImageShortSide(int minImageShortSide) {
      this.minImageShortSide = (int) positive("minImageShortSide", minImageShortSide);
      return this;
    }

    /**
     * The most pixels (width x height, as the headers declare) an accepted image may have. Default
     * 40,000,000 (40 megapixels). The workflow scales every portrait down to the video's size
     * (480x832), but the pod decodes it whole first: a small file can declare a huge image (a
     * 20000x20000 PNG of one colour is under 1 MB), which would fail or stall a paid GPU.
     *
     * @param maxImagePixels the limit in pixels, positive
     * @return this builder
     * @throws IllegalArgumentException if the limit is not positive
     */
    public Builder maxImagePixels(long maxImagePixels) {
      this.maxImagePixels = positive("maxImagePixels", maxImagePixels);
      return this;
    }

    /**
     * A probe with these limits.
     *
     * @return the probe, immutable
     */
    public MediaProbe build() {
      return new MediaProbe(this);
    }

    private static long positive(String name, long value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}
