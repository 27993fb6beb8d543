package io.openavathar.examples.cli;

import io.openavathar.JobCancelledException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code openavathar} command-line tool: {@code generate} against a ComfyUI server, {@code
 * demo} against the in-process simulator, and the commands around them. Every failure is one line
 * on stderr ({@code --verbose} adds the cause and stack trace) and an exit code from {@link
 * ExitCodes}.
 */
@Command(
    name = "openavathar",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Turn a portrait and a speech recording into a lip-synced talking-avatar MP4.",
    exitCodeListHeading = "%nExit codes:%n",
    subcommands = {
      GenerateCommand.class,
      DemoCommand.class,
      PodsCommand.class,
      GpusCommand.class,
      JobsCommand.class,
      VideosCommand.class,
      LicenseCommand.class,
      LicenseServerCommand.class,
      ConfigCommand.class,
      StudioCommand.class,
      StoreCommand.class
    })
public final class Main implements Runnable {
  /**
   * Counted down once {@link #main} has reported the outcome, so that a Ctrl+C shutdown hook can
   * let the command finish and say what happened before the JVM halts.
   */
  static final CountDownLatch REPORTED = new CountDownLatch(1);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    REPORTED.countDown();
    System.exit(code);
  }

  /** Runs the CLI with the given streams and returns the exit code (used by tests). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(commandLine(), args, out, err);
  }

  /** Runs {@code cli}, a {@link #commandLine()} whose commands a test may have adjusted. */
  static int run(CommandLine cli, String[] args, PrintWriter out, PrintWriter err) {
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    configureLogging(verbose);
    cli.setOut(out);
    cli.setErr(err);
    java.nio.file.Path config = new ConfigFile(ConfigFile.dataDir(args)).path();
    if (java.nio.file.Files.isRegularFile(
        config)) { // the user's defaults; flags on the command line win
      cli.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(config.toFile()));
    }
    cli.setParameterExceptionHandler(
        (e, args2) -> {
          CommandLine failed = e.getCommandLine();
          failed
              .getErr()
              .println(
                  "openavathar: "
                      + ExitCodes.message(e)
                      + " (see: "
                      + failed.getCommandSpec().qualifiedName()
                      + " --help)");
          failed.getErr().flush();
          return ExitCodes.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          Throwable reported =
              CtrlC.pressed() && !(ExitCodes.unwrap(e) instanceof JobCancelledException)
                  ? new JobCancelledException("Cancelled (Ctrl+C).")
                  : e;
          PrintWriter w = commandLine.getErr();
          w.println("openavathar: " + ExitCodes.message(reported));
          if (verbose) {
            e.printStackTrace(w);
          }
          w.flush();
          return ExitCodes.of(reported);
        });
    return cli.execute(args);
  }

  /**
   * The command tree: every command and subcommand takes {@code --help} and {@code --version}, and
   * the exit code table is part of the top-level help.
   */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.registerConverter(java.nio.file.Path.class, new PathArguments());
    addHelpOptions(cli);
    cli.getCommandSpec().usageMessage().exitCodeList(ExitCodes.help());
    cli.setExecutionStrategy(Main::runChosen);
    return cli;
  }

  private static void addHelpOptions(CommandLine cli) {
    CommandLine.Model.CommandSpec spec = cli.getCommandSpec();
    if (!spec.mixinStandardHelpOptions()) {
      spec.mixinStandardHelpOptions(true);
    }
    spec.versionProvider(new Version());
    cli.getSubcommands().values().forEach(Main::addHelpOptions);
  }

  /**
   * Runs the chosen command; a command group named without a subcommand ({@code openavathar},
   * {@code openavathar pods}) prints its usage on stderr and fails as a usage error.
   */
  private static int runChosen(CommandLine.ParseResult parsed) {
    if (CommandLine.printHelpIfRequested(parsed)) {
      return ExitCodes.OK;
    }
    CommandLine.ParseResult last = parsed;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    CommandLine chosen = last.commandSpec().commandLine();
    if (!chosen.getSubcommands().isEmpty() && !(chosen.getCommand() instanceof Callable)) {
      chosen.usage(chosen.getErr());
      chosen.getErr().flush();
      return ExitCodes.USAGE;
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  /**
   * The SDK logs at DEBUG only; the CLI shows warnings unless --verbose. Set before the first
   * logger exists (slf4j-simple reads these properties once).
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
    // Never reached: execute() prints the usage of a command group named without a subcommand.
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /**
   * The project's version, filtered into {@code version.properties} by the build, so it is the same
   * in the shaded jar and in tests.
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      return new String[] {"openavathar " + version()};
    }

    static String version() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in == null) {
          throw new IOException("version.properties is missing from the jar");
        }
        p.load(in);
      }
      return p.getProperty("version");
    }
  }
}
