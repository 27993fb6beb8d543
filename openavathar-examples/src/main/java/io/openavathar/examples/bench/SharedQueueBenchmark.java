package io.openavathar.examples.bench;

import io.openavathar.AvatarStudio;
import io.openavathar.GenerationRequest;
import io.openavathar.JobState;
import io.openavathar.store.JobRecord;
import io.openavathar.store.StudioStore;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.postgres.PostgresDatabase;
import io.openavathar.testkit.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One job queue shared by several studio processes on one PostgreSQL: 1,000 jobs, queued by this
 * driver, run by 2 child processes ({@code openavathar jobs work --until-empty}, same class path)
 * over 4 ComfyUI simulators in this JVM. Reports the makespan against the ideal (the pods' total
 * busy time / pods), the jobs executed more than once (from the simulators' own records) and the
 * jobs lost (not COMPLETED with a video file).
 *
 * <pre>
 * java -cp openavathar-examples/target/openavathar.jar \
 *     io.openavathar.examples.bench.SharedQueueBenchmark [jobs=1000] [pods=4] [studios=2] [stepDelayMs=50]
 * </pre>
 */
public final class SharedQueueBenchmark {
  private SharedQueueBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int podCount = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int studios = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    long stepDelayMs = args.length > 3 ? Long.parseLong(args[3]) : 50;
    Path work = Files.createTempDirectory("oa-shared-queue-");
    Path portrait = BenchMedia.portrait(work.resolve("portrait.png"));
    Path speech = BenchMedia.silence(work.resolve("speech.wav"), 3.0); // one window

    PostgresDatabase db = PostgresServer.shared().createDatabase("bench");
    List<ComfyUiSimulator> pods = new ArrayList<>();
    Map<String, Long> started = new ConcurrentHashMap<>();
    Map<String, Long> busyNanos = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    AtomicLong firstStartMillis = new AtomicLong(Long.MAX_VALUE);
    for (int i = 0; i < podCount; i++) {
      ComfyUiSimulator sim =
          ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(stepDelayMs)).start();
      sim.onEventSent(
          e -> {
            if ("execution_start".equals(e.type())) {
              started.put(e.promptId(), e.nanoTime());
              executions.computeIfAbsent(e.promptId(), k -> new AtomicInteger()).incrementAndGet();
              firstStartMillis.accumulateAndGet(System.currentTimeMillis(), Math::min);
            } else if (e.isExecutionDone()) {
              Long s = started.get(e.promptId());
              if (s != null) {
                busyNanos.merge(e.promptId(), e.nanoTime() - s, Long::sum);
              }
            }
          });
      pods.add(sim);
    }
    List<Process> children = new ArrayList<>();
    try (StudioStore store = StudioStore.connect(db.jdbcUrlWithUser(), db.password())) {
      // Queued by this driver, as an app's front end does (`generate --detach`); nothing runs yet.
      long q0 = System.nanoTime();
      List<String> ids = new ArrayList<>();
      try (AvatarStudio front =
          AvatarStudio.builder()
              .store(store) // not closed by the studio
              .resumeOnStart(false)
              .comfyUrls(pods.get(0).baseUrl())
              .outputDirectory(work.resolve("videos"))
              .build()) {
        for (int i = 0; i < jobs; i++) {
          ids.add(
              front
                  .jobs()
                  .enqueue(
                      GenerationRequest.builder()
                          .image(portrait)
                          .audio(speech)
                          .seed(i)
                          .outputFile(work.resolve("videos").resolve("v-" + i + ".mp4"))
                          .build())
                  .id());
        }
      }
      double queueSeconds = (System.nanoTime() - q0) / 1e9;

      long launchMillis = System.currentTimeMillis();
      for (int i = 0; i < studios; i++) {
        children.add(studioProcess(db, pods, work.resolve("studio-" + i)).start());
      }
      for (Process p : children) {
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
          throw new IllegalStateException("a studio process did not finish within 30 minutes");
        }
        if (p.exitValue() != 0) {
          throw new IllegalStateException(
              "a studio process failed: exit " + p.exitValue() + "; see the logs in " + work);
        }
      }

      Instant lastEnd = Instant.EPOCH;
      int lost = 0;
      for (String id : ids) {
        JobRecord r = store.job(id).orElse(null);
        if (r != null && r.updatedAt().isAfter(lastEnd)) {
          lastEnd = r.updatedAt();
        }
        if (r == null
            || r.state() != JobState.COMPLETED
            || r.outputFile().isEmpty()
            || !Files.exists(Path.of(r.outputFile().get()))) {
          lost++;
        }
      }
      long runTwice = executions.values().stream().filter(n -> n.get() > 1).count();
      int totalExecutions = executions.values().stream().mapToInt(AtomicInteger::get).sum();
      List<String> seen = new ArrayList<>();
      pods.forEach(p -> seen.addAll(p.promptIdsSeen()));
      long submittedTwice = seen.size() - seen.stream().distinct().count();

      double makespan = (lastEnd.toEpochMilli() - firstStartMillis.get()) / 1000.0;
      double totalBusy = busyNanos.values().stream().mapToLong(Long::longValue).sum() / 1e9;
      double ideal = totalBusy / podCount;
      System.out.printf(
          Locale.ROOT,
          "SharedQueueBenchmark: %d jobs (1 window, %d ms per step) over %d pods, %d studio"
              + " processes on PostgreSQL, Java %s%n",
          jobs,
          stepDelayMs,
          podCount,
          studios,
          System.getProperty("java.version"));
      System.out.printf(
          Locale.ROOT, "queueing %d jobs (enqueue) took %.1f s%n", jobs, queueSeconds);
      System.out.printf(
          Locale.ROOT,
          "first execution %.1f s after the studio processes were launched (JVM start)%n",
          (firstStartMillis.get() - launchMillis) / 1000.0);
      System.out.printf(
          Locale.ROOT,
          "makespan %.2f s (first execution to last job's end), ideal %.2f s (busy %.2f s over %d"
              + " pods, %.3f s per job): %.1f%% over ideal%n",
          makespan,
          ideal,
          totalBusy,
          podCount,
          totalBusy / Math.max(1, busyNanos.size()),
          (makespan / ideal - 1) * 100);
      System.out.printf(
          Locale.ROOT,
          "executions %d for %d jobs; prompts executed more than once %d; prompts submitted more"
              + " than once %d; lost %d%n",
          totalExecutions,
          jobs,
          runTwice,
          submittedTwice,
          lost);
    } finally {
      children.forEach(Process::destroy);
      pods.forEach(ComfyUiSimulator::close);
    }
  }

  /**
   * {@code openavathar jobs work --until-empty} in a JVM of its own on the shared store, its
   * password in the environment.
   */
  private static ProcessBuilder studioProcess(
      PostgresDatabase db, List<ComfyUiSimulator> pods, Path dataDir) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                System.getProperty("java.class.path"),
                "io.openavathar.examples.cli.Main",
                "jobs",
                "work",
                "--until-empty",
                "--store-url",
                db.jdbcUrlWithUser(),
                "--data-dir",
                dataDir.toString()));
    for (ComfyUiSimulator p : pods) {
      cmd.add("--comfy-url");
      cmd.add(p.baseUrl().toString());
    }
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectError(dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("OPENAVATHAR_STORE_PASSWORD", db.password());
    return pb;
  }
}
