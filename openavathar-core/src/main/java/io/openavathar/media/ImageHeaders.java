package io.openavathar.media;

import com.drew.imaging.ImageProcessingException;
import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.png.PngChunkType;
import com.drew.imaging.png.PngMetadataReader;
import com.drew.imaging.webp.WebpMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.jpeg.JpegDirectory;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.webp.WebpDirectory;
import io.openavathar.media.ContentSniffer.Sniffed;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads an image's size in pixels with metadata-extractor, from the headers only.
 *
 * <p>PNG: the reader walks every chunk and skips the pixel data by seeking, so a cut file ends in
 * an {@link EOFException}. JPEG: the reader stops at the first scan, so {@link JpegEnd} checks the
 * rest. WebP: the RIFF size in the header must fit in the file. Note that metadata-extractor 2.19
 * copies a WebP's image chunk into memory while it reads (later versions read it through a view);
 * {@link MediaProbe.Builder#maxImageBytes} bounds that copy.
 */
final class ImageHeaders {
  /** Width and height as displayed. */
  record Dimensions(int width, int height) {}

  private ImageHeaders() {}

  static Dimensions read(
      Path file, FileChannel channel, ImageFormat format, Sniffed sniffed, long size)
      throws IOException {
    MediaKind kind = MediaKind.IMAGE;
    if (format == ImageFormat.WEBP && ContentSniffer.u32le(sniffed.head(), 4) + 8 > size) {
      throw kind.corrupt(
          file,
          "its WebP header promises "
              + (ContentSniffer.u32le(sniffed.head(), 4) + 8)
              + " bytes but the file has "
              + size,
          null);
    }
    Metadata metadata;
    // FileInputStream skips by seeking; a BufferedInputStream passes long skips through to it.
    try (InputStream in = new BufferedInputStream(new FileInputStream(file.toFile()))) {
      switch (format) {
        case PNG:
          metadata = PngMetadataReader.readMetadata(in);
          break;
        case JPEG:
          metadata = JpegMetadataReader.readMetadata(in);
          break;
        default:
          metadata = WebpMetadataReader.readMetadata(in);
          break;
      }
    } catch (EOFException e) {
      throw kind.corrupt(file, "its " + format + " data ends early", e);
    } catch (ImageProcessingException | RuntimeException e) {
      // metadata-extractor throws assorted runtime exceptions on malformed input; all mean the same
      // to our caller.
      throw kind.corrupt(file, "its " + format + " headers cannot be parsed", e);
    }
    Dimensions stored = stored(metadata, format);
    if (stored == null || stored.width() <= 0 || stored.height() <= 0) {
      throw kind.corrupt(file, "its " + format + " headers give no image size", null);
    }
    if (format == ImageFormat.JPEG && !JpegEnd.isWhole(channel, size)) {
      throw kind.corrupt(file, "its JPEG data ends before the end-of-image marker", null);
    }
    return rotatesQuarterTurn(metadata) ? new Dimensions(stored.height(), stored.width()) : stored;
  }

  private static Dimensions stored(Metadata metadata, ImageFormat format) {
    switch (format) {
      case PNG:
        for (PngDirectory d : metadata.getDirectoriesOfType(PngDirectory.class)) {
          if (d.getPngChunkType().equals(PngChunkType.IHDR)) {
            return dimensions(d, PngDirectory.TAG_IMAGE_WIDTH, PngDirectory.TAG_IMAGE_HEIGHT);
          }
        }
        return null;
      case JPEG:
        return dimensions(
            metadata.getFirstDirectoryOfType(JpegDirectory.class),
            JpegDirectory.TAG_IMAGE_WIDTH,
            JpegDirectory.TAG_IMAGE_HEIGHT);
      default:
        for (WebpDirectory d : metadata.getDirectoriesOfType(WebpDirectory.class)) {
          Dimensions found =
              dimensions(d, WebpDirectory.TAG_IMAGE_WIDTH, WebpDirectory.TAG_IMAGE_HEIGHT);
          if (found != null) {
            return found;
          }
        }
        return null;
    }
  }

  private static Dimensions dimensions(Directory directory, int widthTag, int heightTag) {
    if (directory == null) {
      return null;
    }
    Integer width = directory.getInteger(widthTag);
    Integer height = directory.getInteger(heightTag);
    return width == null || height == null ? null : new Dimensions(width, height);
  }

  /**
   * EXIF orientations 5 to 8 mean the stored pixels are turned a quarter: ComfyUI's {@code
   * LoadImage} applies the orientation, so the image the workflow sees has width and height
   * swapped.
   */
  private static boolean rotatesQuarterTurn(Metadata metadata) {
    ExifIFD0Directory exif = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
    Integer orientation = exif == null ? null : exif.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
    return orientation != null && orientation >= 5 && orientation <= 8;
  }
}
