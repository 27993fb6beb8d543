package io.openavathar.testkit.comfy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Writes the files output nodes produce: VHS videos (a copy of a bundled or configured MP4, named
 * with VHS's own counter), core SaveVideo MP4s and SaveImage/PreviewImage PNGs (named with
 * ComfyUI's counter).
 */
final class OutputFiles {

  static final String PORTRAIT_RESOURCE = "sample-portrait.mp4";
  static final String LANDSCAPE_RESOURCE = "sample-landscape.mp4";

  private final Directories directories;
  private final Path portraitVideo;
  private final Path landscapeVideo;

  /**
   * @param portraitVideo the MP4 to return for portrait runs, or null for the bundled one (same for
   *     landscape)
   */
  OutputFiles(Directories directories, Path portraitVideo, Path landscapeVideo) {
    this.directories = directories;
    this.portraitVideo = portraitVideo;
    this.landscapeVideo = landscapeVideo;
  }

  /**
   * Writes {@code <dir>/<prefix>_NNNNN[-audio].mp4} as VHS_VideoCombine does and returns its {@code
   * gifs} entry.
   *
   * @throws FileNotFoundException when no sample video is available
   */
  synchronized ObjectNode writeVideo(
      String filenamePrefix,
      boolean saveOutput,
      boolean withAudio,
      boolean portrait,
      String format,
      double frameRate)
      throws IOException {
    String type = saveOutput ? "output" : "temp";
    Path base = directories.byType(type).orElseThrow();
    Prefix prefix = Prefix.parse(filenamePrefix);
    Path folder =
        Directories.inside(base, prefix.subfolder())
            .orElseThrow(
                () ->
                    new IOException(
                        "filename_prefix escapes the output directory: " + filenamePrefix));
    Files.createDirectories(folder);
    int counter =
        maxCounter(
                folder,
                Pattern.compile(
                    Pattern.quote(prefix.name()) + "_(\\d+)\\D*\\..+", Pattern.CASE_INSENSITIVE))
            + 1;
    String stem = String.format(Locale.ROOT, "%s_%05d", prefix.name(), counter);
    String filename = stem + (withAudio ? "-audio" : "") + ".mp4";
    Path file = folder.resolve(filename);
    copyVideo(portrait, file);
    ObjectNode entry = Json.object();
    entry.put("filename", filename);
    entry.put("subfolder", prefix.subfolder());
    entry.put("type", type);
    entry.put("format", format);
    if (frameRate == Math.rint(frameRate)) {
      entry.put("frame_rate", (long) frameRate);
    } else {
      entry.put("frame_rate", frameRate);
    }
    entry.put("workflow", stem + ".png");
    entry.put("fullpath", file.toString());
    return entry;
  }

  /**
   * Writes {@code <prefix>_NNNNN_.mp4} as core {@code SaveVideo} does (the same sample MP4 as VHS)
   * and returns the node's whole UI, as ComfyUI 0.3.64 reports it: {@code {"images": [{filename,
   * subfolder, type: "output"}], "animated": [true]}}. The subfolder is the directory part of
   * {@code filename_prefix} (default {@code video/ComfyUI}).
   */
  synchronized ObjectNode saveVideo(String filenamePrefix, boolean portrait) throws IOException {
    Prefix prefix = Prefix.parse(filenamePrefix == null ? "video/ComfyUI" : filenamePrefix);
    Path folder = folder("output", prefix, filenamePrefix);
    String filename = comfyName(folder, prefix, "mp4");
    copyVideo(portrait, folder.resolve(filename));
    ObjectNode ui = Json.object();
    ObjectNode entry = ui.putArray("images").addObject();
    entry.put("filename", filename);
    entry.put("subfolder", prefix.subfolder());
    entry.put("type", "output");
    ui.putArray("animated").add(true);
    return ui;
  }

  /**
   * Writes {@code <prefix>_NNNNN_.png} as SaveImage (or PreviewImage, in temp) does and returns its
   * entry.
   */
  synchronized ObjectNode writeImage(String filenamePrefix, boolean temp, int width, int height)
      throws IOException {
    String type = temp ? "temp" : "output";
    Prefix prefix = Prefix.parse(filenamePrefix);
    Path folder = folder(type, prefix, filenamePrefix);
    String filename = comfyName(folder, prefix, "png");
    ImageIO.write(
        new BufferedImage(Math.max(1, width), Math.max(1, height), BufferedImage.TYPE_INT_RGB),
        "png",
        folder.resolve(filename).toFile());
    ObjectNode entry = Json.object();
    entry.put("filename", filename);
    entry.put("subfolder", prefix.subfolder());
    entry.put("type", type);
    return entry;
  }

  /** The (created) folder of {@code prefix} under the {@code type} directory. */
  private Path folder(String type, Prefix prefix, String filenamePrefix) throws IOException {
    Path folder =
        Directories.inside(directories.byType(type).orElseThrow(), prefix.subfolder())
            .orElseThrow(
                () ->
                    new IOException(
                        "filename_prefix escapes the output directory: " + filenamePrefix));
    Files.createDirectories(folder);
    return folder;
  }

  /**
   * The next {@code <name>_NNNNN_.<extension>} in {@code folder}, ComfyUI's counter (one past the
   * highest).
   */
  private static String comfyName(Path folder, Prefix prefix, String extension) throws IOException {
    int counter =
        maxCounter(folder, Pattern.compile(Pattern.quote(prefix.name()) + "_(\\d+)_\\..+")) + 1;
    return String.format(Locale.ROOT, "%s_%05d_.%s", prefix.name(), counter, extension);
  }

  private void copyVideo(boolean portrait, Path target) throws IOException {
    Path configured = portrait ? portraitVideo : landscapeVideo;
    if (configured != null) {
      Files.copy(configured, target, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    String resource = portrait ? PORTRAIT_RESOURCE : LANDSCAPE_RESOURCE;
    try (InputStream in = OutputFiles.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new FileNotFoundException(
            "The testkit has no bundled sample video io/openavathar/testkit/comfy/"
                + resource
                + "; build openavathar-testkit with its resources, or pass your own MP4s to "
                + "ComfyUiSimulator.builder().sampleVideos(portrait, landscape)");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static int maxCounter(Path folder, Pattern pattern) throws IOException {
    int max = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
      for (Path file : files) {
        Matcher matcher = pattern.matcher(file.getFileName().toString());
        if (matcher.matches()) {
          max = Math.max(max, Integer.parseInt(matcher.group(1)));
        }
      }
    }
    return max;
  }

  /** A small JPEG for binary preview frames. */
  static byte[] previewJpeg() {
    try {
      BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "jpg", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code filename_prefix} split as {@code get_save_image_path} does: directory part and base
   * name.
   */
  record Prefix(String subfolder, String name) {
    static Prefix parse(String prefix) {
      String normal = prefix.replace('\\', '/');
      int slash = normal.lastIndexOf('/');
      return slash < 0
          ? new Prefix("", normal)
          : new Prefix(normal.substring(0, slash), normal.substring(slash + 1));
    }
  }
}
