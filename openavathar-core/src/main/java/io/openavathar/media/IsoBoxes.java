package io.openavathar.media;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Checks that the top-level boxes of an MP4/M4A file fit in it. jaudiotagger reads the {@code moov}
 * box, which usually comes before the media data, so a file cut inside {@code mdat} would pass;
 * each box header states its size, and walking the few top-level headers (by seeking) shows whether
 * the last one is cut.
 */
final class IsoBoxes {
  private IsoBoxes() {}

  /** Null if the boxes fill the file; otherwise what is wrong. */
  static String problem(FileChannel channel, long size) throws IOException {
    long position = 0;
    while (position < size) {
      byte[] header = ContentSniffer.readAt(channel, position, 16);
      if (header.length < 8) {
        return "it ends inside a box header";
      }
      long boxSize = u32be(header, 0);
      if (boxSize == 1) { // 64-bit size follows the type
        if (header.length < 16) {
          return "it ends inside a box header";
        }
        boxSize = u32be(header, 8) << 32 | u32be(header, 12);
      } else if (boxSize == 0) { // the box runs to the end of the file
        return null;
      }
      if (boxSize < 8) {
        return "a box at byte " + position + " has an impossible size (" + boxSize + ")";
      }
      if (boxSize
          > size
              - position) { // not position + boxSize: a 64-bit size near Long.MAX_VALUE overflows
        return "its MP4 box '"
            + new String(header, 4, 4, StandardCharsets.ISO_8859_1)
            + "' at byte "
            + position
            + " claims "
            + boxSize
            + " bytes but the file has "
            + size;
      }
      position += boxSize;
    }
    return null;
  }

  private static long u32be(byte[] b, int i) {
    return ((b[i] & 0xFFL) << 24)
        | ((b[i + 1] & 0xFFL) << 16)
        | ((b[i + 2] & 0xFFL) << 8)
        | (b[i + 3] & 0xFFL);
  }
}
