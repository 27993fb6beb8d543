package io.openavathar.examples.bench;

import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.comfy.OutputFile;
import io.openavathar.comfy.TransferListener;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
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
 * Upload and download throughput of a large file through the SDK's {@link ComfyUiClient}, against curl doing the
 * same against the same in-process ComfyUI simulator in the same run, on loopback.
 *
 * <pre>
 * java -Xmx64m -cp openavathar-examples/target/openavathar.jar \
 *     io.openavathar.examples.bench.TransferBenchmark [sizeMiB=1024] [rounds=3] [workDir=/tmp]
 * </pre>
 *
 * <p>Each round uploads under fresh names (hard links of one source file, so ComfyUI's same-name de-duplication never
 * short-cuts a transfer), SDK and curl alternating, then downloads one served file both ways. It prints each
 * transfer, the medians, the SDK/curl ratios and the peak heap; a heap too small to stream would end in an
 * OutOfMemoryError.
 */
public final class TransferBenchmark {
  private TransferBenchmark() {}

  public static void main(String[] args) throws Exception {
    long sizeMib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path work = Files.createTempDirectory(Path.of(args.length > 2 ? args[2] : System.getProperty("java.io.tmpdir")),
        "oa-transfer-");
    long size = sizeMib * 1024 * 1024;
    Path source = work.resolve("source.bin");
    writeRandom(source, size);
    System.out.printf(Locale.ROOT, "TransferBenchmark: %d MiB file, %d rounds, heap max %.0f MiB, Java %s%n",
        sizeMib, rounds, Stats.maxHeapMib(), System.getProperty("java.version"));

    List<Double> sdkUp = new ArrayList<>();
    List<Double> curlUp = new ArrayList<>();
    List<Double> sdkDown = new ArrayList<>();
    List<Double> curlDown = new ArrayList<>();
    try (ComfyUiSimulator sim = ComfyUiSimulator.builder().maxUploadSize(size + 1024 * 1024)
            .inputDirectory(work.resolve("server-input")).outputDirectory(work.resolve("server-output")).start();
        ComfyUiClient client = ComfyUiClient.create(sim.baseUrl())) {
      Path served = sim.outputDirectory().resolve("bench");
      Files.createDirectories(served);
      Files.createLink(served.resolve("big.bin"), source);
      OutputFile remote = new OutputFile("big.bin", "bench", "output");
      String view = sim.baseUrl() + "/view?filename=big.bin&subfolder=bench&type=output";

      for (int r = 1; r <= rounds; r++) {
        Path a = Files.createLink(work.resolve("sdk-" + r + ".bin"), source);
        long t0 = System.nanoTime();
        client.upload(a, TransferListener.NONE).get(10, TimeUnit.MINUTES);
        sdkUp.add(report("upload   SDK ", size, System.nanoTime() - t0));

        Path b = Files.createLink(work.resolve("curl-" + r + ".bin"), source);
        t0 = System.nanoTime();
        curl("-sS", "-o", "/dev/null", "-F", "image=@" + b, sim.baseUrl() + "/upload/image");
        curlUp.add(report("upload   curl", size, System.nanoTime() - t0));

        Path target = work.resolve("download.bin");
        t0 = System.nanoTime();
        client.download(remote, target, TransferListener.NONE).get(10, TimeUnit.MINUTES);
        sdkDown.add(report("download SDK ", size, System.nanoTime() - t0));
        check(target, size);
        Files.delete(target);

        t0 = System.nanoTime();
        curl("-sS", "-o", target.toString(), view);
        curlDown.add(report("download curl", size, System.nanoTime() - t0));
        check(target, size);
        Files.delete(target);

        Files.delete(a);
        Files.delete(b);
        try (var uploaded = Files.list(sim.inputDirectory())) {
          for (Path p : (Iterable<Path>) uploaded::iterator) {
            Files.deleteIfExists(p);
          }
        }
      }
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    double su = median(sdkUp);
    double cu = median(curlUp);
    double sd = median(sdkDown);
    double cd = median(curlDown);
    System.out.printf(Locale.ROOT, "median upload:   SDK %.0f MB/s, curl %.0f MB/s, SDK/curl %.2f%n", su, cu, su / cu);
    System.out.printf(Locale.ROOT, "median download: SDK %.0f MB/s, curl %.0f MB/s, SDK/curl %.2f%n", sd, cd, sd / cd);
    System.out.printf(Locale.ROOT, "peak heap used: %.1f MiB of %.0f MiB (no OutOfMemoryError)%n",
        Stats.peakHeapMib(), Stats.maxHeapMib());
  }

  private static double median(List<Double> v) {
    return Stats.median(v.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static double report(String what, long bytes, long nanos) {
    double mbs = bytes / 1e6 / (nanos / 1e9);
    System.out.printf(Locale.ROOT, "  %s %7.0f MB/s (%.2f s)%n", what, mbs, nanos / 1e9);
    return mbs;
  }

  private static void check(Path file, long size) throws IOException {
    if (Files.size(file) != size) {
      throw new IllegalStateException("downloaded " + Files.size(file) + " bytes, expected " + size);
    }
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
