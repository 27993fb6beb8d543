package io.openavathar.examples.bench;

import io.openavathar.testkit.postgres.PostgresDatabase;
import io.openavathar.testkit.postgres.PostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Throughput and latency of {@code GET /api/generation/check} on the license server, run in its own
 * JVM (as it would be deployed; its per-address rate limits raised out of the way): 32 keep-alive
 * connections, each with its own thread sending one request at a time, a quarter of them for a Pro
 * device and the rest for free devices. Warms up for 3 s, then measures for 10 s. In one run, one
 * after the other: one server on an SQLite file, then one and two servers on one PostgreSQL
 * database (the connections spread evenly over the servers, as behind a load balancer).
 *
 * <p>Run: {@code java -cp openavathar-examples/target/openavathar.jar
 * io.openavathar.examples.bench.LicenseCheckBenchmark [connections] [seconds] [jdbc-url | sqlite]}.
 * Without a URL PostgreSQL is a private cluster started from the machine's binaries (Debian's
 * {@code postgresql}, testkit {@link PostgresServer}); with one, its password comes from {@code
 * OPENAVATHAR_DB_PASSWORD}; {@code sqlite} skips PostgreSQL. Compare with {@code wrk -t2 -c32 -d10s
 * <url it prints>}.
 */
public final class LicenseCheckBenchmark {
  private static final int MAX_MICROS = 200_000;

  private LicenseCheckBenchmark() {}

  /** Runs the benchmark: {@code [connections] [seconds]}, default 32 and 10. */
  public static void main(String[] args) throws Exception {
    int connections = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    String postgres = args.length > 2 ? args[2] : null;
    Path data = Files.createTempDirectory("license-bench");
    run("SQLite, 1 server", List.of("--data-dir", data.toString()), null, 1, connections, seconds);
    if ("sqlite".equals(postgres)) {
      return;
    }
    String url;
    String password;
    if (postgres == null) {
      PostgresDatabase db = PostgresServer.shared().createDatabase("license_bench");
      url = db.jdbcUrlWithUser();
      password = db.password();
    } else {
      url = postgres;
      password = System.getenv("OPENAVATHAR_DB_PASSWORD");
    }
    List<String> store = List.of("--db-url", url);
    run("PostgreSQL, 1 server", store, password, 1, connections, seconds);
    run("PostgreSQL, 2 servers", store, password, 2, connections, seconds);
  }

  /**
   * Starts {@code servers} servers on one store, activates the Pro device, warms up and measures.
   */
  private static void run(
      String title, List<String> store, String password, int servers, int connections, int seconds)
      throws Exception {
    String key = LicenseServerProcess.issue(store, password, "bench-" + servers + "@example.com");
    List<LicenseServerProcess> started = new ArrayList<>();
    try {
      for (int i = 0; i < servers; i++) {
        started.add(LicenseServerProcess.start(store, password, LicenseServerProcess.UNLIMITED));
      }
      List<URI> bases = started.stream().map(LicenseServerProcess::baseUrl).toList();
      activate(bases.get(0), key, "bench-pro-device");
      System.out.printf(
          Locale.ROOT,
          "%s: %s, %d connections, %d s (after a 3 s warm-up)%n",
          title,
          bases,
          connections,
          seconds);
      System.out.println(
          "wrk: wrk -t2 -c"
              + connections
              + " -d"
              + seconds
              + "s '"
              + bases.get(0)
              + "/api/generation/check?fingerprint=bench-pro-device'");
      load(bases, connections, 3, false);
      load(bases, connections, seconds, true);
      if (System.getProperty("keepServer") != null) {
        System.out.println("server kept running; press Enter to stop");
        System.in.read();
      }
    } finally {
      started.forEach(LicenseServerProcess::close);
    }
  }

  private static void load(List<URI> bases, int connections, int seconds, boolean report)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(connections);
    long[][] histograms = new long[connections][MAX_MICROS + 1];
    long[] counts = new long[connections];
    List<Throwable> errors = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int index = c;
      String fingerprint = c % 4 == 0 ? "bench-pro-device" : "bench-free-device-" + c;
      URI base = bases.get(c % bases.size());
      Thread t =
          new Thread(
              () -> {
                try {
                  counts[index] = connection(base, fingerprint, stop, histograms[index]);
                } catch (IOException | RuntimeException e) {
                  synchronized (errors) {
                    errors.add(e);
                  }
                } finally {
                  done.countDown();
                }
              },
              "bench-" + c);
      t.setDaemon(true);
      t.start();
    }
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    done.await();
    double elapsed = (System.nanoTime() - t0) / 1e9;
    if (!errors.isEmpty()) {
      throw new IllegalStateException("a load connection failed: " + errors.get(0), errors.get(0));
    }
    if (!report) {
      return;
    }
    long[] merged = new long[MAX_MICROS + 1];
    long total = 0;
    for (int c = 0; c < connections; c++) {
      total += counts[c];
      for (int i = 0; i <= MAX_MICROS; i++) {
        merged[i] += histograms[c][i];
      }
    }
    System.out.printf(
        Locale.ROOT,
        "requests: %d in %.1f s = %.0f requests/s; latency p50 %.2f ms, p99 %.2f ms,"
            + " p99.9 %.2f ms%n",
        total,
        elapsed,
        total / elapsed,
        percentile(merged, total, 0.50) / 1000.0,
        percentile(merged, total, 0.99) / 1000.0,
        percentile(merged, total, 0.999) / 1000.0);
  }

  /**
   * One keep-alive connection sending requests back to back until stopped; answers the number
   * completed.
   */
  private static long connection(URI base, String fingerprint, AtomicBoolean stop, long[] histogram)
      throws IOException {
    byte[] request =
        ("GET /api/generation/check?fingerprint="
                + fingerprint
                + " HTTP/1.1\r\nHost: "
                + base.getHost()
                + ":"
                + base.getPort()
                + "\r\nAccept: application/json\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    long n = 0;
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = new java.io.BufferedInputStream(s.getInputStream(), 8192);
      while (!stop.get()) {
        long t0 = System.nanoTime();
        out.write(request);
        out.flush();
        readResponse(in);
        long micros = (System.nanoTime() - t0) / 1000;
        histogram[(int) Math.min(micros, MAX_MICROS)]++;
        n++;
      }
    }
    return n;
  }

  /** Reads one response: checks the status is 200 and skips Content-Length bytes of body. */
  private static void readResponse(InputStream in) throws IOException {
    String status = line(in);
    if (!status.startsWith("HTTP/1.1 200")) {
      throw new IOException("unexpected answer: " + status);
    }
    int length = -1;
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(h.substring(15).trim());
      }
    }
    if (length < 0) {
      throw new IOException("answer without Content-Length");
    }
    in.skipNBytes(length);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder(64);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("the server closed the connection");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  private static double percentile(long[] histogram, long total, double p) {
    long rank = (long) Math.ceil(p * total);
    long seen = 0;
    for (int i = 0; i < histogram.length; i++) {
      seen += histogram[i];
      if (seen >= rank) {
        return i;
      }
    }
    return histogram.length - 1;
  }

  private static void activate(URI base, String key, String fingerprint)
      throws IOException, InterruptedException {
    var client = java.net.http.HttpClient.newHttpClient();
    var response =
        client.send(
            java.net.http.HttpRequest.newBuilder(base.resolve("/api/license/activate"))
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"licenseKey\":\"" + key + "\",\"fingerprint\":\"" + fingerprint + "\"}"))
                .header("Content-Type", "application/json")
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "activating the benchmark's Pro device failed: " + response.body());
    }
  }
}
