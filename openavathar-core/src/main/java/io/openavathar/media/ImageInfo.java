package io.openavathar.media;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link MediaProbe#probeImage(Path)} found in an image file: its real format, its size in
 * pixels as it will be shown (after the EXIF orientation, the way ComfyUI's {@code LoadImage} turns
 * it) and its size in bytes.
 *
 * <p>Immutable and thread-safe.
 */
public final class ImageInfo {
  private final Path file;
  private final ImageFormat format;
  private final int width;
  private final int height;
  private final long sizeBytes;

  ImageInfo(Path file, ImageFormat format, int width, int height, long sizeBytes) {
    this.file = Objects.requireNonNull(file, "file");
    this.format = Objects.requireNonNull(format, "format");
    this.width = width;
    this.height = height;
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
  public ImageFormat format() {
    return format;
  }

  /**
   * The width in pixels as displayed, after any EXIF rotation.
   *
   * @return the width in pixels
   */
  public int width() {
    return width;
  }

  /**
   * The height in pixels as displayed, after any EXIF rotation.
   *
   * @return the height in pixels
   */
  public int height() {
    return height;
  }

  /**
   * The file's size in bytes.
   *
   * @return the size in bytes
   */
  public long sizeBytes() {
    return sizeBytes;
  }

  /**
   * Whether the image is at least as tall as it is wide (a square counts as portrait).
   *
   * @return true for portrait or square images
   */
  public boolean isPortrait() {
    return height >= width;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ImageInfo)) {
      return false;
    }
    ImageInfo that = (ImageInfo) o;
    return width == that.width
        && height == that.height
        && sizeBytes == that.sizeBytes
        && file.equals(that.file)
        && format == that.format;
  }

  @Override
  public int hashCode() {
    return Objects.hash(file, format, width, height, sizeBytes);
  }

  @Override
  public String toString() {
    return "ImageInfo{file="
        + file
        + ", format="
        + format
        + ", "
        + width
        + "x"
        + height
        + ", sizeBytes="
        + sizeBytes
        + "}";
  }
}
