package io.openavathar.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code openavathar config ...}: defaults for command-line options, kept in {@code
 * <data-dir>/config.properties}.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Set defaults for command-line options (flags given on the command line win). Keys are option"
            + " names without dashes: min-vram, max-price, cloud, gpu, runpod-api-key, runpod-api-url,"
            + " runpod-proxy-pattern, license-url, comfy-url.",
    subcommands = {
      ConfigCommand.Set.class,
      ConfigCommand.Get.class,
      ConfigCommand.Unset.class,
      ConfigCommand.ListAll.class
    })
final class ConfigCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options every config subcommand has. */
  abstract static class Base implements java.util.concurrent.Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description = "Whose config.properties (default: $OPENAVATHAR_DATA_DIR or ~/.openavathar).")
    Path dataDir;

    ConfigFile file() {
      return new ConfigFile(DataDirs.resolve(dataDir, DataDirs.HOME_DEFAULT));
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    @Override
    public Integer call() {
      int code = run(file());
      out().flush();
      return code;
    }

    abstract int run(ConfigFile config);
  }

  @Command(name = "set", description = "Set KEY to VALUE, e.g. `config set max-price 0.8`.")
  static final class Set extends Base {
    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE")
    String value;

    @Override
    int run(ConfigFile config) {
      config.set(key, value);
      out().println("Set " + key + " in " + config.path());
      return 0;
    }
  }

  @Command(name = "get", description = "Print KEY's value (exit 1 when it is not set).")
  static final class Get extends Base {
    @Parameters(paramLabel = "KEY")
    String key;

    @Override
    int run(ConfigFile config) {
      return config
          .get(key)
          .map(
              v -> {
                out().println(v);
                return 0;
              })
          .orElse(ExitCodes.FAILURE);
    }
  }

  @Command(
      name = "unset",
      description = "Remove KEY: its option goes back to the built-in default.")
  static final class Unset extends Base {
    @Parameters(paramLabel = "KEY")
    String key;

    @Override
    int run(ConfigFile config) {
      out().println((config.unset(key) ? "Removed " : "Was not set: ") + key);
      return 0;
    }
  }

  @Command(
      name = "list",
      description = "Print every setting (the RunPod API key and license key masked).")
  static final class ListAll extends Base {
    @Override
    int run(ConfigFile config) {
      Map<String, String> all = config.list(true);
      all.forEach((k, v) -> out().println(k + "=" + v));
      if (all.isEmpty()) {
        out()
            .println(
                "Nothing set in "
                    + config.path()
                    + "; see `openavathar config --help` for the keys.");
      }
      return 0;
    }
  }
}
