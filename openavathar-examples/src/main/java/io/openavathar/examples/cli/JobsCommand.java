package io.openavathar.examples.cli;

import io.openavathar.AvatarStudio;
import io.openavathar.GenerationJob;
import io.openavathar.JobState;
import io.openavathar.job.JobHolder;
import io.openavathar.job.JobInfo;
import io.openavathar.store.JobQuery;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openavathar jobs ...}: the durable job queue. */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description = "List, inspect, cancel, retry and run jobs.",
    subcommands = {
      JobsCommand.ListJobs.class,
      JobsCommand.Show.class,
      JobsCommand.Cancel.class,
      JobsCommand.Retry.class,
      JobsCommand.Run.class,
      JobsCommand.Work.class
    })
final class JobsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  abstract static class Base implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StudioOptions studio = new StudioOptions();

    @Option(names = "--verbose", description = "Show debug logs and stack traces.")
    boolean verbose;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }
  }

  @Command(name = "list", description = "Jobs, newest first.")
  static final class ListJobs extends Base {
    @Option(names = "--state", description = "Only these states (repeatable), e.g. FAILED.")
    List<JobState> states = new ArrayList<>();

    @Option(names = "--limit", defaultValue = "20")
    int limit;

    @Option(names = "--offset", defaultValue = "0")
    int offset;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
      try (AvatarStudio s = studio.storeOnly()) {
        Set<JobState> filter = states.isEmpty() ? Set.of() : EnumSet.copyOf(states);
        List<JobInfo> jobs = s.jobs().list(new JobQuery(filter, offset, limit));
        if (json) {
          com.fasterxml.jackson.databind.node.ArrayNode arr =
              com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createArrayNode();
          for (JobInfo j : jobs) {
            var o = arr.addObject();
            o.put("id", j.id());
            o.put("state", j.state().name());
            o.put("createdAt", j.createdAt().toString());
            o.put("pod", j.podId().orElse(null));
            o.put("attempt", j.attempt());
            o.put("error", j.errorMessage().orElse(null));
            o.put("outputFile", j.outputFile().map(Object::toString).orElse(null));
          }
          out().println(arr.toPrettyString());
        } else {
          List<String[]> rows = new ArrayList<>();
          rows.add(new String[] {"ID", "STATE", "CREATED", "POD", "TRIES", "OUTPUT / ERROR"});
          for (JobInfo j : jobs) {
            rows.add(
                new String[] {
                  j.id(),
                  j.state().name(),
                  j.createdAt().toString(),
                  j.podId().orElse("-"),
                  String.valueOf(j.attempt()),
                  j.errorMessage().or(() -> j.outputFile().map(Object::toString)).orElse("-")
                });
          }
          Tables.table(rows, out());
        }
      }
      out().flush();
      return 0;
    }
  }

  @Command(name = "show", description = "One job: its record and its log.")
  static final class Show extends Base {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      try (AvatarStudio s = studio.storeOnly()) {
        JobInfo j =
            s.jobs().get(id).orElseThrow(() -> new IllegalArgumentException("no job " + id));
        PrintWriter out = out();
        out.printf(
            Locale.ROOT,
            "id:       %s%nstate:    %s%ncreated:  %s%nupdated:  %s%nseed:     %d%n",
            j.id(),
            j.state(),
            j.createdAt(),
            j.updatedAt(),
            j.seed());
        out.printf(
            Locale.ROOT,
            "pod:      %s%nprompt:   %s%ntries:    %d%noutput:   %s%n",
            j.podId().orElse("-"),
            j.promptId().orElse("-"),
            j.attempt(),
            j.outputFile().map(Object::toString).orElse("-"));
        j.errorMessage().ifPresent(e -> out.println("error:    " + e));
        s.videos()
            .get(id)
            .ifPresent(
                v -> {
                  String usage = VideoTables.usage(v);
                  out.println(
                      "video:    " + v.file() + (usage.isEmpty() ? "" : " (" + usage + ")"));
                });
        s.jobs().holder(id).ifPresent(h -> out.println("held by:  " + h.description()));
        out.println("log:");
        s.jobs().log(id).forEach(l -> out.println("  " + l));
        out.flush();
      }
      return 0;
    }
  }

  @Command(name = "cancel", description = "Cancel an unfinished job.")
  static final class Cancel extends Base {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      try (AvatarStudio s = studio.storeOnly()) {
        if (!s.jobs().cancel(id)) {
          Optional<JobHolder> holder = s.jobs().holder(id);
          if (holder.isPresent()) {
            throw new IllegalStateException(
                "job "
                    + id
                    + " is held by "
                    + holder.get().description()
                    + ": cancel it in that studio, or run `openavathar jobs cancel "
                    + id
                    + "` again once its claim ends");
          }
          throw new IllegalArgumentException(
              "job "
                  + id
                  + " cannot be cancelled: it is unknown or has ended"
                  + " (see `openavathar jobs show "
                  + id
                  + "`)");
        }
        out().println("Cancelled " + id);
        out().flush();
      }
      return 0;
    }
  }

  @Command(
      name = "retry",
      description = "Run a failed or cancelled job again (same request and seed) and wait.")
  static final class Retry extends Base {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        description =
            "Write the MP4 here instead of the job's own output file (checked before anything is sent).")
    Path out;

    @Override
    public Integer call() {
      try (JobRunner runner =
          JobRunner.open(studio.runner(false), out(), spec.commandLine().getErr())) {
        GenerationJob job =
            out == null ? runner.studio().jobs().retry(id) : runner.studio().jobs().retry(id, out);
        spec.commandLine().getErr().println("Retrying " + id + " as job " + job.id());
        runner.await(job);
      }
      return 0;
    }
  }

  @Command(
      name = "run",
      description =
          "Run every unfinished job (queued with --detach, or left by a crash) and wait."
              + " A job another running studio holds is named and left alone, unless --wait.")
  static final class Run extends Base {
    @Option(
        names = "--wait",
        description =
            "Also wait for jobs another studio holds: run each here when its claim"
                + " ends (that studio stopped without finishing it), or report its end if that studio finishes it.")
    boolean waitForHeld;

    @Option(
        names = "--stop-pod",
        description =
            "On RunPod: once the jobs are done, stop the pods they ran on that"
                + " OpenAvathar started and no other job uses (default: keep them, and print how to stop them).")
    boolean stopPod;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      try (JobRunner runner = JobRunner.open(studio.runner(false), out(), err)) {
        AvatarStudio s = runner.studio();
        List<GenerationJob> jobs = s.jobs().resumeUnfinished();
        Set<String> started = new HashSet<>();
        jobs.forEach(j -> started.add(j.id()));
        List<JobHolder> held = new ArrayList<>();
        for (JobInfo j : s.jobs().list(JobQuery.unfinished())) {
          if (!started.contains(j.id())) {
            s.jobs().holder(j.id()).ifPresent(held::add);
          }
        }
        // Started now, so that each held job runs as soon as it is free while the others are
        // awaited.
        Map<String, CompletableFuture<Optional<GenerationJob>>> waits = new LinkedHashMap<>();
        for (JobHolder h : held) {
          if (waitForHeld) {
            err.println("Job " + h.jobId() + " is held by " + h.description() + "; waiting for it");
            waits.put(h.jobId(), s.jobs().resumeWhenFree(h.jobId()));
          } else {
            err.println(
                "Job "
                    + h.jobId()
                    + " is held by "
                    + h.description()
                    + "; run `openavathar jobs run --wait` to wait for it");
          }
        }
        err.println(
            jobs.size()
                + " unfinished job(s) to run"
                + (held.isEmpty()
                    ? ""
                    : ", "
                        + held.size()
                        + " held by another studio"
                        + (waitForHeld ? " (waiting)" : " (not run)")));
        int failed = 0;
        Set<String> ran = new LinkedHashSet<>();
        for (GenerationJob job : jobs) {
          ran.add(job.id());
          failed += awaitJob(runner, job) ? 0 : 1;
        }
        for (Map.Entry<String, CompletableFuture<Optional<GenerationJob>>> w : waits.entrySet()) {
          Optional<GenerationJob> job;
          try {
            job = w.getValue().join();
          } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
          }
          if (job.isPresent()) {
            ran.add(job.get().id());
            failed += awaitJob(runner, job.get()) ? 0 : 1;
          } else {
            JobState end = s.jobs().get(w.getKey()).map(JobInfo::state).orElse(JobState.FAILED);
            err.println(
                "Job "
                    + w.getKey()
                    + " ended "
                    + end
                    + " (see `openavathar jobs show "
                    + w.getKey()
                    + "`)");
            failed += end == JobState.COMPLETED ? 0 : 1;
          }
        }
        if (s.podProvider().canManagePods()) {
          List<String> podsUsed = new ArrayList<>();
          ran.forEach(id -> s.jobs().get(id).flatMap(JobInfo::podId).ifPresent(podsUsed::add));
          BillingPods.afterJobs(s, podsUsed, stopPod, err);
        }
        return failed == 0 && (waitForHeld || held.isEmpty()) ? 0 : 1;
      }
    }

    private boolean awaitJob(JobRunner runner, GenerationJob job) {
      try {
        runner.await(job);
        return true;
      } catch (RuntimeException e) {
        spec.commandLine().getErr().println("Job " + job.id() + " failed: " + e.getMessage());
        return false;
      }
    }
  }

  static Duration forever() {
    return Duration.ofDays(1);
  }

  @Command(
      name = "work",
      description =
          "Keep taking jobs from the queue (queued with `generate --detach`, or left by a studio"
              + " that stopped) and run them, until Ctrl+C (or, with --until-empty, until no job is"
              + " left). Several `jobs work` on one"
              + " store (one data directory, or one --store-url on PostgreSQL) share its queue: each"
              + " job runs in exactly one of them, and the jobs of one that died are taken over"
              + " about a minute later.")
  static final class Work extends Base {
    @Option(
        names = "--max-in-flight",
        paramLabel = "N",
        description =
            "Jobs this worker runs at once (default: 2 per pod it may use: each --comfy-url, or"
                + " the pods it may start on RunPod).")
    Integer maxInFlight;

    @Option(
        names = "--until-empty",
        description =
            "Stop once no unfinished job is left in the store (for batch runs and cron) instead of"
                + " waiting for more.")
    boolean untilEmpty;

    @Option(
        names = "--stop-pod",
        description =
            "On RunPod: when the worker stops, stop the pods its jobs ran on that OpenAvathar"
                + " started and no other job uses (default: keep them for other workers, and print"
                + " how to stop them).")
    boolean stopPod;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter err = spec.commandLine().getErr();
      if (maxInFlight != null && maxInFlight < 1) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--max-in-flight must be at least 1, was " + maxInFlight);
      }
      // The jobs that ended here, for the pods they ran on.
      Set<String> ended = java.util.concurrent.ConcurrentHashMap.newKeySet();
      AvatarStudio.Builder b = studio.runnerBuilder(false).listener(endsTo(err, ended));
      if (maxInFlight == null) {
        b.workQueue();
      } else {
        b.workQueue(maxInFlight);
      }
      java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
      CtrlC ctrlC = CtrlC.register("openavathar-stop-worker", stop::countDown, () -> {});
      try (AvatarStudio s = b.build()) {
        err.println(
            "Taking jobs from the queue"
                + (maxInFlight == null ? "" : ", at most " + maxInFlight + " at once")
                + "; Ctrl+C stops (jobs running here are then taken over by another worker, or"
                + " the next `openavathar jobs work`).");
        err.flush();
        java.util.concurrent.ScheduledExecutorService empty = null;
        if (untilEmpty) {
          empty = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
          empty.scheduleWithFixedDelay(
              () -> {
                if (s.jobs().list(JobQuery.unfinished()).isEmpty()) {
                  stop.countDown();
                }
              },
              0,
              500,
              java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        try {
          stop.await();
        } finally {
          if (empty != null) {
            empty.shutdownNow();
          }
        }
        if (!untilEmpty || CtrlC.pressed()) {
          err.println("Stopping: the jobs running here stay queued for another worker.");
        }
        // The worker's idle stop ends with it: say which pods still bill, or stop them.
        if (s.podProvider().canManagePods()) {
          List<String> podsUsed = new ArrayList<>();
          ended.forEach(id -> s.jobs().get(id).flatMap(JobInfo::podId).ifPresent(podsUsed::add));
          BillingPods.afterJobs(s, podsUsed, stopPod, err);
        }
      } finally {
        ctrlC.close();
      }
      return 0;
    }

    /** One line per job that ends here. */
    private static io.openavathar.JobListener endsTo(PrintWriter err, Set<String> ended) {
      return new io.openavathar.JobListener() {
        @Override
        public void onStateChanged(GenerationJob job, JobState from, JobState to) {
          if (to.isTerminal()) {
            ended.add(job.id());
          }
          if (to == JobState.COMPLETED) {
            job.future()
                .thenAccept(
                    v -> {
                      err.println("Job " + job.id() + " COMPLETED: " + v.file());
                      err.flush();
                    });
          } else if (to.isTerminal()) {
            err.println(
                "Job " + job.id() + " " + to + " (see `openavathar jobs show " + job.id() + "`)");
          }
          err.flush();
        }
      };
    }
  }
}
