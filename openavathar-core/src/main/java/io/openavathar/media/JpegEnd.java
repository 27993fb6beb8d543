package io.openavathar.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Tells whether a JPEG is whole. metadata-extractor stops reading at the first scan, so a JPEG cut
 * anywhere after its headers would pass; ComfyUI's loader (Pillow) then fails with "image file is
 * truncated" after the upload.
 *
 * <p>Most JPEGs end with the end-of-image marker {@code FF D9}: one two-byte read answers. Some
 * carry data after it (phones append a video to "motion photos"), so when the last two bytes are
 * something else we walk the marker segments, skipping each by its length and scanning
 * entropy-coded data, until the end-of-image marker (whole) or the end of the file (cut). The walk
 * streams through a small buffer; nothing is held in memory.
 */
final class JpegEnd {
  private static final int EOI = 0xD9;
  private static final int SOS = 0xDA;

  private JpegEnd() {}

  static boolean isWhole(FileChannel channel, long size) throws IOException {
    byte[] tail = ContentSniffer.readAt(channel, Math.max(0, size - 2), 2);
    if (tail.length == 2 && (tail[0] & 0xFF) == 0xFF && (tail[1] & 0xFF) == EOI) {
      return true;
    }
    return walk(new Cursor(channel, size));
  }

  private static boolean walk(Cursor in) throws IOException {
    if (in.read() != 0xFF || in.read() != 0xD8) {
      return false;
    }
    int marker = nextMarker(in);
    while (marker > 0) {
      if (marker == EOI) {
        return true;
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // markers without a length
        marker = nextMarker(in);
        continue;
      }
      int high = in.read();
      int low = in.read();
      int length = high << 8 | low;
      if (low < 0 || length < 2 || !in.skip(length - 2)) {
        return false;
      }
      marker = marker == SOS ? markerAfterEntropyData(in) : nextMarker(in);
    }
    return false;
  }

  /**
   * The marker byte after {@code FF} (and any fill {@code FF}s); -1 at the end of the file or if no
   * marker is there.
   */
  private static int nextMarker(Cursor in) throws IOException {
    if (in.read() != 0xFF) {
      return -1;
    }
    int b;
    do {
      b = in.read();
    } while (b == 0xFF);
    return b;
  }

  /**
   * Scans compressed data for the next real marker: {@code FF 00} is an escaped byte, {@code FF
   * D0..D7} a restart.
   */
  private static int markerAfterEntropyData(Cursor in) throws IOException {
    while (true) {
      int b = in.read();
      if (b < 0) {
        return -1;
      }
      if (b != 0xFF) {
        continue;
      }
      int m;
      do {
        m = in.read();
      } while (m == 0xFF);
      if (m < 0) {
        return -1;
      }
      if (m != 0x00 && !(m >= 0xD0 && m <= 0xD7)) {
        return m;
      }
    }
  }

  /** Sequential reads and seeking skips over a file channel through one 64 KiB buffer. */
  private static final class Cursor {
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private long bufferStart;

    Cursor(FileChannel channel, long size) {
      this.channel = channel;
      this.size = size;
      buffer.limit(0);
    }

    int read() throws IOException {
      if (!buffer.hasRemaining()) {
        bufferStart += buffer.limit();
        buffer.clear();
        int n = bufferStart < size ? channel.read(buffer, bufferStart) : -1;
        buffer.flip();
        if (n <= 0) {
          return -1;
        }
      }
      return buffer.get() & 0xFF;
    }

    /** Moves {@code n} bytes on; false if that passes the end of the file. */
    boolean skip(long n) {
      long target = bufferStart + buffer.position() + n;
      if (target > size) {
        return false;
      }
      if (target <= bufferStart + buffer.limit()) {
        buffer.position((int) (target - bufferStart));
      } else {
        bufferStart = target;
        buffer.limit(0);
      }
      return true;
    }
  }
}
