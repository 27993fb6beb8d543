package io.openavathar.testkit.comfy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /view}: ComfyUI's file download with its path rules, streamed from disk like aiohttp's
 * {@code FileResponse} (single byte range, 416 when unsatisfiable), plus the scripted mid-body
 * break.
 */
final class ViewRoute implements SimulatorHandler.Route {

  private static final Logger LOG = LoggerFactory.getLogger(ViewRoute.class);
  private static final Pattern RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");
  private static final int CHUNK = 64 * 1024;
  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("mp4", "video/mp4"),
          Map.entry("webm", "video/webm"),
          Map.entry("mov", "video/quicktime"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("webp", "image/webp"),
          Map.entry("gif", "image/gif"),
          Map.entry("mp3", "audio/mpeg"),
          Map.entry("wav", "audio/x-wav"),
          Map.entry("flac", "audio/flac"),
          Map.entry("ogg", "audio/ogg"),
          Map.entry("m4a", "audio/mp4"),
          Map.entry("json", "application/json"),
          Map.entry("txt", "text/plain"));

  private final Directories directories;
  private final Faults faults;

  ViewRoute(Directories directories, Faults faults) {
    this.directories = directories;
    this.faults = faults;
  }

  @Override
  public Reply handle(Exchange exchange) throws Exception {
    if (!exchange.route().equals("/view")) {
      return null;
    }
    boolean head = exchange.method().equals("HEAD");
    if (!head && !exchange.method().equals("GET")) {
      return Reply.empty(405);
    }
    String filename = exchange.query("filename");
    if (filename == null) {
      return Reply.empty(404);
    }
    Optional<Path> base = Optional.empty();
    for (String type : new String[] {"output", "input", "temp"}) {
      String suffix = " [" + type + "]";
      if (filename.endsWith(suffix)) {
        filename = filename.substring(0, filename.length() - suffix.length());
        base = directories.byType(type);
      }
    }
    if (filename.isEmpty() || filename.startsWith("/") || filename.contains("..")) {
      return Reply.empty(400);
    }
    if (base.isEmpty()) {
      String type = exchange.query("type");
      base = directories.byType(type == null ? "output" : type);
      if (base.isEmpty()) {
        return Reply.empty(400);
      }
    }
    Path dir = base.get();
    String subfolder = exchange.query("subfolder");
    if (subfolder != null) {
      Optional<Path> inside = Directories.inside(dir, subfolder);
      if (inside.isEmpty()) {
        return Reply.empty(403);
      }
      dir = inside.get();
    }
    String name = filename.substring(filename.lastIndexOf('/') + 1); // os.path.basename
    Path file = dir.resolve(name);
    if (name.isEmpty() || !Files.isRegularFile(file)) {
      return Reply.empty(404);
    }
    return fileReply(file, name, exchange.request().getHeaders().get(HttpHeader.RANGE), head);
  }

  private Reply fileReply(Path file, String name, String rangeHeader, boolean head)
      throws IOException {
    long size = Files.size(file);
    long start = 0;
    long end = size - 1;
    boolean partial = false;
    if (rangeHeader != null) {
      Matcher range = RANGE.matcher(rangeHeader.trim());
      if (!range.matches() || (range.group(1).isEmpty() && range.group(2).isEmpty())) {
        return unsatisfiable(size);
      }
      if (range.group(1).isEmpty()) {
        start = Math.max(0, size - Long.parseLong(range.group(2)));
      } else {
        start = Long.parseLong(range.group(1));
        if (!range.group(2).isEmpty()) {
          end = Math.min(end, Long.parseLong(range.group(2)));
        }
      }
      if (start >= size || start > end) {
        return unsatisfiable(size);
      }
      partial = true;
    }
    long length = end - start + 1;
    long offset = start;
    long breakAfter = head ? -1 : faults.takeDownloadBreak();
    Reply reply =
        Reply.streamed(
            partial ? 206 : 200,
            (request, response, callback) -> {
              response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
              if (head) {
                response.write(true, ByteBuffer.allocate(0), callback);
              } else {
                stream(file, offset, length, breakAfter, request, response, callback);
              }
            });
    reply.header("Content-Type", contentType(name));
    reply.header("Content-Disposition", "filename=\"" + name + "\"");
    reply.header("Accept-Ranges", "bytes");
    reply.header(
        "Last-Modified",
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            Files.getLastModifiedTime(file).toInstant().atZone(ZoneOffset.UTC)));
    if (partial) {
      reply.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
    }
    return reply;
  }

  private static Reply unsatisfiable(long size) {
    return Reply.empty(416).header("Content-Range", "bytes */" + size);
  }

  /**
   * Copies {@code length} bytes in 64 KiB chunks; with {@code breakAfter >= 0}, cuts the connection
   * there.
   */
  private static void stream(
      Path file,
      long offset,
      long length,
      long breakAfter,
      Request request,
      Response response,
      Callback callback)
      throws IOException {
    long limit = breakAfter >= 0 ? Math.min(breakAfter, length) : length;
    OutputStream out = Content.Sink.asOutputStream(response);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
      long position = offset;
      long left = limit;
      while (left > 0) {
        buffer.clear().limit((int) Math.min(CHUNK, left));
        int n = channel.read(buffer, position);
        if (n < 0) {
          break;
        }
        out.write(buffer.array(), 0, n);
        position += n;
        left -= n;
      }
      if (breakAfter >= 0 && breakAfter < length) {
        out.flush();
        LOG.debug(
            "Breaking download as scripted after {} of {} bytes [{}]",
            limit,
            length,
            file.getFileName());
        request.getConnectionMetaData().getConnection().getEndPoint().close();
        callback.failed(
            new IOException("download broken by the simulator after " + limit + " bytes"));
        return;
      }
      out.close();
      callback.succeeded();
    } catch (IOException e) {
      callback.failed(e);
    }
  }

  private static String contentType(String name) {
    int dot = name.lastIndexOf('.');
    String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(extension, "application/octet-stream");
  }
}
