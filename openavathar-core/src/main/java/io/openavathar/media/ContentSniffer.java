package io.openavathar.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Tells what a file holds from its first bytes (its "magic"), never from its name: a text file
 * named {@code .png} must be rejected, and a WAV named {@code .mp3} must be read as WAV. The answer
 * picks which library reader parses the file, because the libraries themselves choose by extension
 * or guess; it also names what a rejected file looks like.
 */
final class ContentSniffer {
  /**
   * Enough for every signature below, including an Ogg page header with its first packet's codec
   * id.
   */
  static final int HEAD_BYTES = 64;

  /**
   * No file this short can be any format we read: the longest signature we need ("RIFF....WEBP") is
   * 12 bytes.
   */
  static final int MIN_SIGNATURE_BYTES = 12;

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private ContentSniffer() {}

  /**
   * What the content is: a format we read, or {@code OTHER}. {@code MP4} is any ISO media file; M4A
   * is one kind.
   */
  enum Content {
    PNG,
    JPEG,
    WEBP,
    WAV,
    MP3,
    FLAC,
    OGG_VORBIS,
    OGG_OPUS,
    MP4,
    OTHER
  }

  /**
   * The answer: the content, words for it ("text", "a GIF image") and the first bytes of the file.
   *
   * @param head the first {@link #HEAD_BYTES} bytes, fewer if the file is shorter
   */
  record Sniffed(Content content, String description, byte[] head) {}

  static Sniffed sniff(FileChannel channel) throws IOException {
    byte[] h = readAt(channel, 0, HEAD_BYTES);
    if (startsWith(h, 0, PNG_SIGNATURE)) {
      return new Sniffed(Content.PNG, "a PNG image", h);
    }
    if (h.length >= 3 && u8(h, 0) == 0xFF && u8(h, 1) == 0xD8 && u8(h, 2) == 0xFF) {
      return new Sniffed(Content.JPEG, "a JPEG image", h);
    }
    if (ascii(h, 0, "RIFF")) {
      return riff(h);
    }
    if (ascii(h, 0, "RF64")) {
      return other("RF64 audio (a WAV variant for very large files), which is not supported", h);
    }
    if (ascii(h, 0, "fLaC")) {
      return new Sniffed(Content.FLAC, "FLAC audio", h);
    }
    if (ascii(h, 0, "OggS")) {
      return ogg(h);
    }
    if (ascii(h, 0, "ID3") && h.length >= 10) {
      // An ID3v2 tag is mostly put before MP3 frames, sometimes before FLAC: look past it.
      long tagEnd = 10 + syncSafe(h, 6) + ((u8(h, 5) & 0x10) != 0 ? 10 : 0);
      byte[] inner = readAt(channel, tagEnd, 4);
      return ascii(inner, 0, "fLaC")
          ? new Sniffed(Content.FLAC, "FLAC audio", h)
          : new Sniffed(Content.MP3, "MP3 audio", h);
    }
    if (isMpegLayer3Frame(h)) {
      return new Sniffed(Content.MP3, "MP3 audio", h);
    }
    if (h.length >= 2 && u8(h, 0) == 0xFF && (u8(h, 1) & 0xF6) == 0xF0) {
      return other("raw AAC audio (ADTS), which is not supported; put it in an M4A container", h);
    }
    if (ascii(h, 4, "ftyp")) {
      return isoMedia(h);
    }
    return other(describeOther(h), h);
  }

  private static Sniffed riff(byte[] h) {
    if (ascii(h, 8, "WEBP")) {
      return new Sniffed(Content.WEBP, "a WebP image", h);
    }
    if (ascii(h, 8, "WAVE")) {
      return new Sniffed(Content.WAV, "WAV audio", h);
    }
    if (ascii(h, 8, "AVI ")) {
      return other("an AVI video", h);
    }
    return other("a RIFF file of an unknown kind", h);
  }

  private static Sniffed ogg(byte[] h) {
    if (h.length > 26) {
      int packetStart = 27 + u8(h, 26); // header, then one lacing byte per segment
      if (startsWith(h, packetStart, new byte[] {1, 'v', 'o', 'r', 'b', 'i', 's'})) {
        return new Sniffed(Content.OGG_VORBIS, "Ogg Vorbis audio", h);
      }
      if (ascii(h, packetStart, "OpusHead")) {
        return new Sniffed(Content.OGG_OPUS, "Ogg Opus audio", h);
      }
    }
    return other("Ogg data that is neither Vorbis nor Opus audio", h);
  }

  private static Sniffed isoMedia(byte[] h) {
    String brand = h.length >= 12 ? new String(h, 8, 4, StandardCharsets.ISO_8859_1) : "";
    switch (brand) {
      case "heic":
      case "heix":
      case "heim":
      case "heis":
      case "hevc":
      case "hevx":
      case "mif1":
      case "msf1":
        return other("a HEIC/HEIF image", h);
      case "avif":
      case "avis":
        return other("an AVIF image", h);
      default:
        return new Sniffed(Content.MP4, "an MP4, M4A or MOV file", h);
    }
  }

  private static String describeOther(byte[] h) {
    if (ascii(h, 0, "GIF8")) {
      return "a GIF image";
    }
    if (ascii(h, 0, "%PDF")) {
      return "a PDF document";
    }
    if (startsWith(h, 0, new byte[] {'P', 'K', 3, 4})) {
      return "a ZIP archive (or an Office document)";
    }
    if (h.length >= 2 && u8(h, 0) == 0x1F && u8(h, 1) == 0x8B) {
      return "gzip-compressed data";
    }
    if (startsWith(h, 0, new byte[] {'I', 'I', 42, 0})
        || startsWith(h, 0, new byte[] {'M', 'M', 0, 42})) {
      return "a TIFF image";
    }
    if (ascii(h, 0, "FORM") && (ascii(h, 8, "AIFF") || ascii(h, 8, "AIFC"))) {
      return "AIFF audio, which is not supported";
    }
    if (startsWith(h, 0, new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3})) {
      return "a WebM or Matroska file";
    }
    if (looksLikeText(h)) {
      return "text";
    }
    if (ascii(h, 0, "BM")) {
      return "a BMP image";
    }
    return "binary data of an unknown kind";
  }

  /**
   * Printable UTF-8 with ordinary white space, judged on the head only; a cut multi-byte character
   * at its end is fine.
   */
  static boolean looksLikeText(byte[] h) {
    for (byte b : h) {
      int c = b & 0xFF;
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F) {
        return false;
      }
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(h, 0, Math.max(0, h.length - 3)));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /**
   * An MPEG audio frame header of layer III (MP3) with a valid version, bit rate and sample rate.
   */
  static boolean isMpegLayer3Frame(byte[] h) {
    if (h.length < 3 || u8(h, 0) != 0xFF || (u8(h, 1) & 0xE0) != 0xE0) {
      return false;
    }
    int version = (u8(h, 1) >> 3) & 3;
    int layer = (u8(h, 1) >> 1) & 3;
    int bitrate = (u8(h, 2) >> 4) & 0xF;
    int sampleRate = (u8(h, 2) >> 2) & 3;
    return version != 1 && layer == 1 && bitrate != 0xF && sampleRate != 3;
  }

  /** Reads up to {@code length} bytes at {@code position}; fewer if the file ends first. */
  static byte[] readAt(FileChannel channel, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        break;
      }
      at += n;
    }
    return Arrays.copyOf(buffer.array(), buffer.position());
  }

  static int u8(byte[] b, int i) {
    return b[i] & 0xFF;
  }

  /** An unsigned little-endian 32-bit value, as RIFF stores sizes. */
  static long u32le(byte[] b, int i) {
    return (u8(b, i) | u8(b, i + 1) << 8 | u8(b, i + 2) << 16 | (long) u8(b, i + 3) << 24)
        & 0xFFFFFFFFL;
  }

  private static long syncSafe(byte[] b, int i) {
    return (u8(b, i) & 0x7F) << 21
        | (u8(b, i + 1) & 0x7F) << 14
        | (u8(b, i + 2) & 0x7F) << 7
        | (u8(b, i + 3) & 0x7F);
  }

  private static boolean ascii(byte[] b, int offset, String text) {
    return startsWith(b, offset, text.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static boolean startsWith(byte[] b, int offset, byte[] prefix) {
    if (offset < 0 || b.length < offset + prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[offset + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static Sniffed other(String description, byte[] h) {
    return new Sniffed(Content.OTHER, description, h);
  }
}
