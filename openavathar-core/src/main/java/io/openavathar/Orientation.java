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

  /**
   * Output width in pixels; 0 for {@link #AUTO}.
   *
   * @return the width, or 0
   */
  public int width() {
    return width;
  }

  /**
   * Output height in pixels; 0 for {@link #AUTO}.
   *
   * @return the height, or 0
   */
  public int height() {
    return height;
  }

  /**
   * This orientation, with {@link #AUTO} resolved from the image's size.
   *
   * @param imageWidth the image's width in pixels
   * @param imageHeight the image's height in pixels
   * @return this, or for {@link #AUTO} the orientation that fits the image
   */
  public Orientation resolve(int imageWidth, int imageHeight) {
    if (this != AUTO) {
      return this;
    }
    return imageWidth > imageHeight ? LANDSCAPE : PORTRAIT;
  }
}
