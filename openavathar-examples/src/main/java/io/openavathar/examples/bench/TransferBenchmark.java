package io.openavathar.examples.bench;

import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.comfy.OutputFile;
import io.openavathar.comfy.TransferListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Upload and download throughput of a large file through the SDK's {@link ComfyUiClient}, against
 * curl doing the same against the same ComfyUI simulator (run as its own process) in the same run,
 * on loopback.
 *
 * <pre>
 * java -Xmx64m -cp openavathar-examples/target/openavathar.jar \
 *     io.openavathar.examples.bench.TransferBenchmark [sizeMiB=1024] [rounds=3] [workDir=/dev/shm]
 * </pre>
 *
 * <p>Uploads go under fresh names (hard links of one source file, so ComfyUI's same-name
 * de-duplication never short-cuts a transfer); then one served file is downloaded. SDK and curl
 * take turns going first, dirty pages are flushed ({@code sync}) before every timed transfer, and a
 * first round warms up both JVMs without being counted. It prints each transfer, the medians, the
 * SDK/curl ratios and the peak heap; a heap too small to stream would end in an OutOfMemoryError.
 */
public final class TransferBenchmark {
  private TransferBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    long sizeMib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    // Default to RAM (/dev/shm) so the numbers are the transfer's, not the disk's: on a VM,
    // write-back of the last
    // gigabyte makes whoever writes next several times slower, whatever client it is.
    String defaultDir =
        Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : System.getProperty("java.io.tmpdir");
    Path work =
        Files.createTempDirectory(Path.of(args.length > 2 ? args[2] : defaultDir), "oa-transfer-");
    long size = sizeMib * 1024 * 1024;
    Path source = work.resolve("source.bin");
    writeRandom(source, size);
    System.out.printf(
        Locale.ROOT,
        "TransferBenchmark: %d MiB file, %d rounds, heap max %.0f MiB, Java %s, in %s%n",
        sizeMib,
        rounds,
        Stats.maxHeapMib(),
        System.getProperty("java.version"),
        work);

    List<Double> sdkUp = new ArrayList<>();
    List<Double> curlUp = new ArrayList<>();
    List<Double> sdkDown = new ArrayList<>();
    List<Double> curlDown = new ArrayList<>();
    Path serverInput = work.resolve("server-input");
    Path serverOutput = work.resolve("server-output");
    Process server = startSimulator(sizeMib + 1, serverInput, serverOutput);
    try (ComfyUiClient client = ComfyUiClient.create(baseUrl(server))) {
      String base = client.baseUrl().toString();
      Path served = serverOutput.resolve("bench");
      Files.createDirectories(served);
      Files.createLink(served.resolve("big.bin"), source);
      OutputFile remote = new OutputFile("big.bin", "bench", "output");
      String view = base + "/view?filename=big.bin&subfolder=bench&type=output";

      List<Double> discard = new ArrayList<>();
      // Uploads first, then downloads, so that no download pays for the memory the uploads just
      // filled. Round 0
      // warms up the JIT of both JVMs and is not counted; SDK and curl take turns going first.
      for (int r = 0; r <= rounds; r++) {
        boolean sdkFirst = r % 2 == 1;
        Path a = Files.createLink(work.resolve("sdk-" + r + ".bin"), source);
        Path b = Files.createLink(work.resolve("curl-" + r + ".bin"), source);
        for (int turn = 0; turn < 2; turn++) {
          sync();
          long t0 = System.nanoTime();
          if ((turn == 0) == sdkFirst) {
            client.upload(a, TransferListener.NONE).get(10, TimeUnit.MINUTES);
            (r == 0 ? discard : sdkUp)
                .add(report(r, "upload   SDK ", size, System.nanoTime() - t0));
          } else {
            curl("-sS", "-o", "/dev/null", "-F", "image=@" + b, base + "/upload/image");
            (r == 0 ? discard : curlUp)
                .add(report(r, "upload   curl", size, System.nanoTime() - t0));
          }
        }
        Files.delete(a);
        Files.delete(b);
        try (var uploaded = Files.list(serverInput)) {
          for (Path p : (Iterable<Path>) uploaded::iterator) {
            Files.deleteIfExists(p);
          }
        }
      }
      Path target = work.resolve("download.bin");
      for (int r = 0; r <= rounds; r++) {
        boolean sdkFirst = r % 2 == 1;
        for (int turn = 0; turn < 2; turn++) {
          sync();
          long t0 = System.nanoTime();
          if ((turn == 0) == sdkFirst) {
            client.download(remote, target, TransferListener.NONE).get(10, TimeUnit.MINUTES);
            (r == 0 ? discard : sdkDown)
                .add(report(r, "download SDK ", size, System.nanoTime() - t0));
          } else {
            curl("-sS", "-o", target.toString(), view);
            (r == 0 ? discard : curlDown)
                .add(report(r, "download curl", size, System.nanoTime() - t0));
          }
          check(target, size);
          Files.delete(target);
        }
      }
    } finally {
      server.destroy();
      server.waitFor();
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    double su = median(sdkUp);
    double cu = median(curlUp);
    double sd = median(sdkDown);
    double cd = median(curlDown);
    System.out.printf(
        Locale.ROOT,
        "median upload:   SDK %.0f MB/s, curl %.0f MB/s, SDK/curl %.2f%n",
        su,
        cu,
        su / cu);
    System.out.printf(
        Locale.ROOT,
        "median download: SDK %.0f MB/s, curl %.0f MB/s, SDK/curl %.2f%n",
        sd,
        cd,
        sd / cd);
    System.out.printf(
        Locale.ROOT,
        "peak heap used: %.1f MiB of %.0f MiB (no OutOfMemoryError)%n",
        Stats.peakHeapMib(),
        Stats.maxHeapMib());
  }

  /**
   * Runs the simulator in its own JVM, as a real ComfyUI is its own process: the SDK then has this
   * JVM (and its -Xmx) to itself, exactly as curl has its own process.
   */
  private static Process startSimulator(long maxUploadMib, Path input, Path output)
      throws IOException {
    String jar =
        Path.of(
                TransferBenchmark.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .getPath())
            .toString();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return new ProcessBuilder(
            java,
            "-Xmx256m",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp",
            jar,
            "io.openavathar.testkit.comfy.ComfyUiSimulator",
            "--port",
            String.valueOf(port),
            "--max-upload-mib",
            String.valueOf(maxUploadMib),
            "--input-dir",
            input.toString(),
            "--output-dir",
            output.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static java.net.URI baseUrl(Process server) throws IOException {
    String line =
        new java.io.BufferedReader(
                new java.io.InputStreamReader(
                    server.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))
            .readLine();
    if (line == null) {
      throw new IllegalStateException("the simulator process ended before printing its URL");
    }
    return java.net.URI.create(line.trim());
  }

  private static double median(List<Double> v) {
    return Stats.median(v.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static double report(int round, String what, long bytes, long nanos) {
    double mbs = bytes / 1e6 / (nanos / 1e9);
    System.out.printf(
        Locale.ROOT,
        "  %s %s %7.0f MB/s (%.2f s)%n",
        round == 0 ? "warm-up" : "round " + round,
        what,
        mbs,
        nanos / 1e9);
    return mbs;
  }

  private static void check(Path file, long size) throws IOException {
    if (Files.size(file) != size) {
      throw new IllegalStateException(
          "downloaded " + Files.size(file) + " bytes, expected " + size);
    }
  }

  private static void sync() throws IOException, InterruptedException {
    new ProcessBuilder("sync").inheritIO().start().waitFor();
  }

  private static void curl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("curl");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("curl failed: " + cmd);
    }
  }

  private static void writeRandom(Path file, long size) throws IOException {
    byte[] chunk = new byte[1 << 20];
    Random random = new Random(1);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < size; written += chunk.length) {
        random.nextBytes(chunk);
        out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
      }
    }
  }
}
