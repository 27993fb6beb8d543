package io.openavathar.examples.cli;

import io.openavathar.AvatarStudio;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodLogLine;
import io.openavathar.pod.PodLogListener;
import io.openavathar.pod.PodLogStream;
import io.openavathar.pod.PodSpec;
import io.openavathar.runpod.RunPodPodProvider;
import io.openavathar.store.StartedPod;
import io.openavathar.store.StudioStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openavathar pods ...}: the user's RunPod pods. */
@Command(
    name = "pods",
    mixinStandardHelpOptions = true,
    description = "List and manage your RunPod pods.",
    subcommands = {
      PodsCommand.ListPods.class,
      PodsCommand.Create.class,
      PodsCommand.Start.class,
      PodsCommand.Stop.class,
      PodsCommand.Terminate.class,
      PodsCommand.Logs.class,
      PodsCommand.StopIdle.class
    })
final class PodsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** Options every pods subcommand has. */
  abstract static class Base implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RunPodOptions runpod = new RunPodOptions();

    @Option(names = "--verbose", description = "Show debug logs and stack traces.")
    boolean verbose;

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description =
            "Where OpenAvathar records the pods it started and keeps config.properties (default:"
                + " $OPENAVATHAR_DATA_DIR or ~/.openavathar).")
    Path dataDir;

    @Mixin StoreOptions store = new StoreOptions();

    Path dataDir() {
      return DataDirs.resolve(dataDir, DataDirs.HOME_DEFAULT);
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    /**
     * The pod no longer runs: drop it from the pods the SDK started (in the data directory's store,
     * if there is one), so that `pods list`, `stop-idle` and `--stop-pod` stop counting it as
     * running and billing.
     */
    void forgetStarted(String podId) {
      if (store.exists(dataDir())) {
        try (StudioStore s = store.open(dataDir())) {
          s.podForgotten(podId);
        }
      }
    }

    @Override
    public Integer call() throws Exception {
      try (RunPodPodProvider provider = runpod.provider()) {
        return run(provider);
      }
    }

    abstract Integer run(RunPodPodProvider provider) throws Exception;
  }

  @Command(
      name = "list",
      description =
          "List pods (SDK pods are marked, and those OpenAvathar started with the"
              + " minutes since their last job).")
  static final class ListPods extends Base {
    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    Integer run(RunPodPodProvider provider) {
      List<Pod> pods = join(provider.listPods());
      Map<String, StartedPod> started = new HashMap<>();
      Path dir = dataDir();
      if (store.exists(dir)) { // listing pods creates no data directory
        try (StudioStore s = store.open(dir)) {
          s.startedPods().stream()
              .filter(p -> p.provider().equals(provider.name()))
              .forEach(p -> started.put(p.podId(), p));
        }
      }
      Tables.pods(pods, started, Instant.now(), json, out());
      return 0;
    }
  }

  @Command(
      name = "stop-idle",
      description =
          "Stop every pod OpenAvathar started whose ComfyUI has been idle (no job"
              + " of ours, empty queue) for --idle-minutes; for cron when no long-running studio is around.")
  static final class StopIdle extends Base {
    @Option(
        names = "--idle-minutes",
        paramLabel = "N",
        defaultValue = "15",
        description = "Minutes since the pod's last job (default ${DEFAULT-VALUE}).")
    int idleMinutes;

    @Override
    Integer run(RunPodPodProvider provider) {
      if (idleMinutes < 0) {
        throw new IllegalArgumentException("--idle-minutes must be 0 or more, was " + idleMinutes);
      }
      try (AvatarStudio studio =
          store
              .apply(AvatarStudio.builder())
              .dataDirectory(dataDir())
              .podProvider(provider)
              .resumeOnStart(false)
              .build()) {
        List<String> stopped = join(studio.pods().stopIdlePods(Duration.ofMinutes(idleMinutes)));
        for (String id : stopped) {
          out().println("Stopped idle pod " + id);
        }
        if (stopped.isEmpty()) {
          out()
              .println("No pod OpenAvathar started has been idle for " + idleMinutes + " minutes.");
        }
        out().flush();
      }
      return 0;
    }
  }

  @Command(
      name = "create",
      description =
          "Deploy an InfiniteTalk pod on the cheapest GPU that fits (at least"
              + " --min-vram GB, at most --max-price per hour, community then secure cloud), or on the --gpu types given,"
              + " falling back to the next when one has no capacity.")
  static final class Create extends Base {
    @Mixin GpuOptions gpu = new GpuOptions();

    @Option(
        names = "--template",
        paramLabel = "ID",
        description = "Pod template (default qvidd7ityi).")
    String template;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    Integer run(RunPodPodProvider provider) {
      PodSpec.Builder spec = gpu.apply(PodSpec.builder());
      if (template != null) {
        spec.templateId(template);
      }
      Pod pod = join(provider.deploy(spec.build()));
      Tables.pods(List.of(pod), json, out());
      return 0;
    }
  }

  @Command(name = "start", description = "Start (resume) a stopped pod.")
  static final class Start extends Base {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    Integer run(RunPodPodProvider provider) {
      Tables.pods(List.of(join(provider.start(id))), false, out());
      return 0;
    }
  }

  @Command(
      name = "stop",
      description = "Stop a pod: the GPU is released, the volume kept (and billed).")
  static final class Stop extends Base {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    Integer run(RunPodPodProvider provider) {
      Tables.pods(List.of(join(provider.stop(id))), false, out());
      forgetStarted(id);
      return 0;
    }
  }

  @Command(
      name = "terminate",
      description = "Terminate a pod: everything not on a network volume is deleted.")
  static final class Terminate extends Base {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    Integer run(RunPodPodProvider provider) {
      join(provider.terminate(id));
      forgetStarted(id);
      out().println("Terminated " + id);
      out().flush();
      return 0;
    }
  }

  @Command(name = "logs", description = "Print a pod's log; --follow keeps streaming until Ctrl+C.")
  static final class Logs extends Base {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--follow", description = "Keep streaming new lines.")
    boolean follow;

    @Override
    Integer run(RunPodPodProvider provider) throws InterruptedException {
      CountDownLatch done = new CountDownLatch(1);
      Throwable[] failure = new Throwable[1];
      PrintWriter out = out();
      PodLogStream stream =
          provider.streamLogs(
              id,
              follow,
              new PodLogListener() {
                @Override
                public void onLine(PodLogLine line) {
                  out.println(line.line());
                  out.flush();
                }

                @Override
                public void onClosed(Throwable failureOrNull) {
                  failure[0] = failureOrNull;
                  done.countDown();
                }
              });
      try {
        done.await();
      } finally {
        stream.close();
      }
      if (failure[0] instanceof RuntimeException r) {
        throw r;
      }
      return 0;
    }
  }
}
