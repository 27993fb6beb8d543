package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.testkit.runpod.RunPodSimulator;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodsCliTest {
  static final String KEY = "rpa_CLITEST0123456789ABCDEFGHIJK";
  @TempDir Path dir;
  RunPodSimulator runpod;
  StringWriter out = new StringWriter();
  StringWriter err = new StringWriter();

  @BeforeEach
  void setUp() {
    runpod =
        RunPodSimulator.builder()
            .apiKey(KEY)
            .provisioningDelay(Duration.ofMillis(20))
            .startingDelay(Duration.ofMillis(20))
            .comfyReadyDelay(Duration.ofMillis(50))
            .comfyStepDelay(Duration.ofMillis(1))
            .start();
  }

  /**
   * Pods a test means to leave running; every other pod must be stopped or terminated when it ends.
   */
  final List<String> leftRunning = new ArrayList<>();

  @AfterEach
  void tearDown() {
    try {
      assertThat(runpod.billingPods())
          .as("pods left running (and billing)")
          .containsExactlyInAnyOrderElementsOf(leftRunning);
    } finally {
      runpod.close();
    }
  }

  int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--runpod-api-key",
            KEY,
            "--runpod-api-url",
            runpod.apiUrl().toString(),
            "--runpod-proxy-pattern",
            runpod.proxyUrlPattern()));
    return Main.run(
        all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void podsCreateListStopStartTerminate() {
    assertThat(run("pods", "create", "--gpu", "NVIDIA RTX A6000", "--cloud", "secure"))
        .as(err.toString())
        .isZero();
    String id = runpod.pods().get(0).id();
    assertThat(out.toString()).contains(id, "NVIDIA RTX A6000", "SECURE");

    // --data-dir: a test never reads the user's own ~/.openavathar (its store may be another
    // version's)
    String data = dir.resolve("data").toString();
    assertThat(run("pods", "list", "--data-dir", data)).as(err.toString()).isZero();
    assertThat(out.toString()).contains("ID", "STATUS", id, "yes");

    assertThat(run("pods", "list", "--json", "--data-dir", data)).isZero();
    assertThat(out.toString()).contains("\"id\" : \"" + id + "\"", "\"managed\" : true");

    assertThat(run("pods", "stop", id)).as(err.toString()).isZero();
    assertThat(runpod.pod(id).orElseThrow().status()).isEqualTo("EXITED");
    assertThat(run("pods", "start", id)).as(err.toString()).isZero();
    assertThat(run("pods", "terminate", id)).isZero();
    assertThat(out.toString()).contains("Terminated " + id);
    assertThat(runpod.pods()).isEmpty();
  }

  @Test
  void gpus_listsTypesWithPrices() {
    assertThat(run("gpus")).isZero();
    assertThat(out.toString()).contains("NVIDIA GeForce RTX 4090", "COMMUNITY $/H");
    assertThat(run("gpus", "--json")).isZero();
    assertThat(out.toString()).contains("\"id\" : \"NVIDIA GeForce RTX 4090\"");
  }

  @Test
  @org.junit.jupiter.api.Timeout(30)
  void podsLogs_withoutFollow_printsTheLogSoFar_andEnds() {
    run("pods", "create");
    String id = runpod.pods().get(0).id();
    assertThat(run("pods", "logs", id)).as(err.toString()).isZero();
    assertThat(out.toString()).isNotBlank();
    assertThat(run("pods", "terminate", id)).isZero();
  }

  @Test
  void wrongKey_isOneLineWithoutTheKey() {
    runpod.rejectApiKey();
    assertThat(run("pods", "list")).isEqualTo(ExitCodes.NO_POD);
    assertThat(err.toString())
        .contains("RunPod rejected the API key")
        .doesNotContain(KEY)
        .endsWith("Check RUNPOD_API_KEY (or --runpod-api-key)." + System.lineSeparator());
    assertThat(err.toString().lines()).hasSize(1);
  }

  @Test
  void noCapacity_exitsWith5_inOneLine() {
    runpod.noCapacityFor("NVIDIA RTX A6000");
    assertThat(run("pods", "create", "--gpu", "NVIDIA RTX A6000", "--cloud", "community"))
        .isEqualTo(ExitCodes.NO_POD);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith("openavathar: No ")
        .doesNotContain("(...)");
  }

  @Test
  void create_whenEveryCandidateGetsA400InOtherWords_exitsWith5_listingEachCandidate() {
    runpod.noCapacityFor("NVIDIA RTX A6000", "COMMUNITY", "request could not be processed");
    runpod.noCapacityFor(
        "NVIDIA RTX A6000", "SECURE", "Something went wrong. Please try again later.");
    assertThat(
            run(
                "pods",
                "create",
                "--gpu",
                "NVIDIA RTX A6000",
                "--cloud",
                "community",
                "--cloud",
                "secure"))
        .isEqualTo(ExitCodes.NO_POD);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .contains("RTX A6000/community (HTTP 400: request could not be processed)")
        .contains("RTX A6000/secure (HTTP 400: Something went wrong. Please try again later.)");
    assertThat(runpod.pods()).isEmpty();
  }

  @Test
  void anUnknownPod_isNamedWithoutJavaMethods() {
    assertThat(run("pods", "stop", "nope")).isEqualTo(ExitCodes.NO_POD);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .contains("RunPod has no pod nope")
        .doesNotContain("()")
        .doesNotContain("(...)");
  }

  @Test
  void generate_withoutComfyUrl_runsOnRunPod_startingAPod() throws Exception {
    Path image = copy(DemoCommand.PORTRAIT, "me.png");
    Path audio = copy(DemoCommand.SPEECH, "me.wav");
    Path target = dir.resolve("v.mp4");
    int code =
        run(
            "generate",
            "--image",
            image.toString(),
            "--audio",
            audio.toString(),
            "--out",
            target.toString(),
            "--stop-pod",
            "--data-dir",
            dir.resolve("data").toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(target).exists();
    // What the simulated RTX 4090 at its community price spent, as the job's summary line says it.
    assertThat(err.toString())
        .containsPattern(
            "Video: .*; \\d+ GPU-s on NVIDIA GeForce RTX 4090, \\$0\\.\\d+ \\(at \\$0\\.34/h\\)");
    assertThat(runpod.createCalls()).isEqualTo(1);
    assertThat(err.toString()).contains("Stopped pod");
    assertThat(runpod.pods().get(0).status()).isEqualTo("EXITED");
  }

  @Test
  void generate_withoutStopPod_namesThePodStillBilling_andALaterGenerateWithStopPodStopsIt()
      throws Exception {
    String data = dir.resolve("data").toString();
    assertThat(generate(data, "a.mp4")).as(err.toString()).isZero();
    String id = runpod.pods().get(0).id();
    assertThat(err.toString())
        .contains(
            "Pod "
                + id
                + " is still running and billing. Stop it with: openavathar pods"
                + " stop "
                + id
                + " (or pass --stop-pod next time)");

    // A later run on the same data directory knows the SDK started the pod, reuses it, and stops
    // it.
    assertThat(generate(data, "b.mp4", "--stop-pod")).as(err.toString()).isZero();
    assertThat(runpod.createCalls()).isEqualTo(1);
    assertThat(err.toString()).contains("Stopped pod " + id + ".").doesNotContain("still running");
    assertThat(runpod.pod(id).orElseThrow().status()).isEqualTo("EXITED");
  }

  @Test
  void jobsRun_withStopPod_stopsThePodTheJobsRanOn_andWithoutItSaysHowToStopIt() throws Exception {
    String data = dir.resolve("data").toString();
    assertThat(generate(data, "a.mp4", "--detach")).as(err.toString()).isZero();
    assertThat(run("jobs", "run", "--data-dir", data)).as(err.toString()).isZero();
    String id = runpod.pods().get(0).id();
    assertThat(err.toString())
        .contains(
            "Pod "
                + id
                + " is still running and billing. Stop it with: openavathar pods"
                + " stop "
                + id);

    assertThat(generate(data, "b.mp4", "--detach")).as(err.toString()).isZero();
    assertThat(run("jobs", "run", "--stop-pod", "--data-dir", data)).as(err.toString()).isZero();
    assertThat(err.toString()).contains("Stopped pod " + id + ".").doesNotContain("still running");
    assertThat(runpod.pod(id).orElseThrow().status()).isEqualTo("EXITED");
  }

  @Test
  void jobsWork_withStopPod_stopsThePodTheJobsRanOn_andWithoutItSaysHowToStopIt() throws Exception {
    String data = dir.resolve("data").toString();
    assertThat(generate(data, "a.mp4", "--detach")).as(err.toString()).isZero();
    assertThat(run("jobs", "work", "--until-empty", "--data-dir", data))
        .as(err.toString())
        .isZero();
    String id = runpod.pods().get(0).id();
    assertThat(err.toString())
        .contains(
            "Pod "
                + id
                + " is still running and billing. Stop it with: openavathar pods"
                + " stop "
                + id);

    assertThat(generate(data, "b.mp4", "--detach")).as(err.toString()).isZero();
    assertThat(run("jobs", "work", "--until-empty", "--stop-pod", "--data-dir", data))
        .as(err.toString())
        .isZero();
    assertThat(runpod.createCalls()).isEqualTo(1);
    assertThat(err.toString()).contains("Stopped pod " + id + ".").doesNotContain("still running");
    assertThat(runpod.pod(id).orElseThrow().status()).isEqualTo("EXITED");
  }

  @Test
  void podsList_marksThePodsOpenAvatharStarted_andStopIdle_stopsThemOnceIdleThatLong()
      throws Exception {
    String data = dir.resolve("data").toString();
    assertThat(generate(data, "a.mp4")).as(err.toString()).isZero();
    String ours = runpod.pods().get(0).id();
    assertThat(run("pods", "create")).isZero(); // by hand: not OpenAvathar's to stop
    String theirs = runpod.pods().get(1).id();

    assertThat(run("pods", "list", "--json", "--data-dir", data)).isZero();
    assertThat(out.toString())
        .contains("\"startedBySdk\" : true", "\"idleMinutes\" : 0", "\"startedBySdk\" : false");
    assertThat(run("pods", "list", "--data-dir", data)).isZero();
    assertThat(out.toString())
        .contains(
            "STARTED BY SDK", "IDLE", "0 min", "PRICE/H", "$0.34", "COST SINCE START", "~$0.00");

    assertThat(run("pods", "stop-idle", "--idle-minutes", "60", "--data-dir", data))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("No pod OpenAvathar started has been idle for 60 minutes.");
    assertThat(runpod.billingPods()).containsExactlyInAnyOrder(ours, theirs);

    assertThat(run("pods", "stop-idle", "--idle-minutes", "0", "--data-dir", data))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("Stopped idle pod " + ours);
    assertThat(runpod.pod(ours).orElseThrow().status()).isEqualTo("EXITED");
    leftRunning.add(theirs); // not started by OpenAvathar's studio: stop-idle leaves it alone
    assertThat(run("pods", "terminate", theirs)).isZero();
    leftRunning.clear();
  }

  @Test
  void podsStop_byHand_forgetsThatOpenAvatharStartedThePod() throws Exception {
    String data = dir.resolve("data").toString();
    assertThat(generate(data, "a.mp4")).as(err.toString()).isZero();
    String ours = runpod.pods().get(0).id();

    assertThat(run("pods", "stop", ours, "--data-dir", data)).as(err.toString()).isZero();

    try (io.openavathar.store.StudioStore store =
        io.openavathar.store.StudioStore.open(Path.of(data))) {
      assertThat(store.startedPods()).isEmpty();
    }
    assertThat(run("pods", "list", "--json", "--data-dir", data)).isZero();
    assertThat(out.toString()).doesNotContain("\"startedBySdk\" : true");
  }

  /**
   * Runs {@code generate} on RunPod with the demo portrait and speech, writing {@code out} in the
   * test directory.
   */
  int generate(String data, String out, String... more) throws Exception {
    Path image = dir.resolve("me.png");
    Path audio = dir.resolve("me.wav");
    if (!Files.exists(image)) {
      copy(DemoCommand.PORTRAIT, "me.png");
      copy(DemoCommand.SPEECH, "me.wav");
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                "generate",
                "--image",
                image.toString(),
                "--audio",
                audio.toString(),
                "--out",
                dir.resolve(out).toString(),
                "--data-dir",
                data));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  Path copy(String resource, String name) throws Exception {
    try (InputStream in = getClass().getResourceAsStream(resource)) {
      Path p = dir.resolve(name);
      Files.copy(in, p);
      return p;
    }
  }
}
