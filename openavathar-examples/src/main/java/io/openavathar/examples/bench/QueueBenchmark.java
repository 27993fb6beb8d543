package io.openavathar.examples.bench;

import io.openavathar.AvatarStudio;
import io.openavathar.GenerationJob;
import io.openavathar.GenerationRequest;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Many jobs over several pods: 1,000 jobs (lengths drawn between 1x and 5x: 1 to 5 InfiniteTalk
 * windows) over 4 simulated ComfyUI pods, all submitted at once. Reports the makespan against the
 * ideal (the pods' total busy time / pods, or the longest job if that is more), and the live
 * threads and heap each queued job costs.
 *
 * <pre>
 * java -cp openavathar-examples/target/openavathar.jar \
 *     io.openavathar.examples.bench.QueueBenchmark [jobs=1000] [pods=4] [stepDelayMs=10]
 * </pre>
 */
public final class QueueBenchmark {
  /**
   * Audio lengths (s) that need 1, 2, 3, 4 and 5 frame windows at 25 fps (81 frames, then 72 more
   * each).
   */
  private static final double[] SECONDS_FOR_WINDOWS = {3.0, 5.0, 8.0, 11.0, 14.0};

  private QueueBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int podCount = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    long stepDelayMs = args.length > 2 ? Long.parseLong(args[2]) : 10;
    Path work = Files.createTempDirectory("oa-queue-");
    Path portrait = work.resolve("portrait.png");
    BenchMedia.portrait(portrait);
    Path[] audio = new Path[SECONDS_FOR_WINDOWS.length];
    for (int i = 0; i < audio.length; i++) {
      audio[i] =
          BenchMedia.silence(work.resolve("speech-" + (i + 1) + ".wav"), SECONDS_FOR_WINDOWS[i]);
    }
    List<ComfyUiSimulator> pods = new ArrayList<>();
    Map<String, Long> started = new ConcurrentHashMap<>();
    Map<String, Long> busyNanos = new ConcurrentHashMap<>();
    for (int i = 0; i < podCount; i++) {
      ComfyUiSimulator sim =
          ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(stepDelayMs)).start();
      sim.onEventSent(
          e -> {
            if ("execution_start".equals(e.type())) {
              started.put(e.promptId(), e.nanoTime());
            } else if (e.isExecutionDone()) {
              Long s = started.get(e.promptId());
              if (s != null) {
                busyNanos.put(e.promptId(), e.nanoTime() - s);
              }
            }
          });
      pods.add(sim);
    }
    Random random = new Random(42);
    try (AvatarStudio studio =
        AvatarStudio.builder()
            .comfyUrls(pods.stream().map(ComfyUiSimulator::baseUrl).toList())
            .dataDirectory(work.resolve("data"))
            .outputDirectory(work.resolve("videos"))
            .build()) {
      // Warm up (not measured): one job per pod.
      List<CompletableFuture<?>> warm = new ArrayList<>();
      for (int i = 0; i < podCount; i++) {
        warm.add(
            studio
                .generate(GenerationRequest.builder().image(portrait).audio(audio[0]).build())
                .future());
      }
      CompletableFuture.allOf(warm.toArray(CompletableFuture[]::new)).join();
      busyNanos.clear();

      int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
      long heapBefore = usedHeapAfterGc();
      long t0 = System.nanoTime();
      List<GenerationJob> all = new ArrayList<>();
      for (int i = 0; i < jobs; i++) {
        all.add(
            studio.generate(
                GenerationRequest.builder()
                    .image(portrait)
                    .audio(audio[random.nextInt(audio.length)])
                    .build()));
      }
      long queued = System.nanoTime();
      int threadsQueued = ManagementFactory.getThreadMXBean().getThreadCount();
      long heapQueued = usedHeapAfterGc();
      CompletableFuture.allOf(
              all.stream().map(GenerationJob::future).toArray(CompletableFuture[]::new))
          .join();
      long end = System.nanoTime();

      double makespan = (end - t0) / 1e9;
      double totalBusy = busyNanos.values().stream().mapToLong(Long::longValue).sum() / 1e9;
      double longest = busyNanos.values().stream().mapToLong(Long::longValue).max().orElse(0) / 1e9;
      double ideal = Math.max(totalBusy / podCount, longest);
      System.out.printf(
          Locale.ROOT,
          "QueueBenchmark: %d jobs (1-5 windows, %d ms per step) over %d pods, Java %s%n",
          jobs,
          stepDelayMs,
          podCount,
          System.getProperty("java.version"));
      System.out.printf(
          Locale.ROOT,
          "submitting %d jobs took %.2f s (inputs checked on the caller's thread)%n",
          jobs,
          (queued - t0) / 1e9);
      System.out.printf(
          Locale.ROOT,
          "makespan %.2f s, ideal %.2f s (busy %.2f s over %d pods; longest job %.2f s):"
              + " %.1f%% over ideal%n",
          makespan,
          ideal,
          totalBusy,
          podCount,
          longest,
          (makespan / ideal - 1) * 100);
      System.out.printf(
          Locale.ROOT,
          "threads: %d before, %d with %d jobs queued (%.3f per job)%n",
          threadsBefore,
          threadsQueued,
          jobs,
          (threadsQueued - threadsBefore) / (double) jobs);
      System.out.printf(
          Locale.ROOT,
          "heap: %.1f MiB more with %d jobs queued (%.1f KiB per job)%n",
          (heapQueued - heapBefore) / 1048576.0,
          jobs,
          (heapQueued - heapBefore) / 1024.0 / jobs);
    } finally {
      pods.forEach(ComfyUiSimulator::close);
    }
  }

  private static long usedHeapAfterGc() {
    System.gc();
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
