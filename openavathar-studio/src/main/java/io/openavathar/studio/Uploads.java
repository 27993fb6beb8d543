package io.openavathar.studio;

import io.openavathar.InvalidInputException;
import io.openavathar.media.AudioInfo;
import io.openavathar.media.ImageInfo;
import io.openavathar.media.MediaProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Portraits and speech files the browser sent, kept in {@code <data-dir>/studio/uploads} (a job's
 * inputs must outlive a restart, and the portrait is the video's poster in the gallery). Each is
 * checked with the SDK's {@link MediaProbe} at once, with the SDK's own size limits, so that the
 * page shows the SDK's validation error before anything is sent to a pod.
 */
final class Uploads {
  private static final Pattern STORED_NAME = Pattern.compile("[0-9a-f-]{36}\\.[a-z0-9]{1,5}");

  private final Path directory;
  private final MediaProbe probe = MediaProbe.create();

  Uploads(Path dataDirectory) {
    this.directory = dataDirectory.resolve("studio").resolve("uploads");
  }

  /** The largest upload of this kind, as the SDK's {@link MediaProbe} allows. */
  long limit(String kind) {
    return "image".equals(kind) ? probe.maxImageBytes() : probe.maxAudioBytes();
  }

  /**
   * Stores {@code body} (at most {@link #limit} bytes, else {@link InvalidInputException}) under a
   * new name with the original's extension, probes it, and answers what the page shows; a file the
   * SDK refuses is deleted again.
   */
  Map<String, Object> store(String kind, String originalName, InputStream body) throws IOException {
    if (!"image".equals(kind) && !"audio".equals(kind)) {
      throw new InvalidInputException("kind must be image or audio, was " + kind);
    }
    Files.createDirectories(directory);
    String name = UUID.randomUUID() + "." + extension(originalName);
    Path file = directory.resolve(name);
    long limit = limit(kind);
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] buf = new byte[64 * 1024];
      long total = 0;
      for (int n; (n = body.read(buf)) > 0; ) {
        total += n;
        if (total > limit) {
          throw tooLarge(kind, limit);
        }
        out.write(buf, 0, n);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", name);
    answer.put("name", originalName);
    try {
      if ("image".equals(kind)) {
        ImageInfo info = probe.probeImage(file);
        answer.put("width", info.width());
        answer.put("height", info.height());
        answer.put("format", info.format().name());
      } else {
        AudioInfo info = probe.probeAudio(file);
        answer.put("durationMillis", info.duration().toMillis());
        answer.put("format", info.format().name());
      }
    } catch (RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    return answer;
  }

  static InvalidInputException tooLarge(String kind, long limit) {
    return new InvalidInputException(
        "This "
            + kind
            + " file is larger than "
            + limit / 1_000_000
            + " MB, the most the studio accepts. Choose a smaller file.");
  }

  /** The stored file of this name, if it exists (names are ours: no path can be smuggled in). */
  Optional<Path> file(String name) {
    if (name == null || !STORED_NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    Path f = directory.resolve(name);
    return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
  }

  private static String extension(String name) {
    int dot = name == null ? -1 : name.lastIndexOf('.');
    String ext =
        dot < 0
            ? "bin"
            : name.substring(dot + 1).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return ext.isEmpty() || ext.length() > 5 ? "bin" : ext;
  }
}
