package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The license server's limit flags and --verbose (the server itself is tested in its module). */
class LicenseServerCommandTest {
  @TempDir Path dir;
  final StringWriter err = new StringWriter();

  int run(String... args) {
    return Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
  }

  @Test
  void limitBelowOne_isAUsageError_namingTheFlag() {
    assertThat(run("license-server", "--verbose", "--data-dir", dir.toString(), "--check-limit", "100",
        "--new-devices-per-hour", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--new-devices-per-hour must be at least 1, was 0")
        .doesNotContain("Unknown option");
  }

  @Test
  void help_listsTheLimitFlagsAndVerbose() {
    StringWriter out = new StringWriter();
    assertThat(Main.run(new String[] {"license-server", "--help"}, new PrintWriter(out, true),
        new PrintWriter(err, true))).isZero();
    assertThat(out.toString()).contains("--rate-limit", "--check-limit", "--check-limit-per-device", "--track-limit",
        "--track-limit-per-device", "--new-devices-per-hour", "--max-connections", "--verbose");
  }
}
