package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.CancelOutcome;
import io.openavathar.GenerationFailedException;
import io.openavathar.InvalidInputException;
import io.openavathar.JobCancelledException;
import io.openavathar.LicenseRejectedException;
import io.openavathar.OpenAvatharException;
import io.openavathar.PodProvisioningException;
import io.openavathar.QuotaExceededException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.Setting;
import io.openavathar.WorkflowRejectedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What every command promises: help, version, usage, one-line errors and their exit codes. */
class CliContractTest {
  @TempDir Path dir;
  StringWriter out = new StringWriter();
  StringWriter err = new StringWriter();

  int run(String... args) {
    return run(Main.commandLine(), args);
  }

  int run(CommandLine cli, String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return Main.run(cli, args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void help_worksOnEveryCommand() {
    List<String> commands = new ArrayList<>();
    collect(Main.commandLine(), new ArrayList<>(), commands);
    assertThat(commands).contains("pods list", "license activate", "license-server issue", "gpus");
    for (String command : commands) {
      List<String> args =
          new ArrayList<>(List.of(command.isEmpty() ? new String[0] : command.split(" ")));
      args.add("--help");
      assertThat(run(args.toArray(String[]::new))).as(command + " --help: " + err).isZero();
      assertThat(out.toString()).as(command).contains("Usage: openavathar");
      assertThat(err.toString()).as(command).isEmpty();
    }
  }

  private static void collect(CommandLine cli, List<String> path, List<String> into) {
    into.add(String.join(" ", path));
    cli.getSubcommands()
        .forEach(
            (name, sub) -> {
              List<String> next = new ArrayList<>(path);
              next.add(name);
              collect(sub, next, into);
            });
  }

  @Test
  void help_listsTheExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Exit codes:").contains("130").contains("no GPU capacity");
  }

  @Test
  void bareCommand_printsUsageOnStderr_andExits2() {
    assertThat(run()).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("Usage: openavathar").contains("generate");
    assertThat(out.toString()).isEmpty();
    assertThat(run("pods")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("Usage: openavathar pods");
  }

  @Test
  void version_isTheProjectVersion() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString().trim()).matches("openavathar \\d+\\.\\d+\\.\\d+[-.\\w]*");
  }

  @Test
  void anUnknownOption_isOneLine_andExits2() {
    assertThat(run("pods", "list", "--bogus")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith("openavathar: Unknown option: '--bogus'")
        .endsWith("(see: openavathar pods list --help)");
  }

  @Test
  void exitCodes_followTheFailure() {
    assertThat(ExitCodes.of(new IllegalArgumentException("x"))).isEqualTo(2);
    assertThat(ExitCodes.of(new InvalidInputException("x"))).isEqualTo(2);
    assertThat(ExitCodes.of(new QuotaExceededException("x", Duration.ZERO, null))).isEqualTo(3);
    assertThat(ExitCodes.of(new LicenseRejectedException("x"))).isEqualTo(4);
    assertThat(ExitCodes.of(new PodProvisioningException("x", true, true))).isEqualTo(5);
    assertThat(ExitCodes.of(new RemoteUnavailableException("x", null))).isEqualTo(6);
    assertThat(ExitCodes.of(new CompletionException(new RemoteUnavailableException("x", null))))
        .isEqualTo(6);
    assertThat(ExitCodes.of(new JobCancelledException("x"))).isEqualTo(130);
    assertThat(ExitCodes.of(new WorkflowRejectedException("x", List.of()))).isEqualTo(1);
    assertThat(ExitCodes.of(new GenerationFailedException("x", null, null, null, false)))
        .isEqualTo(1);
    assertThat(ExitCodes.of(new OpenAvatharException("x"))).isEqualTo(1);
    assertThat(ExitCodes.of(new IllegalStateException("x"))).isEqualTo(1);
  }

  @Test
  void message_isOneLine_andNamesTheFlagOfTheSetting() {
    assertThat(
            ExitCodes.message(
                new RemoteUnavailableException(
                    "Could not reach RunPod.\nCheck ", Setting.RUNPOD_API_URL, ".", null)))
        .isEqualTo("Could not reach RunPod. Check --runpod-api-url.");
    for (Setting s : Setting.values()) {
      assertThat(ExitCodes.flag(s)).as(s.name()).contains("--");
    }
  }

  @Test
  void demo_leavesNoTemporaryDirectory_whenItWorks_orFails() throws Exception {
    Path temp = Files.createDirectory(dir.resolve("tmp"));
    CommandLine cli = Main.commandLine();
    ((DemoCommand) cli.getSubcommands().get("demo").getCommand()).tempRoot = temp;
    assertThat(
            run(cli, "demo", "--step-delay-ms", "1", "--out", dir.resolve("demo.mp4").toString()))
        .as(err.toString())
        .isZero();
    assertThat(temp).isEmptyDirectory();

    cli = Main.commandLine();
    ((DemoCommand) cli.getSubcommands().get("demo").getCommand()).tempRoot = temp;
    assertThat(run(cli, "demo", "--max-frames", "1")).isEqualTo(ExitCodes.USAGE);
    assertThat(temp).isEmptyDirectory();
  }

  @Test
  void cancelWording_saysInterruptedOnlyWhenComfyUiConfirmedIt() {
    CancelOutcome.Builder base =
        CancelOutcome.builder("j1", CancelOutcome.Kind.INTERRUPTED)
            .message("m")
            .promptId("p1")
            .server("http://gpu:8188")
            .podId("pod9");
    assertThat(JobRunner.cancelled(base.build(), false))
        .isEqualTo("Cancelled job j1; its prompt was interrupted on ComfyUI.");
    for (CancelOutcome.Kind kind : CancelOutcome.Kind.values()) {
      CancelOutcome outcome =
          CancelOutcome.builder("j1", kind)
              .message("m")
              .promptId("p1")
              .server("http://gpu:8188")
              .podId("pod9")
              .build();
      assertThat(JobRunner.cancelled(outcome, true))
          .as(kind.name())
          .startsWith("Cancelled job j1")
          .satisfies(
              line ->
                  assertThat(line.contains("interrupted"))
                      .isEqualTo(kind == CancelOutcome.Kind.INTERRUPTED));
    }
    assertThat(
            JobRunner.cancelled(
                CancelOutcome.builder("j1", CancelOutcome.Kind.NOT_SUBMITTED).message("m").build(),
                true))
        .isEqualTo("Cancelled job j1 before any prompt was queued on ComfyUI.");
  }

  @Test
  void cancelWording_whenUnconfirmed_saysWhatMayStillRunAndHowToStopIt() {
    CancelOutcome outcome =
        CancelOutcome.builder("j1", CancelOutcome.Kind.UNCONFIRMED)
            .message("m")
            .promptId("p1")
            .server("http://gpu:8188")
            .podId("pod9")
            .build();
    assertThat(JobRunner.cancelled(outcome, true))
        .contains("prompt p1 may still be running on pod pod9")
        .endsWith("Stop it with: openavathar pods stop pod9");
    assertThat(JobRunner.cancelled(outcome, false))
        .contains("http://gpu:8188 did not confirm")
        .contains("curl -X POST http://gpu:8188/interrupt")
        .contains("\"prompt_id\": \"p1\"")
        .doesNotContain("pods stop");
  }
}
