package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.testkit.runpod.RunPodSimulator;
import io.openavathar.testkit.runpod.SimulatedGpuType.Availability;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --min-vram, --max-price, --cloud, --gpu on `gpus`, `pods create` and `generate`, and their config
 * file.
 */
class GpuCliTest {
  static final String KEY = "rpa_GPUCLITEST0123456789ABCDEFGH";
  static final String RTX4090 = "NVIDIA GeForce RTX 4090";
  static final String A6000 = "NVIDIA RTX A6000";

  @TempDir Path dir;
  Path data;
  RunPodSimulator runpod;
  StringWriter out = new StringWriter();
  StringWriter err = new StringWriter();

  @BeforeEach
  void setUp() {
    data = dir.resolve("data");
    runpod =
        RunPodSimulator.builder()
            .apiKey(KEY)
            .provisioningDelay(Duration.ofMillis(20))
            .startingDelay(Duration.ofMillis(20))
            .comfyReadyDelay(Duration.ofMillis(50))
            .start();
  }

  @AfterEach
  void tearDown() {
    try {
      for (String id :
          runpod.billingPods()) { // pods this test created by hand; none may stay billing
        assertThat(run("pods", "terminate", id)).as(err.toString()).isZero();
      }
    } finally {
      runpod.close();
    }
  }

  /**
   * Runs the CLI against the simulator on the test's data directory; {@code withKey} adds
   * --runpod-api-key.
   */
  int run(boolean withKey, String... args) {
    out = new StringWriter();
    err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--data-dir",
            data.toString(),
            "--runpod-api-url",
            runpod.apiUrl().toString(),
            "--runpod-proxy-pattern",
            runpod.proxyUrlPattern()));
    if (withKey) {
      all.addAll(List.of("--runpod-api-key", KEY));
    }
    return Main.run(
        all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  int run(String... args) {
    return run(true, args);
  }

  int config(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("config"));
    all.addAll(List.of(args));
    all.addAll(List.of("--data-dir", data.toString()));
    return Main.run(
        all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  String createdGpu() {
    return runpod.pods().get(runpod.pods().size() - 1).gpuTypeId()
        + "/"
        + runpod.pods().get(runpod.pods().size() - 1).cloud();
  }

  /** The line of the table for a GPU type id. */
  String row(String id) {
    return out.toString().lines().filter(l -> l.startsWith(id + " ")).findFirst().orElseThrow();
  }

  @Test
  void gpus_showsTheStockOfTheCloudsItWouldDeployTo_andMarksTheOrder() {
    runpod.setAvailability(RTX4090, "COMMUNITY", Availability.NONE); // secure still has plenty

    assertThat(run("gpus")).as(err.toString()).isZero();

    String header = out.toString().lines().findFirst().orElseThrow();
    assertThat(header)
        .containsSubsequence("MEMORY", "COMMUNITY $/H", "COMMUNITY", "SECURE $/H", "SECURE");
    assertThat(row(A6000)).matches(".*0\\.33\\s+HIGH  #1\\s+0\\.49\\s+MEDIUM  #2");
    assertThat(row(RTX4090)).matches(".*0\\.34\\s+NONE\\s+0\\.69\\s+HIGH  #3");
    assertThat(row("NVIDIA A100 80GB PCIe")).doesNotContain("#");
    assertThat(out.toString())
        .contains(
            "#n: the order in which generate and pods create would try a GPU (GPUs with"
                + " at least 24 GB, at most $1.00 per hour, in the community, then secure cloud)");
    assertThat(out.toString().lines().findFirst().orElseThrow()).startsWith("ID");

    assertThat(run("gpus", "--cloud", "community", "--json")).isZero();
    assertThat(out.toString())
        .contains("\"community\" : \"NONE\"")
        .doesNotContain("\"secure\" : \"HIGH\"");
  }

  @Test
  void gpus_whenNothingQualifies_saysWhichFlagToRelax() {
    assertThat(run("gpus", "--max-price", "0.2")).isZero();
    assertThat(out.toString())
        .contains(
            "No GPU qualifies (GPUs with at least 24 GB, at most $0.20 per hour, in the"
                + " community, then secure cloud): relax --max-price.")
        .doesNotContain("#1");
  }

  @Test
  void podsCreate_choosesByNeed_andTheFailureNamesTheCliFlags() {
    assertThat(run("pods", "create", "--min-vram", "40")).as(err.toString()).isZero();
    assertThat(createdGpu()).isEqualTo(A6000 + "/COMMUNITY");

    assertThat(run("pods", "create", "--max-price", "0.30", "--cloud", "community"))
        .isEqualTo(ExitCodes.NO_POD);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith(
            "openavathar: No GPU qualifies for the pod: left out RTX 4090/community (over the price cap)")
        .endsWith("Relax --max-price or --cloud.");
  }

  @Test
  void config_setGetListUnset_masksTheKey_andKeepsTheFileOwnerOnly() throws Exception {
    assertThat(config("set", "max-price", "0.8")).as(err.toString()).isZero();
    assertThat(config("set", "runpod-api-key", KEY)).isZero();
    assertThat(config("set", "cloud", "secure,community")).isZero();

    assertThat(config("get", "max-price")).isZero();
    assertThat(out.toString().trim()).isEqualTo("0.8");
    assertThat(config("list")).isZero();
    assertThat(out.toString())
        .contains("max-price=0.8", "cloud=secure,community", "runpod-api-key=rpa_…EFGH")
        .doesNotContain(KEY);
    assertThat(config("unset", "cloud")).isZero();
    assertThat(config("get", "cloud")).isEqualTo(ExitCodes.FAILURE);

    assertThat(config("set", "colour", "blue")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString())
        .contains(
            "Unknown config key 'colour'; valid keys: min-vram, max-price, cloud, gpu,"
                + " daily-cap, max-cost, runpod-api-key");
    assertThat(config("set", "max-price", "free")).isEqualTo(ExitCodes.USAGE);
    assertThat(config("set", "cloud", "moon")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--cloud must be community or secure, was 'moon'");

    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(data.resolve("config.properties"))))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
          .isEqualTo("rwx------");
    }
  }

  @Test
  void configDefaults_applyToPodsCreateAndGpus_andFlagsWin() {
    config("set", "runpod-api-key", KEY);
    config("set", "min-vram", "40");
    config("set", "cloud", "secure");

    assertThat(run(false, "pods", "create"))
        .as(err.toString())
        .isZero(); // the key, the need and the cloud
    assertThat(createdGpu()).isEqualTo(A6000 + "/SECURE");
    assertThat(run(false, "pods", "create", "--cloud", "community", "--min-vram", "20"))
        .as(err.toString())
        .isZero();
    assertThat(createdGpu()).isEqualTo(RTX4090 + "/COMMUNITY");

    assertThat(run(false, "gpus")).isZero();
    assertThat(out.toString().lines().findFirst().orElseThrow())
        .contains("SECURE")
        .doesNotContain("COMMUNITY");
    assertThat(out.toString()).contains("at least 40 GB");
  }

  @Test
  void configDefaults_applyToGenerate() throws Exception {
    Path image = CliRun.copy(DemoCommand.PORTRAIT, dir.resolve("me.png"));
    Path audio = CliRun.copy(DemoCommand.SPEECH, dir.resolve("me.wav"));
    config("set", "max-price", "0.25");
    config("set", "gpu", RTX4090 + "," + A6000);

    int code =
        run(
            "generate",
            "--image",
            image.toString(),
            "--audio",
            audio.toString(),
            "--out",
            dir.resolve("v.mp4").toString());

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.NO_POD);
    assertThat(err.toString())
        .contains(
            "left out RTX 4090/community (over the price cap), RTX A6000/community"
                + " (over the price cap)")
        .contains("--max-price")
        .contains("--gpu");
    assertThat(runpod.createCalls()).isZero();
  }
}
