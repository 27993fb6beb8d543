package io.openavathar.license.server;

import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.NanoTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DEBUG line per request on the logger {@code io.openavathar.license.server.access}: client
 * address, method, path, status and milliseconds since the request began. Never the query string
 * (it carries fingerprints), headers or bodies (they carry license keys); anything shaped like a
 * license key in the path is masked, and the path is cut to 200 printable characters so a client
 * cannot forge log lines.
 */
final class AccessLog implements RequestLog {
  private static final Logger log = LoggerFactory.getLogger("io.openavathar.license.server.access");
  private static final Pattern KEY = Pattern.compile("(?i)OAVR(-[A-Z0-9]{4}){3,}");
  private static final int MAX_PATH = 200;

  private final Consumer<String> sink;

  /** Logs to SLF4J at DEBUG. */
  AccessLog() {
    this(null);
  }

  /** Hands each line to the sink instead (tests). */
  AccessLog(Consumer<String> sink) {
    this.sink = sink;
  }

  @Override
  public void log(Request request, Response response) {
    if (sink == null && !log.isDebugEnabled()) {
      return;
    }
    String line =
        Request.getRemoteAddr(request)
            + " "
            + request.getMethod()
            + " "
            + safePath(request.getHttpURI().getPath())
            + " "
            + response.getStatus()
            + " "
            + NanoTime.millisSince(request.getBeginNanoTime())
            + " ms";
    if (sink == null) {
      log.debug(line);
    } else {
      sink.accept(line);
    }
  }

  /** The path without license keys or control characters, at most 200 characters. */
  static String safePath(String path) {
    if (path == null) {
      return "-";
    }
    String cut = path.length() > MAX_PATH ? path.substring(0, MAX_PATH) + "..." : path;
    StringBuilder b = new StringBuilder(cut.length());
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return KEY.matcher(b).replaceAll("OAVR-****");
  }
}
