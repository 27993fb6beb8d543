package io.openavathar.examples.cli;

import io.openavathar.InvalidInputException;
import io.openavathar.store.StudioStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openavathar store ...}: the studio store itself. */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    description = "Manage the studio store (where jobs, videos and pods are recorded).",
    subcommands = {StoreCommand.CopyTo.class})
final class StoreCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "copy-to",
      mixinStandardHelpOptions = true,
      description =
          "Copy this data directory's studio.db (jobs and their logs, videos, pods, boot times,"
              + " pending quota tracks, settings) into an empty database, such as PostgreSQL for"
              + " studios sharing one queue. Claims on jobs are not copied. Stop the studios using"
              + " the data directory first; the target must be empty.")
  static final class CopyTo implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description = "Whose studio.db (default: $OPENAVATHAR_DATA_DIR or ~/.openavathar).")
    Path dataDir;

    @Parameters(
        paramLabel = "JDBC-URL",
        description =
            "The target, e.g. jdbc:postgresql://HOST:5432/DB?user=NAME (the password in"
                + " $OPENAVATHAR_STORE_PASSWORD).")
    String url;

    @Override
    public Integer call() {
      Path dir = DataDirs.resolve(dataDir, DataDirs.HOME_DEFAULT);
      if (!Files.isRegularFile(dir.resolve("studio.db"))) {
        throw new InvalidInputException(
            "There is no studio.db in "
                + dir
                + " to copy; give the data directory that has it with --data-dir");
      }
      PrintWriter out = spec.commandLine().getOut();
      try (StudioStore target = StudioStore.connect(url);
          StudioStore source = StudioStore.open(dir)) {
        Map<String, Integer> copied = StudioStore.copy(source, target);
        copied.forEach((table, rows) -> out.println(table + ": " + rows + " rows copied"));
        out.println(
            "Copied studio.db in "
                + dir
                + " to "
                + target
                + ". Point the studios at it with --store-url or OPENAVATHAR_STORE_URL.");
      }
      out.flush();
      return 0;
    }
  }
}
