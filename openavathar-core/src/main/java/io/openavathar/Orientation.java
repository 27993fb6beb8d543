package io.openavathar;

/** The shape of the generated video. */
public enum Orientation {
  /** 480x832 (9:16-ish), for phones. */
  PORTRAIT(480, 832),
  /** 832x480. */
  LANDSCAPE(832, 480),
  /** Portrait unless the image is wider than tall. The default. */
  AUTO(0, 0);

  private final int width;
  private final int height;

  Orientation(int width, int height) {
    this.width = width;
    this.height = height;
  }

  /** Output width in pixels; 0 for {@link #AUTO}. */
  public int width() {
    return width;
  }

  /** Output height in pixels; 0 for {@link #AUTO}. */
  public int height() {
    return height;
  }

  /** This orientation, with {@link #AUTO} resolved from the image's size. */
  public Orientation resolve(int imageWidth, int imageHeight) {
    if (this != AUTO) {
      return this;
    }
    return imageWidth > imageHeight ? LANDSCAPE : PORTRAIT;
  }
}
