package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.store.StudioStore;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobsCliTest {
  @TempDir Path dir;
  ComfyUiSimulator sim;
  StringWriter out;
  StringWriter err;

  @BeforeEach
  void setUp() {
    sim = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
  }

  @AfterEach
  void tearDown() {
    sim.close();
  }

  int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  Path copy(String resource, String name) throws Exception {
    try (InputStream in = getClass().getResourceAsStream(resource)) {
      Path p = dir.resolve(name);
      Files.copy(in, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return p;
    }
  }

  @Test
  void detach_thenList_run_show() throws Exception {
    String data = dir.resolve("data").toString();
    Path image = copy(DemoCommand.PORTRAIT, "me.png");
    Path audio = copy(DemoCommand.SPEECH, "me.wav");
    Path target = dir.resolve("v.mp4");

    assertThat(
            run(
                "generate",
                "--detach",
                "--image",
                image.toString(),
                "--audio",
                audio.toString(),
                "--out",
                target.toString(),
                "--data-dir",
                data))
        .as(err.toString())
        .isZero();
    String id = out.toString().trim();
    assertThat(err.toString()).contains("Queued job " + id);

    assertThat(run("jobs", "list", "--data-dir", data)).isZero();
    assertThat(out.toString()).contains(id, "QUEUED");

    assertThat(run("jobs", "run", "--comfy-url", sim.baseUrl().toString(), "--data-dir", data))
        .as(err.toString())
        .isZero();
    assertThat(target).exists();
    assertThat(out.toString()).contains(target.toAbsolutePath().toString());

    assertThat(run("jobs", "list", "--state", "COMPLETED", "--json", "--data-dir", data)).isZero();
    assertThat(out.toString()).contains("\"id\" : \"" + id + "\"");

    assertThat(run("jobs", "show", id, "--data-dir", data)).isZero();
    assertThat(out.toString())
        .contains("state:    COMPLETED", "pod:      comfy-1", "QUEUED (detached)", "SUBMITTED");
    // The simulator's GPU, read from /system_stats of the static URL; no price, so no cost.
    assertThat(out.toString())
        .containsPattern(
            "video: +"
                + java.util.regex.Pattern.quote(target.toAbsolutePath().toString())
                + " \\(\\d+ GPU-s on Simulated GPU\\)");

    assertThat(run("jobs", "cancel", id, "--data-dir", data)).isEqualTo(2);
    assertThat(err.toString()).contains("cannot be cancelled");
  }

  @Test
  void work_untilEmpty_runsTheQueuedJobs_atMostMaxInFlightAtOnce_thenStops() throws Exception {
    String data = dir.resolve("data").toString();
    String first = detached(data, dir.resolve("a.mp4"));
    String second = detached(data, dir.resolve("b.mp4"));

    assertThat(
            run(
                "jobs",
                "work",
                "--until-empty",
                "--max-in-flight",
                "1",
                "--comfy-url",
                sim.baseUrl().toString(),
                "--data-dir",
                data))
        .as(err.toString())
        .isZero();

    assertThat(dir.resolve("a.mp4")).exists();
    assertThat(dir.resolve("b.mp4")).exists();
    assertThat(sim.promptIdsSeen()).containsExactly(first, second);
    assertThat(err.toString())
        .contains(
            "at most 1 at once", "Job " + first + " COMPLETED", "Job " + second + " COMPLETED");
    assertThat(run("jobs", "work", "--max-in-flight", "0", "--data-dir", data)).isEqualTo(2);
    assertThat(err.toString()).contains("--max-in-flight must be at least 1");
  }

  /** Queues a job with {@code generate --detach} and returns its id. */
  String detached(String data, Path target) throws Exception {
    Path image = copy(DemoCommand.PORTRAIT, "me.png");
    Path audio = copy(DemoCommand.SPEECH, "me.wav");
    assertThat(
            run(
                "generate",
                "--detach",
                "--image",
                image.toString(),
                "--audio",
                audio.toString(),
                "--out",
                target.toString(),
                "--data-dir",
                data))
        .as(err.toString())
        .isZero();
    return out.toString().trim();
  }

  /**
   * Claims a job as a studio in process {@code pid} on {@code host} would, for {@code lease} from
   * now.
   */
  static void claim(String data, String id, String host, long pid, Duration lease) {
    try (StudioStore store = StudioStore.open(Path.of(data))) {
      String owner = "{\"studio\":\"s-1\",\"host\":\"" + host + "\",\"pid\":" + pid + "}";
      assertThat(store.claimJob(id, owner, Instant.now(), lease)).isTrue();
    }
  }

  static void release(String data, String id, String host, long pid) {
    try (StudioStore store = StudioStore.open(Path.of(data))) {
      store.releaseJob(id, "{\"studio\":\"s-1\",\"host\":\"" + host + "\",\"pid\":" + pid + "}");
      assertThat(store.claim(id)).isEmpty();
    }
  }

  @Test
  void run_whenAnotherHostHoldsAJob_namesTheHolder_andWaitRunsItWhenTheClaimEnds()
      throws Exception {
    String data = dir.resolve("data").toString();
    Path target = dir.resolve("v.mp4");
    String id = detached(data, target);
    claim(data, id, "gpu-box-7", 4242, Duration.ofHours(1));

    assertThat(run("jobs", "run", "--comfy-url", sim.baseUrl().toString(), "--data-dir", data))
        .isEqualTo(1);
    assertThat(err.toString())
        .contains(
            "Job " + id + " is held by a studio on host gpu-box-7 (pid 4242) until ",
            " UTC; run `openavathar jobs run --wait` to wait for it",
            "0 unfinished job(s) to run, 1 held by another studio");
    assertThat(target).doesNotExist();

    assertThat(run("jobs", "show", id, "--data-dir", data)).isZero();
    assertThat(out.toString()).contains("held by:  a studio on host gpu-box-7 (pid 4242) until ");

    assertThat(run("jobs", "cancel", id, "--data-dir", data)).isEqualTo(1);
    assertThat(err.toString())
        .contains(
            "job " + id + " is held by a studio on host gpu-box-7 (pid 4242)",
            "cancel it in that studio");

    // The holder gives the job up once `--wait` is waiting for it (not after a fixed time, which a
    // slow machine could overtake): the waiting studio then runs it.
    StringWriter waitOut = new StringWriter();
    StringWriter waitErr = new StringWriter();
    java.util.concurrent.CompletableFuture<Integer> waiting =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                Main.run(
                    new String[] {
                      "jobs",
                      "run",
                      "--wait",
                      "--comfy-url",
                      sim.baseUrl().toString(),
                      "--data-dir",
                      data
                    },
                    new PrintWriter(waitOut, true),
                    new PrintWriter(waitErr, true)));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!waitErr.toString().contains("waiting for it")) {
      assertThat(System.nanoTime()).as(waitErr.toString()).isLessThan(deadline);
      assertThat(waiting).as(waitErr.toString()).isNotDone();
      Thread.sleep(10); // polling the CLI's output, bounded
    }
    release(data, id, "gpu-box-7", 4242);
    assertThat(waiting.get(60, java.util.concurrent.TimeUnit.SECONDS))
        .as(waitErr.toString())
        .isZero();
    out = waitOut;
    err = waitErr;
    assertThat(err.toString()).contains("is held by a studio on host gpu-box-7", "waiting for it");
    assertThat(target).exists();
    assertThat(out.toString()).contains(target.toAbsolutePath().toString());
  }

  @Test
  void runAndCancel_whenTheHoldingProcessOnThisHostIsGone_actAtOnce() throws Exception {
    String data = dir.resolve("data").toString();
    String first = detached(data, dir.resolve("a.mp4"));
    String second = detached(data, dir.resolve("b.mp4"));
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String host = InetAddress.getLocalHost().getHostName();
    claim(data, first, host, p.pid(), Duration.ofHours(1));
    claim(data, second, host, p.pid(), Duration.ofHours(1));

    assertThat(run("jobs", "cancel", second, "--data-dir", data)).as(err.toString()).isZero();
    assertThat(run("jobs", "run", "--comfy-url", sim.baseUrl().toString(), "--data-dir", data))
        .as(err.toString())
        .isZero();
    assertThat(err.toString()).contains("1 unfinished job(s) to run").doesNotContain("held by");
    assertThat(dir.resolve("a.mp4")).exists();
    assertThat(dir.resolve("b.mp4")).doesNotExist();
  }

  @Test
  void retry_runsAFailedJobAgain() throws Exception {
    String data = dir.resolve("data").toString();
    Path image = copy(DemoCommand.PORTRAIT, "me.png");
    Path audio = copy(DemoCommand.SPEECH, "me.wav");
    sim.failNextExecution("22", "RuntimeException", "boom");
    assertThat(
            run(
                "generate",
                "--comfy-url",
                sim.baseUrl().toString(),
                "--image",
                image.toString(),
                "--audio",
                audio.toString(),
                "--out",
                dir.resolve("a.mp4").toString(),
                "--data-dir",
                data))
        .isEqualTo(1);
    assertThat(run("jobs", "list", "--state", "FAILED", "--json", "--data-dir", data)).isZero();
    String id = out.toString().replaceAll("(?s).*\"id\" : \"([^\"]+)\".*", "$1");

    assertThat(
            run("jobs", "retry", id, "--comfy-url", sim.baseUrl().toString(), "--data-dir", data))
        .as(err.toString())
        .isZero();
    assertThat(dir.resolve("a.mp4")).exists();
  }
}
