package io.openavathar.license.server;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an HTTP/1 connection whose request headers take too long. Jetty has no header timeout, and
 * the idle timeout never fires on headers that trickle in a byte at a time: such a connection holds
 * no thread but would stay open for hours. Every {@code interval}, each connection is looked at;
 * one that was in the middle of the same request's headers at the previous look too is closed, so
 * headers get between one and two intervals.
 */
final class HeaderDeadline implements Connection.Listener {
  private static final Logger log = LoggerFactory.getLogger(HeaderDeadline.class);

  private final Scheduler scheduler;
  private final long intervalMillis;

  HeaderDeadline(Scheduler scheduler, long intervalMillis) {
    this.scheduler = scheduler;
    this.intervalMillis = intervalMillis;
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection http) {
      new Watch(http).arm();
    }
  }

  /**
   * One connection's state at the previous look. Touched only by the scheduler, one look after
   * another.
   */
  private final class Watch implements Runnable {
    private final HttpConnection connection;
    private long requestsSeen = -1;
    private boolean inHeaders;

    Watch(HttpConnection connection) {
      this.connection = connection;
    }

    void arm() {
      scheduler.schedule(this, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
      if (!connection.getEndPoint().isOpen()) {
        return;
      }
      HttpParser parser = connection.getParser();
      long requests = connection.getMessagesIn();
      boolean nowInHeaders = !parser.isStart() && parser.inHeaderState();
      if (nowInHeaders && inHeaders && requests == requestsSeen) {
        log.debug(
            "Closing a connection from {}: its request headers took over {} ms",
            connection.getEndPoint().getRemoteSocketAddress(),
            intervalMillis);
        connection.getEndPoint().close();
        return;
      }
      inHeaders = nowInHeaders;
      requestsSeen = requests;
      arm();
    }
  }
}
