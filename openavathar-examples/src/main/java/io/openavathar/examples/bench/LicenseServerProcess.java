package io.openavathar.examples.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Our license server in its own JVM ({@code -Xmx256m}), started through the CLI ({@code openavathar
 * license-server}) as an operator runs it. Shared by the license server benchmarks.
 */
final class LicenseServerProcess implements AutoCloseable {
  /** Rate limits high enough that a load generator on one address is never refused. */
  static final List<String> UNLIMITED =
      List.of(
          "--rate-limit",
          "1000000000",
          "--check-limit",
          "1000000000",
          "--check-limit-per-device",
          "1000000000",
          "--track-limit",
          "1000000000",
          "--track-limit-per-device",
          "1000000000",
          "--new-devices-per-hour",
          "1000000000");

  private final Process process;
  private final URI baseUrl;

  private LicenseServerProcess(Process process) throws IOException {
    this.process = process;
    this.baseUrl = URI.create(firstLine(process));
  }

  /**
   * Starts {@code license-server --port <free> --data-dir <data> <extra...>} and waits for its URL.
   */
  static LicenseServerProcess start(Path data, List<String> extra) throws IOException {
    return start(List.of("--data-dir", data.toString()), null, extra);
  }

  /**
   * Starts {@code license-server --port <free> <store...> <extra...>} and waits for its URL.
   *
   * @param store {@code --data-dir D} or {@code --db-url URL}
   * @param dbPassword passed as {@code OPENAVATHAR_DB_PASSWORD}, or null
   */
  static LicenseServerProcess start(List<String> store, String dbPassword, List<String> extra)
      throws IOException {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> args = new ArrayList<>(List.of("--port", String.valueOf(port)));
    args.addAll(store);
    args.addAll(extra);
    return new LicenseServerProcess(process(args, dbPassword).start());
  }

  /** Mints a key with {@code license-server issue} and answers it. */
  static String issue(Path data, String email) throws IOException, InterruptedException {
    return issue(List.of("--data-dir", data.toString()), null, email);
  }

  /** Mints a key with {@code license-server issue <store...>} and answers it. */
  static String issue(List<String> store, String dbPassword, String email)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("issue", "--email", email));
    args.addAll(store);
    Process p = process(args, dbPassword).start();
    String key = firstLine(p);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("license-server issue failed");
    }
    return key;
  }

  URI baseUrl() {
    return baseUrl;
  }

  /** Stops the server and waits for its JVM to end. */
  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ProcessBuilder process(List<String> args, String dbPassword) {
    String jar =
        Path.of(
                LicenseServerProcess.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .getPath())
            .toString();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-cp",
                jar,
                "io.openavathar.examples.cli.Main",
                "license-server"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("OPENAVATHAR_WEBHOOK_SECRET", "benchmark-secret");
    if (dbPassword != null) {
      pb.environment().put("OPENAVATHAR_DB_PASSWORD", dbPassword);
    }
    return pb;
  }

  private static String firstLine(Process p) throws IOException {
    String line =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    if (line == null) {
      throw new IllegalStateException("the license server process ended before printing a line");
    }
    return line.trim();
  }
}
