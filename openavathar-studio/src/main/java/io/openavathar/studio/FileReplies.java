package io.openavathar.studio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/** Streams a local file (an upload, a video) to the browser. */
final class FileReplies {
  private FileReplies() {}

  static void serve(Exchange x, Path file, boolean attachment) throws IOException {
    var response = x.response();
    response.setStatus(200);
    Http.noStore(response);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type(file));
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, java.nio.file.Files.size(file));
    if (attachment) {
      response
          .getHeaders()
          .put(
              HttpHeader.CONTENT_DISPOSITION,
              "attachment; filename=\""
                  + file.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_")
                  + "\"");
    }
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      java.nio.file.Files.copy(file, out);
    }
    x.callback().succeeded();
  }

  static String type(Path file) {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (name.endsWith(".mp4")) {
      return "video/mp4";
    } else if (name.endsWith(".png")) {
      return "image/png";
    } else if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
      return "image/jpeg";
    } else if (name.endsWith(".webp")) {
      return "image/webp";
    } else if (name.endsWith(".wav")) {
      return "audio/wav";
    } else if (name.endsWith(".mp3")) {
      return "audio/mpeg";
    }
    return "application/octet-stream";
  }
}
