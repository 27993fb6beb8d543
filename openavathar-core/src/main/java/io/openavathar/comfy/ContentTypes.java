package io.openavathar.comfy;

import java.util.Locale;
import java.util.Map;
import okhttp3.MediaType;

/**
 * The Content-Type of an uploaded file, from its extension. ComfyUI does not check it (reference
 * §2.4), but proxies and logs read it; unknown extensions are sent as {@code
 * application/octet-stream}.
 */
final class ContentTypes {
  private static final Map<String, String> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("webp", "image/webp"),
          Map.entry("wav", "audio/wav"),
          Map.entry("mp3", "audio/mpeg"),
          Map.entry("flac", "audio/flac"),
          Map.entry("ogg", "audio/ogg"),
          Map.entry("m4a", "audio/mp4"));
  private static final String FALLBACK = "application/octet-stream";

  private ContentTypes() {}

  static MediaType forFileName(String fileName) {
    int dot = fileName.lastIndexOf('.');
    String extension = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    return MediaType.get(BY_EXTENSION.getOrDefault(extension, FALLBACK));
  }
}
