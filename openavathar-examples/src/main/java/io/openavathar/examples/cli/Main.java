package io.openavathar.examples.cli;

import io.openavathar.InvalidInputException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code openavathar} command-line tool: {@code generate} against a ComfyUI server, {@code demo} against the
 * in-process simulator. Exit codes: 0 done, 2 usage or invalid input, 1 anything else.
 */
@Command(
    name = "openavathar",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Turn a portrait and a speech recording into a lip-synced talking-avatar MP4.",
    subcommands = {GenerateCommand.class, DemoCommand.class, PodsCommand.class, GpusCommand.class,
        JobsCommand.class, VideosCommand.class, LicenseCommand.class, LicenseServerCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams and returns the exit code (used by tests). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    configureLogging(verbose);
    CommandLine cli = new CommandLine(new Main());
    cli.registerConverter(java.nio.file.Path.class, new PathArguments());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("openavathar: " + oneLine(e));
      if (verbose) {
        e.printStackTrace(commandLine.getErr());
      } else {
        commandLine.getErr().println("(run with --verbose for details)");
      }
      commandLine.getErr().flush();
      return isUsageError(e) ? 2 : 1;
    });
    return cli.execute(args);
  }

  static boolean isUsageError(Throwable e) {
    return e instanceof InvalidInputException || e instanceof IllegalArgumentException;
  }

  private static String oneLine(Throwable e) {
    return InputFlags.message(e).replace('\n', ' ');
  }

  /**
   * The SDK logs at DEBUG only; the CLI shows warnings unless --verbose. Set before the first logger exists
   * (slf4j-simple reads these properties once).
   */
  private static void configureLogging(boolean verbose) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
    if (verbose) {
      System.setProperty("org.slf4j.simpleLogger.log.io.openavathar", "debug");
    }
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version from the jar's manifest (or "development" when run from classes). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"openavathar " + (v == null ? "development" : v)};
    }
  }
}
