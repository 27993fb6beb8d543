package io.openavathar.examples.bench;

import io.openavathar.AvatarStudio;
import io.openavathar.GenerationJob;
import io.openavathar.GenerationRequest;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Completion latency: from the moment the ComfyUI simulator sends the final {@code
 * executing{node:null}} of a prompt to the moment the job's future completes (history fetched, MP4
 * downloaded and written). Both instants are {@link System#nanoTime()} in the same JVM.
 *
 * <pre>
 * java -cp openavathar-examples/target/openavathar.jar \
 *     io.openavathar.examples.bench.CompletionLatencyBenchmark [jobs=200] [warmup=20]
 * </pre>
 */
public final class CompletionLatencyBenchmark {
  private CompletionLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path work = Files.createTempDirectory("oa-latency-");
    Path portrait =
        extract("/io/openavathar/examples/sample-portrait.png", work.resolve("portrait.png"));
    Path speech = extract("/io/openavathar/examples/sample-speech.wav", work.resolve("speech.wav"));
    Map<String, Long> doneSent = new ConcurrentHashMap<>();
    double[] latenciesMs = new double[jobs];
    try (ComfyUiSimulator sim = ComfyUiSimulator.builder().stepDelay(Duration.ZERO).start();
        AvatarStudio studio =
            AvatarStudio.builder()
                .comfyUrls(sim.baseUrl())
                .dataDirectory(work.resolve("data"))
                .outputDirectory(work.resolve("videos"))
                .build()) {
      sim.onEventSent(
          e -> {
            if (e.isExecutionDone()) {
              doneSent.put(e.promptId(), e.nanoTime());
            }
          });
      GenerationRequest request = GenerationRequest.builder().image(portrait).audio(speech).build();
      for (int i = -warmup; i < jobs; i++) {
        GenerationJob job = studio.generate(request);
        long[] completed = new long[1];
        job.future().whenComplete((v, e) -> completed[0] = System.nanoTime()).join();
        Files.deleteIfExists(job.future().join().file());
        if (i >= 0) {
          Long sent = doneSent.get(job.id());
          if (sent == null) {
            throw new IllegalStateException("no executing{node:null} seen for " + job.id());
          }
          latenciesMs[i] = (completed[0] - sent) / 1e6;
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "CompletionLatencyBenchmark: %d jobs (after %d warm-up), Java %s%n",
        jobs,
        warmup,
        System.getProperty("java.version"));
    System.out.printf(
        Locale.ROOT,
        "executing{node:null} -> future completed: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        Stats.median(latenciesMs),
        Stats.percentile(latenciesMs, 99),
        Stats.percentile(latenciesMs, 100));
  }

  private static Path extract(String resource, Path target) throws Exception {
    try (InputStream in = CompletionLatencyBenchmark.class.getResourceAsStream(resource)) {
      Files.copy(in, target);
    }
    return target;
  }
}
