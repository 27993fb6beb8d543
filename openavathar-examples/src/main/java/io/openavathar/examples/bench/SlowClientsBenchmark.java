package io.openavathar.examples.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Latency of {@code GET /api/generation/check} while slow clients hold connections to the license
 * server (its own JVM, started through the CLI). Half the slow clients send headers that never end
 * (one more header byte every 2 s), half send POST bodies declared as 1,000 bytes one byte every 2
 * s, to {@code generation/track} and {@code license/validate}, with the rate limits raised so that
 * the server really reads them. A slow connection the server closes is replaced at the next tick,
 * so that many stay open throughout. Meanwhile a probe opens a new connection every 50 ms, sends a
 * normal check and times it until the answer is read; first 3 s of warm-up and 5 s of probes
 * without slow clients as a baseline.
 *
 * <p>Run: {@code java -cp openavathar-examples/target/openavathar.jar
 * io.openavathar.examples.bench.SlowClientsBenchmark [slow connections] [seconds]}, default 200 and
 * 20; with {@code -Dserver=URL} it measures a server already running there instead of starting one.
 */
public final class SlowClientsBenchmark {
  private static final long TICK_SECONDS = 2;
  private static final long PROBE_INTERVAL_MILLIS = 50;

  private SlowClientsBenchmark() {}

  /** Runs the benchmark: {@code [slow connections] [seconds]}. */
  public static void main(String[] args) throws Exception {
    int slow = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    String url = System.getProperty("server");
    if (url != null) {
      run(URI.create(url), slow, seconds);
      return;
    }
    try (LicenseServerProcess server =
        LicenseServerProcess.start(
            Files.createTempDirectory("license-slow-bench"), LicenseServerProcess.UNLIMITED)) {
      run(server.baseUrl(), slow, seconds);
    }
  }

  private static void run(URI base, int slow, int seconds)
      throws IOException, InterruptedException {
    System.out.printf(
        Locale.ROOT,
        "license server %s; %d slow connections, probes every %d ms for %d s%n",
        base,
        slow,
        PROBE_INTERVAL_MILLIS,
        seconds);
    probe(base, 3); // warm-up: the server's JIT, not what is measured
    report("baseline, no slow clients", probe(base, 5));
    SlowClients clients = new SlowClients(base, slow);
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "slow-clients");
              t.setDaemon(true);
              return t;
            });
    try {
      clients.openAll();
      ticker.scheduleAtFixedRate(clients::tick, TICK_SECONDS, TICK_SECONDS, TimeUnit.SECONDS);
      report("with " + slow + " slow connections", probe(base, seconds));
    } finally {
      ticker.shutdownNow();
      ticker.awaitTermination(10, TimeUnit.SECONDS);
      System.out.printf(
          Locale.ROOT,
          "slow connections the server closed (and the benchmark reopened): %d%n",
          clients.replaced);
      clients.closeAll();
    }
  }

  /** Latencies in ms of the checks that succeeded, and how many failed. */
  private record Probes(double[] millis, int failed) {}

  private static Probes probe(URI base, int seconds) throws InterruptedException {
    byte[] request =
        ("GET /api/generation/check?fingerprint=probe-device HTTP/1.1\r\nHost: "
                + base.getHost()
                + ":"
                + base.getPort()
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    List<Double> millis = new ArrayList<>();
    int failed = 0;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 30_000);
        s.setSoTimeout(30_000);
        s.getOutputStream().write(request);
        String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        if (answer.startsWith("HTTP/1.1 200")) {
          millis.add((System.nanoTime() - t0) / 1e6);
        } else {
          failed++;
        }
      } catch (IOException e) {
        failed++;
      }
      Thread.sleep(PROBE_INTERVAL_MILLIS);
    }
    return new Probes(millis.stream().mapToDouble(Double::doubleValue).toArray(), failed);
  }

  private static void report(String what, Probes p) {
    if (p.millis().length == 0) {
      System.out.printf(Locale.ROOT, "%s: no check answered, %d failed%n", what, p.failed());
      return;
    }
    double max = 0;
    for (double m : p.millis()) {
      max = Math.max(max, m);
    }
    System.out.printf(
        Locale.ROOT,
        "%s: %d checks answered 200, %d failed; p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
        what,
        p.millis().length,
        p.failed(),
        Stats.median(p.millis()),
        Stats.percentile(p.millis(), 99),
        max);
  }

  /** The slow connections; touched by the opening thread, then only by the ticker. */
  private static final class SlowClients {
    private final URI base;
    private final Socket[] sockets;
    int replaced;

    SlowClients(URI base, int count) {
      this.base = base;
      this.sockets = new Socket[count];
    }

    void openAll() throws IOException {
      for (int i = 0; i < sockets.length; i++) {
        sockets[i] = open(i);
      }
    }

    /**
     * Even slots: headers that never end. Odd slots: a body declared as 1,000 bytes, sent one byte
     * a tick.
     */
    private Socket open(int slot) throws IOException {
      Socket s = new Socket();
      s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 30_000);
      String host = "Host: " + base.getHost() + ":" + base.getPort() + "\r\n";
      String start =
          slot % 2 == 0
              ? "GET /api/generation/check?fingerprint=slow-"
                  + slot
                  + " HTTP/1.1\r\n"
                  + host
                  + "X-Never-Ends: "
              : "POST "
                  + (slot % 4 == 1 ? "/api/generation/track" : "/api/license/validate")
                  + " HTTP/1.1\r\n"
                  + host
                  + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{";
      OutputStream out = s.getOutputStream();
      out.write(start.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return s;
    }

    /** One more byte on every slow connection; one the server closed is replaced by a new one. */
    void tick() {
      for (int i = 0; i < sockets.length; i++) {
        try {
          if (closedByServer(sockets[i])) {
            throw new IOException("closed by the server");
          }
          sockets[i].getOutputStream().write(i % 2 == 0 ? 'a' : ' ');
          sockets[i].getOutputStream().flush();
        } catch (IOException e) {
          replace(i);
        }
      }
    }

    private void replace(int slot) {
      closeQuietly(sockets[slot]);
      replaced++;
      try {
        sockets[slot] = open(slot);
      } catch (IOException e) {
        System.err.println("could not reopen a slow connection: " + e);
      }
    }

    /**
     * True if the server answered (a 408) or closed: anything readable at once means the exchange
     * is over.
     */
    private static boolean closedByServer(Socket s) throws IOException {
      InputStream in = s.getInputStream();
      return s.isClosed() || in.available() > 0;
    }

    void closeAll() {
      for (Socket s : sockets) {
        closeQuietly(s);
      }
    }

    private static void closeQuietly(Socket s) {
      try {
        if (s != null) {
          s.close();
        }
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
