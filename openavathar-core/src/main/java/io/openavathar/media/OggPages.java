package io.openavathar.media;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * The last page of an Ogg stream, and Opus timing from it.
 *
 * <p>jaudiotagger reads Ogg Vorbis but not Ogg Opus (the format of most voice messages), and
 * reports a cut Vorbis file as zero seconds long. Both need the same small fact: the last page,
 * which must end exactly where the file ends, and its granule position (the sample count at its
 * end). Opus counts at 48 kHz and its header says how many samples the decoder drops at the start
 * (pre-skip); RFC 7845 section 4 defines the duration as granule minus pre-skip.
 */
final class OggPages {
  /** 27 header bytes, up to 255 lacing values, up to 255 * 255 body bytes. */
  private static final int MAX_PAGE = 27 + 255 + 255 * 255;

  static final int OPUS_RATE = 48_000;

  private OggPages() {}

  /**
   * The granule position of the last page, or -1 if no complete page ends exactly at the end of the
   * file.
   */
  static long lastGranule(FileChannel channel, long size) throws IOException {
    long tailStart = Math.max(0, size - 2L * MAX_PAGE);
    byte[] tail = ContentSniffer.readAt(channel, tailStart, (int) (size - tailStart));
    byte[] capture = "OggS".getBytes(StandardCharsets.ISO_8859_1);
    // Scan backwards for a page that ends at the end of the file; "OggS" may also occur by chance
    // inside page data.
    for (int i = tail.length - 27; i >= 0; i--) {
      if (tail[i] != capture[0]
          || tail[i + 1] != capture[1]
          || tail[i + 2] != capture[2]
          || tail[i + 3] != capture[3]
          || tail[i + 4] != 0) {
        continue;
      }
      int segments = tail[i + 26] & 0xFF;
      if (i + 27 + segments > tail.length) {
        continue;
      }
      long pageLength = 27L + segments;
      for (int s = 0; s < segments; s++) {
        pageLength += tail[i + 27 + s] & 0xFF;
      }
      if (i + pageLength == tail.length) {
        return granule(tail, i);
      }
    }
    return -1;
  }

  /** Channels and pre-skip from the OpusHead packet at the start of the first page. */
  record OpusHead(int channels, int preSkip) {
    static OpusHead from(byte[] head) {
      int packet = 27 + (head[26] & 0xFF);
      if (head.length < packet + 19) {
        return null;
      }
      int channels = head[packet + 9] & 0xFF;
      int preSkip = (head[packet + 10] & 0xFF) | (head[packet + 11] & 0xFF) << 8;
      return new OpusHead(channels, preSkip);
    }
  }

  private static long granule(byte[] page, int offset) {
    long value = 0;
    for (int b = 7; b >= 0; b--) {
      value = value << 8 | (page[offset + 6 + b] & 0xFF);
    }
    return value;
  }
}
