package io.openavathar.studio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One Server-Sent Events stream to a browser. No library is needed: the format is lines of {@code
 * event:} and {@code data:} ended by a blank line over a response that never ends, which Jetty
 * writes as it is (chunked) once each event is flushed. Events are queued by any thread ({@link
 * #send}, never blocking) and written by the request's own thread ({@link #run}), which also sends
 * a comment every 15 s so that idle timeouts and closed tabs are noticed.
 */
final class Sse {
  private static final String END = "\u0000end";
  static final long HEARTBEAT_SECONDS = 15;

  private final BlockingQueue<String> queue = new LinkedBlockingQueue<>(10_000);

  /**
   * Queues one event (dropped if the browser has fallen 10 000 events behind: it reloads state on
   * reconnect).
   */
  void send(String event, String json) {
    queue.offer("event: " + event + "\ndata: " + json.replace("\n", "\ndata: ") + "\n\n");
  }

  /** Ends the stream after the events already queued. */
  void end() {
    queue.offer(END);
  }

  /**
   * Writes events until {@link #end()} or until the browser goes away; then completes the callback.
   */
  void run(Response response, Callback callback) {
    response.setStatus(200);
    Http.noStore(response);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (true) {
        String next = queue.poll(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        if (END.equals(next)) {
          break;
        }
        out.write((next == null ? ": keep-alive\n\n" : next).getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      callback.succeeded();
    } catch (IOException e) {
      callback.failed(e); // the browser closed the tab or the connection
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      callback.failed(e);
    }
  }
}
