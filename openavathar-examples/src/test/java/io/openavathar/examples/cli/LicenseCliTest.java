package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.license.server.LicenseServer;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The license CLI and generate's quota against our own license server, in-process. */
class LicenseCliTest {
  @TempDir Path dir;
  LicenseServer server;
  StringWriter out;
  StringWriter err;

  @BeforeEach
  void setUp() {
    server = LicenseServer.builder().port(0).dataDirectory(dir.resolve("server")).start();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void issue_activate_status_validate_deactivate() {
    assertThat(
            run(
                "license-server",
                "issue",
                "--email",
                "buyer@example.com",
                "--data-dir",
                dir.resolve("issued").toString()))
        .isZero();
    assertThat(out.toString().trim()).matches("OAVR(-[A-Z2-9]{4}){4}");

    String key = server.issueLicense("buyer@example.com").value();
    String url = server.baseUrl().toString();
    String data = dir.resolve("data").toString();

    assertThat(run("license", "status", "--license-url", url, "--data-dir", data)).isZero();
    assertThat(out.toString()).contains("Free: 0 of 1");

    assertThat(
            run("license", "activate", key.toLowerCase(), "--license-url", url, "--data-dir", data))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("Activated OAVR-****").doesNotContain(key);

    assertThat(run("license", "status", "--license-url", url, "--data-dir", data)).isZero();
    assertThat(out.toString()).startsWith("Pro").doesNotContain(key);

    assertThat(run("license", "validate", key, "--license-url", url, "--data-dir", data)).isZero();
    assertThat(out.toString()).contains("valid, 1 of 3 device(s) activated");

    assertThat(run("license", "deactivate", "--license-url", url, "--data-dir", data))
        .as(err.toString())
        .isZero();
    assertThat(run("license", "status", "--license-url", url, "--data-dir", data)).isZero();
    assertThat(out.toString()).contains("Free");
  }

  @Test
  void badKey_isAUsageError_withoutEchoingIt() {
    assertThat(
            run(
                "license",
                "activate",
                "OAVR-SECRETISH",
                "--license-url",
                server.baseUrl().toString(),
                "--data-dir",
                dir.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).doesNotContain("SECRETISH");
  }

  @Test
  void withoutALicenseUrl_statusSaysUnlimited_andTheKeyCommandsRefuse() {
    assertThat(run("license", "status", "--data-dir", dir.toString())).isZero();
    assertThat(out.toString())
        .isEqualTo("no license server configured: unlimited" + System.lineSeparator());
    assertThat(err.toString()).isEmpty();
    for (String command : new String[] {"activate", "deactivate", "validate"}) {
      assertThat(run("license", command, "OAVR-AAAA-BBBB-CCCC-DDDD", "--data-dir", dir.toString()))
          .as(command)
          .isEqualTo(ExitCodes.USAGE);
      assertThat(err.toString().lines())
          .singleElement()
          .asString()
          .startsWith("openavathar: No license server configured: pass --license-url");
    }
  }

  @Test
  void anUnknownKey_isRejected_withExitCode4() {
    String url = server.baseUrl().toString();
    assertThat(
            run(
                "license",
                "activate",
                "OAVR-AAAA-BBBB-CCCC-DDDD",
                "--license-url",
                url,
                "--data-dir",
                dir.toString()))
        .isEqualTo(ExitCodes.LICENSE_REJECTED);
    assertThat(err.toString().lines()).hasSize(1);

    assertThat(
            run(
                "license",
                "validate",
                "OAVR-AAAA-BBBB-CCCC-DDDD",
                "--license-url",
                url,
                "--data-dir",
                dir.toString()))
        .isEqualTo(ExitCodes.LICENSE_REJECTED);
    assertThat(out.toString()).contains("not a valid license key");
  }

  @Test
  void activate_takesTheKeyFromTheEnvironment_andSavesItOwnerOnly() throws Exception {
    String key = server.issueLicense("env@example.com").value();
    Path data = dir.resolve("data");
    picocli.CommandLine cli = Main.commandLine();
    license(cli, "activate").keys =
        new LicenseKeyInput(
            Map.of(LicenseKeyInput.ENV, key)::get,
            () -> {
              throw new AssertionError("stdin is not read when the environment has the key");
            },
            null);
    assertThat(
            run(
                cli,
                "license",
                "activate",
                "--license-url",
                server.baseUrl().toString(),
                "--data-dir",
                data.toString()))
        .as(err.toString())
        .isZero();
    Path saved = data.resolve("license").resolve("key");
    assertThat(Files.readString(saved)).isEqualTo(key);
    assertThat(Files.getPosixFilePermissions(saved))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.list(saved.getParent()).map(p -> p.getFileName().toString()))
        .noneMatch(n -> n.endsWith(".tmp"));
  }

  @Test
  void validate_readsTheKeyFromStandardInput() {
    String key = server.issueLicense("stdin@example.com").value();
    picocli.CommandLine cli = Main.commandLine();
    license(cli, "validate").keys =
        new LicenseKeyInput(
            name -> null,
            () -> new ByteArrayInputStream((key + "\n").getBytes(StandardCharsets.UTF_8)),
            null);
    assertThat(
            run(
                cli,
                "license",
                "validate",
                "--license-url",
                server.baseUrl().toString(),
                "--data-dir",
                dir.toString()))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("valid, 0 of 3 device(s) activated").doesNotContain(key);
  }

  @Test
  void saveOwnerOnly_neverCreatesAReadableFile() throws Exception {
    Path file = dir.resolve("a").resolve("key");
    LicenseCommand.saveOwnerOnly(file, "one");
    LicenseCommand.saveOwnerOnly(file, "two");
    assertThat(Files.readString(file)).isEqualTo("two");
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  static LicenseCommand.Base license(picocli.CommandLine cli, String name) {
    return (LicenseCommand.Base)
        cli.getSubcommands().get("license").getSubcommands().get(name).getCommand();
  }

  int run(picocli.CommandLine cli, String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return Main.run(cli, args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void generate_onAFreeDevice_makesOneVideoADay() throws Exception {
    Path image = copy(DemoCommand.PORTRAIT, "me.png");
    Path audio = copy(DemoCommand.SPEECH, "me.wav");
    try (ComfyUiSimulator sim =
        ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start()) {
      String[] common = {
        "generate",
        "--comfy-url",
        sim.baseUrl().toString(),
        "--image",
        image.toString(),
        "--audio",
        audio.toString(),
        "--license-url",
        server.baseUrl().toString(),
        "--data-dir",
        dir.resolve("d").toString()
      };
      assertThat(run(concat(common, "--out", dir.resolve("1.mp4").toString())))
          .as(err.toString())
          .isZero();
      assertThat(run(concat(common, "--out", dir.resolve("2.mp4").toString(), "--seed", "2")))
          .isEqualTo(ExitCodes.QUOTA);
      assertThat(err.toString().lines())
          .singleElement()
          .asString()
          .contains("free plan makes 1 video per day");
      assertThat(dir.resolve("2.mp4")).doesNotExist();
    }
  }

  static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  Path copy(String resource, String name) throws Exception {
    try (InputStream in = getClass().getResourceAsStream(resource)) {
      Path p = dir.resolve(name);
      Files.copy(in, p);
      return p;
    }
  }
}
