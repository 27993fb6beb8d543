package io.openavathar.studio;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The pages, served from the jar ({@code io/openavathar/studio/web/}): plain HTML, CSS and
 * JavaScript, no build step. The page is one document whose sections (Studio, Pods, Videos,
 * Settings) the script shows by the URL's fragment.
 */
final class StaticFiles extends Handler.Abstract {
  private static final String ROOT = "/io/openavathar/studio/web/";
  private static final Map<String, String> FILES =
      Map.of(
          "/", "index.html",
          "/index.html", "index.html",
          "/studio.css", "studio.css",
          "/studio.js", "studio.js",
          "/favicon.ico", "favicon.svg");

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws IOException {
    String name = FILES.get(request.getHttpURI().getPath());
    if (name == null || !request.getMethod().equals("GET")) {
      return false;
    }
    byte[] body;
    try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new IllegalStateException("the page " + name + " is missing from the jar");
      }
      body = in.readAllBytes();
    }
    response
        .getHeaders()
        .put(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' blob:;"
                + " media-src 'self' blob:; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
    Http.send(response, callback, 200, type(name), body);
    return true;
  }

  private static String type(String name) {
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    } else if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    } else if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    return "image/svg+xml";
  }
}
