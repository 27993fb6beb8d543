package io.openavathar.license.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself (a malformed URI, a bad header) as one line of plain text, like the
 * API's own errors, on a connection that then closes. Jetty's default error page is HTML, and for a
 * HEAD request with an illegal path it wrote that page after the headers (the request it hands to
 * the error handler does not always carry the HEAD method), so the next response on the kept-alive
 * connection began with {@code <html>}. A request Jetty could not make sense of may have left
 * anything else on the connection too, so it is not reused.
 */
final class PlainErrorHandler implements Request.Handler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    byte[] body =
        "HEAD".equals(request.getMethod())
            ? new byte[0]
            : (HttpStatus.getMessage(status) + "\n").getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }
}
