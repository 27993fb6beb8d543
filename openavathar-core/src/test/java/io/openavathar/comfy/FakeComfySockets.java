package io.openavathar.comfy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ServerSocketFactory;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * The server side of ComfyUI's WebSocket on a {@link MockWebServer}: upgrades every request (or
 * refuses the next few with 503), hands the server-side sockets to the test to script frames, and
 * can cut a TCP connection.
 */
final class FakeComfySockets extends Dispatcher {
  static final String HELLO =
      "{\"type\":\"status\",\"data\":{\"status\":{\"exec_info\":{\"queue_remaining\":0}},\"sid\":\"java-7d1c\"}}";

  final BlockingQueue<WebSocket> open = new LinkedBlockingQueue<>();
  final BlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();
  final BlockingQueue<Integer> closeCodes = new LinkedBlockingQueue<>();
  final AtomicInteger refuseNext = new AtomicInteger();
  private final RawSockets rawSockets = new RawSockets();

  /** Serves on {@code server}; call before {@code server.start()}. */
  void install(MockWebServer server) {
    server.setDispatcher(this);
    server.setServerSocketFactory(rawSockets);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    requests.add(request);
    if (refuseNext.getAndDecrement() > 0) {
      return new MockResponse.Builder().code(503).build();
    }
    return new MockResponse.Builder()
        .webSocketUpgrade(
            new WebSocketListener() {
              @Override
              public void onOpen(WebSocket webSocket, Response response) {
                open.add(webSocket);
              }

              @Override
              public void onClosing(WebSocket webSocket, int code, String reason) {
                closeCodes.add(code);
                webSocket.close(1000, null);
              }
            })
        .build();
  }

  /** The next socket a client opened (waits up to 10 s). */
  WebSocket next() throws InterruptedException {
    WebSocket socket = open.poll(10, TimeUnit.SECONDS);
    assertThat(socket).as("the client opened a socket").isNotNull();
    return socket;
  }

  /** Cuts the latest TCP connection without a close frame, as a proxy or a crashing server does. */
  void dropConnection() throws IOException {
    rawSockets.accepted.peekLast().close();
  }

  /** Server sockets that remember what they accepted. */
  private static final class RawSockets extends ServerSocketFactory {
    final LinkedBlockingDeque<Socket> accepted = new LinkedBlockingDeque<>();

    @Override
    public ServerSocket createServerSocket() throws IOException {
      return new ServerSocket() {
        @Override
        public Socket accept() throws IOException {
          Socket socket = new Socket();
          implAccept(socket);
          accepted.add(socket);
          return socket;
        }
      };
    }

    @Override
    public ServerSocket createServerSocket(int port) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) {
      throw new UnsupportedOperationException();
    }
  }
}
