package io.openavathar.examples.bench;

import io.openavathar.AvatarStudio;
import io.openavathar.CostEstimate;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationRequest;
import io.openavathar.pod.PodPolicy;
import io.openavathar.runpod.RunPodPodProvider;
import io.openavathar.testkit.runpod.RunPodSimulator;
import io.openavathar.testkit.runpod.SimulatedGpuType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How close {@code AvatarStudio.estimate} lands to what a job then takes, on the RunPod and ComfyUI
 * simulators (whose GPUs report simulated GPU seconds: a fixed part per job plus seconds per
 * sampled frame, +-8% seeded jitter). For each account speed, a fresh studio first makes 3 videos
 * (history), then, for audio of 1 to 40 s, estimates and makes each video and compares the
 * estimated GPU seconds and cost with the recorded ones. The first estimate of each run, before any
 * history, shows the published figures' error for contrast.
 *
 * <pre>
 * java -cp openavathar-examples/target/openavathar.jar io.openavathar.examples.bench.EstimateBenchmark
 * </pre>
 */
public final class EstimateBenchmark {
  private static final String KEY = "benchmark-fake-api-key";

  /** The 3 jobs of history, then the measured ones. */
  private static final double[] HISTORY_SECONDS = {4, 14, 33};

  private static final double[] MEASURED_SECONDS = {1, 2, 3, 5, 8, 12, 17, 23, 30, 36, 40};

  private EstimateBenchmark() {}

  /** An account speed: how the simulated RTX 4090 performs (overhead s, s per frame). */
  private record Account(String name, double overheadSeconds, double secondsPerFrame) {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    List<Account> accounts =
        List.of(
            new Account("4090 as published-ish (20 s + 1.6 s/frame)", 20, 1.6),
            new Account("slow 4090s (60 s + 2.3 s/frame)", 60, 2.3),
            new Account("fast 4090s (10 s + 1.1 s/frame)", 10, 1.1));
    System.out.printf(
        Locale.ROOT,
        "EstimateBenchmark: %d history jobs, then audio of %s s; Java %s%n",
        HISTORY_SECONDS.length,
        java.util.Arrays.toString(MEASURED_SECONDS),
        System.getProperty("java.version"));
    double worstAll = 0;
    int outsideRange = 0;
    int measured = 0;
    for (Account account : accounts) {
      Path work = Files.createTempDirectory("oa-estimate-");
      Path portrait = BenchMedia.portrait(work.resolve("portrait.png"));
      List<SimulatedGpuType> catalog = new ArrayList<>();
      for (SimulatedGpuType t : SimulatedGpuType.defaults()) {
        catalog.add(
            t.name().equals("RTX 4090")
                ? t.withSpeed(account.overheadSeconds(), account.secondsPerFrame())
                : t);
      }
      try (RunPodSimulator runpod =
              RunPodSimulator.builder()
                  .apiKey(KEY)
                  .seed(11)
                  .gpuTypes(catalog)
                  .provisioningDelay(Duration.ofMillis(20))
                  .startingDelay(Duration.ofMillis(20))
                  .runtimeDelay(Duration.ofMillis(20))
                  .comfyReadyDelay(Duration.ofMillis(50))
                  .comfyStepDelay(Duration.ofMillis(1))
                  .start();
          RunPodPodProvider provider =
              RunPodPodProvider.builder()
                  .apiKey(KEY)
                  .apiUrl(runpod.apiUrl())
                  .proxyUrlPattern(runpod.proxyUrlPattern())
                  .build();
          AvatarStudio studio =
              AvatarStudio.builder()
                  .dataDirectory(work.resolve("data"))
                  .podProvider(provider)
                  .podPolicy(
                      PodPolicy.builder()
                          .apiPolling(Duration.ofMillis(20), Duration.ofMillis(100))
                          .probeInterval(Duration.ofMillis(20))
                          .build())
                  .outputDirectory(work.resolve("out"))
                  .build()) {
        System.out.printf(Locale.ROOT, "%n%s%n", account.name());
        System.out.printf(
            Locale.ROOT,
            "%8s %10s %22s %10s %8s %12s %12s%n",
            "audio",
            "basis",
            "estimate GPU-s",
            "actual",
            "error",
            "est. cost",
            "actual cost");
        int i = 0;
        for (double seconds : HISTORY_SECONDS) {
          run(studio, portrait, work, seconds, i++, true);
        }
        for (double seconds : MEASURED_SECONDS) {
          double[] r = run(studio, portrait, work, seconds, i++, false);
          worstAll = Math.max(worstAll, Math.abs(r[0]));
          outsideRange += (int) r[1];
          measured++;
        }
        runpod.pods().forEach(p -> provider.terminate(p.id()).join());
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%nAfter 3 jobs of history: worst GPU-seconds error %.1f%% over %d jobs; %d actuals "
            + "outside the estimate's range%n",
        worstAll * 100,
        measured,
        outsideRange);
  }

  /** Estimates, then makes the video; returns {relative error, 1 if outside the range}. */
  private static double[] run(
      AvatarStudio studio, Path portrait, Path work, double seconds, int n, boolean history)
      throws Exception {
    GenerationRequest request =
        GenerationRequest.builder()
            .image(portrait)
            .audio(BenchMedia.silence(work.resolve("speech-" + n + ".wav"), seconds))
            .seed(n)
            .build();
    CostEstimate e = studio.estimate(request).get();
    GeneratedVideo v = studio.generate(request).await(Duration.ofMinutes(5));
    double actual = v.gpuSeconds();
    double error = (e.gpuSeconds().expected() - actual) / actual;
    boolean outside = actual < e.gpuSeconds().low() || actual > e.gpuSeconds().high();
    System.out.printf(
        Locale.ROOT,
        "%7.0fs %10s %6.0f (%5.0f-%5.0f) %10.0f %7.1f%% %12s %12s%s%n",
        seconds,
        e.basis() == CostEstimate.Basis.MEASURED ? e.measuredRuns() + " runs" : "published",
        e.gpuSeconds().expected(),
        e.gpuSeconds().low(),
        e.gpuSeconds().high(),
        actual,
        error * 100,
        e.costUsd().map(c -> String.format(Locale.ROOT, "$%.4f", c.expected())).orElse("-"),
        v.costUsd().isPresent()
            ? String.format(Locale.ROOT, "$%.4f", v.costUsd().getAsDouble())
            : "-",
        history ? "  (history)" : outside ? "  OUTSIDE RANGE" : "");
    return new double[] {error, outside ? 1 : 0};
  }
}
