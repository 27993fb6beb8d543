package io.openavathar.license.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Slow and malformed clients hold connections, never threads, and get 4xx answers. */
@Timeout(60)
class SlowClientsTest {
  @TempDir Path dir;
  LicenseServer server;
  final List<Socket> sockets = new ArrayList<>();
  final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() throws IOException {
    trickle.shutdownNow();
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void check_isAnswered_while200SlowClientsHoldConnections() throws Exception {
    server =
        LicenseServer.builder()
            .dataDirectory(dir)
            .rateLimit(10_000)
            .trackLimitPerAddress(10_000)
            .trackLimitPerDevice(10_000)
            .newDevicesPerHour(10_000)
            .start();
    List<OutputStream> bodies = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      OutputStream out = connect().getOutputStream();
      if (i % 2 == 0) {
        out.write(
            ascii(
                "GET /api/generation/check?fingerprint=slow HTTP/1.1\r\nHost: x\r\nX-Never-Ends: "));
      } else {
        String path = i % 4 == 1 ? "/api/generation/track" : "/api/license/validate";
        out.write(
            ascii(
                "POST "
                    + path
                    + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{"));
        bodies.add(out);
      }
      out.flush();
    }
    // One byte every 2 s on each body, from one thread, at most 15 times (the test is over long
    // before).
    AtomicInteger ticks = new AtomicInteger();
    trickle.scheduleAtFixedRate(
        () -> {
          if (ticks.incrementAndGet() > 15) {
            throw new IllegalStateException("trickle over"); // ends the schedule
          }
          for (OutputStream out : bodies) {
            try {
              out.write(' ');
              out.flush();
            } catch (IOException e) {
              // the server closed it: what it should do to a trickle
            }
          }
        },
        2,
        2,
        TimeUnit.SECONDS);

    Http.Answer a = new Http(server.baseUrl()).get("/api/generation/check?fingerprint=normal");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().get("canGenerate").asBoolean()).isTrue();
  }

  @Test
  void tricklingBody_isCutOffAfterTheBodyTimeout() throws Exception {
    server = LicenseServer.builder().dataDirectory(dir).bodyTimeout(Duration.ofMillis(300)).start();
    Socket s = connect();
    s.getOutputStream()
        .write(
            ascii(
                "POST /api/generation/track HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"));
    s.getOutputStream().flush();

    String answer = readAll(s);

    assertThat(answer).startsWith("HTTP/1.1 408");
    assertThat(answer)
        .contains("application/json")
        .contains("{\"error\":\"The request body arrived too slowly");
  }

  @Test
  void tricklingHeaders_areCutOff_thoughTheyKeepTheConnectionBusy() throws Exception {
    server =
        LicenseServer.builder().dataDirectory(dir).headerTimeout(Duration.ofMillis(200)).start();
    Socket s = connect();
    OutputStream out = s.getOutputStream();
    out.write(
        ascii("GET /api/generation/check?fingerprint=x HTTP/1.1\r\nHost: x\r\nX-Never-Ends: "));
    out.flush();
    // A byte every 50 ms, far inside the idle timeout, for at most 15 s (the read below gives up
    // after 20 s).
    AtomicInteger ticks = new AtomicInteger();
    trickle.scheduleAtFixedRate(
        () -> {
          if (ticks.incrementAndGet() > 300) {
            throw new IllegalStateException("trickle over");
          }
          try {
            out.write('a');
            out.flush();
          } catch (IOException e) {
            throw new IllegalStateException("closed by the server", e);
          }
        },
        50,
        50,
        TimeUnit.MILLISECONDS);

    assertThat(readAll(s)).as("closed without an answer").isEmpty();
    assertThat(ticks.get()).as("closed before the trickle ended").isLessThan(300);
  }

  @Test
  void malformedChunkedBody_is400WithJsonError() throws Exception {
    server = LicenseServer.builder().dataDirectory(dir).start();
    Socket s = connect();
    s.getOutputStream()
        .write(
            ascii(
                "POST /api/generation/track HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + "ZZ\r\n{\"fingerprint\":\"x\"}\r\n0\r\n\r\n"));
    s.getOutputStream().flush();

    String answer = readAll(s);

    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(answer).contains("application/json").contains("{\"error\":");
  }

  @Test
  void chunkedBodyOver64KiB_is413WithJsonError() throws Exception {
    server = LicenseServer.builder().dataDirectory(dir).start();
    Socket s = connect();
    OutputStream out = s.getOutputStream();
    out.write(
        ascii(
            "POST /api/license/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"));
    for (int i = 0; i < 70; i++) {
      out.write(ascii("400\r\n" + "x".repeat(1024) + "\r\n"));
    }
    out.write(ascii("0\r\n\r\n"));
    out.flush();

    String answer = readAll(s);

    assertThat(answer).startsWith("HTTP/1.1 413");
    assertThat(answer)
        .contains("{\"valid\":false,\"error\":\"The request body is larger than 64 KiB\"}");
  }

  private Socket connect() throws IOException {
    URI base = server.baseUrl();
    Socket s = new Socket();
    sockets.add(s);
    s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
    s.setSoTimeout(20_000);
    return s;
  }

  /** Everything the server sends until it closes the connection. */
  private static String readAll(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
