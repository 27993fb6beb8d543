package io.openavathar.media;

/**
 * The audio formats {@link MediaProbe} accepts, as found in the file's content (never from its
 * name).
 */
public enum AudioFormat {
  /** RIFF WAVE, usually PCM. */
  WAV("audio/wav", "wav"),
  /** MPEG audio layer III. */
  MP3("audio/mpeg", "mp3"),
  /** Free Lossless Audio Codec. */
  FLAC("audio/flac", "flac"),
  /** Ogg with Vorbis or Opus audio. */
  OGG("audio/ogg", "ogg"),
  /** MPEG-4 audio (AAC or ALAC in an MP4 container). */
  M4A("audio/mp4", "m4a");

  private final String mimeType;
  private final String fileExtension;

  AudioFormat(String mimeType, String fileExtension) {
    this.mimeType = mimeType;
    this.fileExtension = fileExtension;
  }

  /**
   * The media type to send with the file, for example {@code audio/wav}.
   *
   * @return the MIME type
   */
  public String mimeType() {
    return mimeType;
  }

  /**
   * The usual file name extension for this format, without the dot, for example {@code wav}.
   *
   * @return the extension
   */
  public String fileExtension() {
    return fileExtension;
  }
}
