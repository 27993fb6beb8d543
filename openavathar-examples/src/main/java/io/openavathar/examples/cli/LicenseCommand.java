package io.openavathar.examples.cli;

import io.openavathar.license.LicenseClient;
import io.openavathar.license.LicenseInfo;
import io.openavathar.license.LicenseKey;
import io.openavathar.license.LicenseStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code openavathar license ...}: this device's Pro license and free quota. */
@Command(name = "license", mixinStandardHelpOptions = true, description = "Show and manage this device's license.",
    subcommands = {LicenseCommand.Status.class, LicenseCommand.Activate.class, LicenseCommand.Deactivate.class,
        LicenseCommand.Validate.class})
final class LicenseCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  abstract static class Base implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin LicenseOptions license = new LicenseOptions();

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "Where the device's license state is kept (default: $OPENAVATHAR_DATA_DIR or ~/.openavathar).")
    Path dataDir;

    @Option(names = "--verbose", description = "Show debug logs and stack traces.")
    boolean verbose;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    Path dataDir() {
      return DataDirs.resolve(dataDir, DataDirs.HOME_DEFAULT);
    }

    /** The activated key is kept for `deactivate`, readable by the user only (like a CLI's login token). */
    Path keyFile() {
      return dataDir().resolve("license").resolve("key");
    }

    @Override
    public Integer call() throws Exception {
      if (license.url().isEmpty()) {
        spec.commandLine().getErr().println("No license server configured (--license-url or "
            + "OPENAVATHAR_LICENSE_URL): this CLI runs unlimited.");
      }
      return run(license.client(dataDir()));
    }

    abstract Integer run(LicenseClient client) throws Exception;
  }

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  @Command(name = "status", description = "Pro or free, videos used today, when the free count resets.")
  static final class Status extends Base {
    @Override
    Integer run(LicenseClient client) {
      LicenseStatus s = join(client.check());
      if (s.pro()) {
        out().println("Pro" + s.licenseKey().map(k -> " (" + k + ")").orElse("") + ": unlimited videos.");
      } else {
        out().printf("Free: %d of %d video(s) used today; resets in %dh %dm.%n", s.used(), s.limit(),
            s.resetsIn().toHours(), s.resetsIn().toMinutesPart());
      }
      out().flush();
      return 0;
    }
  }

  @Command(name = "activate", description = "Activate a Pro license key on this device.")
  static final class Activate extends Base {
    @Parameters(paramLabel = "KEY") String key;

    @Override
    Integer run(LicenseClient client) throws IOException {
      LicenseKey k = LicenseKey.parse(key);
      join(client.activate(k));
      Files.createDirectories(keyFile().getParent());
      Files.writeString(keyFile(), k.value());
      try {
        Files.setPosixFilePermissions(keyFile(), PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // Windows: the file stays under the user's profile.
      }
      out().println("Activated " + k.masked() + " on this device.");
      out().flush();
      return 0;
    }
  }

  @Command(name = "deactivate", description = "Free this device's seat on its license key.")
  static final class Deactivate extends Base {
    @Parameters(paramLabel = "KEY", arity = "0..1", description = "The key (default: the one activated here).")
    String key;

    @Override
    Integer run(LicenseClient client) throws IOException {
      Optional<String> saved = Files.exists(keyFile()) ? Optional.of(Files.readString(keyFile()).trim())
          : Optional.empty();
      String text = key != null ? key : saved.orElseThrow(() -> new IllegalArgumentException(
          "No license key is activated through this CLI here; pass the key: openavathar license deactivate KEY"));
      LicenseKey k = LicenseKey.parse(text);
      join(client.deactivate(k));
      Files.deleteIfExists(keyFile());
      out().println("Deactivated " + k.masked() + " on this device.");
      out().flush();
      return 0;
    }
  }

  @Command(name = "validate", description = "What the license server knows about a key.")
  static final class Validate extends Base {
    @Parameters(paramLabel = "KEY") String key;

    @Override
    Integer run(LicenseClient client) {
      LicenseKey k = LicenseKey.parse(key);
      LicenseInfo info = join(client.validate(k));
      if (!info.valid()) {
        out().println(k.masked() + ": not a valid license key.");
        out().flush();
        return 1;
      }
      out().printf("%s: valid, %d of %d device(s) activated%s%n", k.masked(), info.activationsUsed(),
          info.maxActivations(), info.purchaseDate().map(d -> ", bought " + d).orElse(""));
      out().flush();
      return 0;
    }
  }
}
