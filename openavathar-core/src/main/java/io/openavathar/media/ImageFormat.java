package io.openavathar.media;

/**
 * The image formats {@link MediaProbe} accepts, as found in the file's content (never from its
 * name).
 */
public enum ImageFormat {
  /** Portable Network Graphics. */
  PNG("image/png", "png"),
  /** JPEG (JFIF or Exif). */
  JPEG("image/jpeg", "jpg"),
  /** WebP, lossy or lossless. */
  WEBP("image/webp", "webp");

  private final String mimeType;
  private final String fileExtension;

  ImageFormat(String mimeType, String fileExtension) {
    this.mimeType = mimeType;
    this.fileExtension = fileExtension;
  }

  /**
   * The media type to send with the file, for example {@code image/png}.
   *
   * @return the MIME type
   */
  public String mimeType() {
    return mimeType;
  }

  /**
   * The usual file name extension for this format, without the dot, for example {@code png}.
   *
   * @return the extension
   */
  public String fileExtension() {
    return fileExtension;
  }
}
