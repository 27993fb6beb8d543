package io.openavathar.examples.bench;

import io.openavathar.AvatarStudio;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodManager;
import io.openavathar.pod.PodPolicy;
import io.openavathar.pod.PodSpec;
import io.openavathar.runpod.RunPodPodProvider;
import io.openavathar.store.StudioStore;
import io.openavathar.testkit.runpod.RunPodSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Pod readiness detection: how long after a simulated pod's ComfyUI starts answering the SDK
 * notices (p50/p95 over many pods), and how many RunPod API calls one pod start costs (create +
 * status polls). The pods boot with random delays (provisioning 1-3 s, starting 1-3 s, container
 * 0-2 s, ComfyUI loading 2-6 s; new random delays per batch), deployed and awaited through {@link
 * PodManager} with the default {@link PodPolicy} polling (API 500 ms doubling to 10 s, then a
 * {@code /system_stats} probe every 500 ms).
 *
 * <pre>
 * java -cp openavathar-examples/target/openavathar.jar \
 *     io.openavathar.examples.bench.ReadinessBenchmark [pods=100] [concurrent=5]
 * </pre>
 */
public final class ReadinessBenchmark {
  private static final String KEY = "benchmark-fake-api-key";

  private ReadinessBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int concurrent = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Random random = new Random(7);
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    double[] delaysMs = new double[pods];
    long apiCalls = 0;
    System.out.printf(
        Locale.ROOT,
        "ReadinessBenchmark: %d pods, %d at a time, Java %s%n",
        pods,
        concurrent,
        System.getProperty("java.version"));
    try {
      int done = 0;
      while (done < pods) {
        // Every batch boots with its own random delays, so that readiness falls anywhere between
        // two polls.
        int batch = Math.min(concurrent, pods - done);
        try (RunPodSimulator runpod =
                RunPodSimulator.builder()
                    .apiKey(KEY)
                    .provisioningDelay(Duration.ofMillis(1000 + random.nextInt(2000)))
                    .startingDelay(Duration.ofMillis(1000 + random.nextInt(2000)))
                    .runtimeDelay(Duration.ofMillis(random.nextInt(2000)))
                    .comfyReadyDelay(Duration.ofMillis(2000 + random.nextInt(4000)))
                    .start();
            RunPodPodProvider provider =
                RunPodPodProvider.builder()
                    .apiKey(KEY)
                    .apiUrl(runpod.apiUrl())
                    .proxyUrlPattern(runpod.proxyUrlPattern())
                    .scheduler(scheduler)
                    .build();
            StudioStore store = StudioStore.inMemory();
            AvatarStudio studio =
                AvatarStudio.builder()
                    .podProvider(provider)
                    .podPolicy(PodPolicy.builder().idleStopOff().build())
                    .store(store)
                    .build()) {
          PodManager manager = studio.pods();
          List<CompletableFuture<Double>> waits = new ArrayList<>();
          for (int i = 0; i < batch; i++) {
            waits.add(
                manager
                    .deploy(PodSpec.builder().build())
                    .thenCompose(pod -> manager.awaitReady(pod.id(), Duration.ofMinutes(5)))
                    .thenApply(pod -> delayMs(runpod, pod, Instant.now())));
          }
          for (CompletableFuture<Double> w : waits) {
            delaysMs[done++] = w.join();
          }
          apiCalls += runpod.callCounts().values().stream().mapToInt(Integer::intValue).sum();
        }
      }
    } finally {
      scheduler.shutdownNow();
    }
    System.out.printf(
        Locale.ROOT,
        "ready -> noticed: p50 %.0f ms, p95 %.0f ms, max %.0f ms%n",
        Stats.median(delaysMs),
        Stats.percentile(delaysMs, 95),
        Stats.percentile(delaysMs, 100));
    System.out.printf(
        Locale.ROOT,
        "RunPod API calls per pod start (create + status polls): %.1f%n",
        apiCalls / (double) pods);
  }

  private static double delayMs(RunPodSimulator runpod, Pod pod, Instant noticed) {
    Instant ready =
        runpod
            .readyAt(pod.id())
            .orElseThrow(
                () -> new IllegalStateException("the simulator has no ready time for " + pod.id()));
    return Duration.between(ready, noticed).toNanos() / 1e6;
  }
}
