package io.openavathar.examples.cli;

import io.openavathar.InvalidInputException;
import io.openavathar.license.LicenseClient;
import io.openavathar.license.LicenseInfo;
import io.openavathar.license.LicenseKey;
import io.openavathar.license.LicenseStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openavathar license ...}: this device's Pro license and free quota. */
@Command(
    name = "license",
    mixinStandardHelpOptions = true,
    description = "Show and manage this device's license.",
    subcommands = {
      LicenseCommand.Status.class,
      LicenseCommand.Activate.class,
      LicenseCommand.Deactivate.class,
      LicenseCommand.Validate.class
    })
final class LicenseCommand implements Runnable {
  static final String KEY_HELP =
      "The license key (default: $OPENAVATHAR_LICENSE_KEY, else read from standard input"
          + " or asked for without echo; an argument shows up in other users' process lists).";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  abstract static class Base implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin LicenseOptions license = new LicenseOptions();

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description =
            "Where the device's license state is kept (default: $OPENAVATHAR_DATA_DIR or ~/.openavathar).")
    Path dataDir;

    @Option(names = "--verbose", description = "Show debug logs and stack traces.")
    boolean verbose;

    /** Where a key not given as an argument comes from (tests replace it). */
    LicenseKeyInput keys = LicenseKeyInput.system();

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    Path dataDir() {
      return DataDirs.resolve(dataDir, DataDirs.HOME_DEFAULT);
    }

    /**
     * The activated key is kept for `deactivate`, readable by the user only (like a CLI's login
     * token).
     */
    Path keyFile() {
      return dataDir().resolve("license").resolve("key");
    }

    @Override
    public Integer call() throws Exception {
      if (license.url().isEmpty()) {
        return withoutServer();
      }
      return run(license.client(dataDir()));
    }

    /**
     * What the command does when no license server is configured: by default, refuse (there is
     * nothing to ask).
     */
    Integer withoutServer() {
      throw new InvalidInputException(
          "No license server configured: pass --license-url or set "
              + "OPENAVATHAR_LICENSE_URL (without one this CLI runs unlimited and needs no key).");
    }

    abstract Integer run(LicenseClient client) throws Exception;
  }

  /**
   * Saves the activated key for {@code deactivate}, readable by the user only from the moment it
   * exists: written to a temporary file created owner-only, then moved into place.
   */
  static void saveOwnerOnly(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    Path tmp =
        posix
            ? Files.createTempFile(
                dir,
                "key",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
            : Files.createTempFile(
                dir, "key", ".tmp"); // Windows: the file stays under the user's profile.
    try {
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  @Command(
      name = "status",
      description = "Pro or free, videos used today, when the free count resets.")
  static final class Status extends Base {
    @Override
    Integer withoutServer() {
      out().println("no license server configured: unlimited");
      out().flush();
      return 0;
    }

    @Override
    Integer run(LicenseClient client) {
      LicenseStatus s = join(client.check());
      if (s.pro()) {
        out()
            .println(
                "Pro" + s.licenseKey().map(k -> " (" + k + ")").orElse("") + ": unlimited videos.");
      } else {
        out()
            .printf(
                "Free: %d of %d video(s) used today; resets in %dh %dm.%n",
                s.used(), s.limit(), s.resetsIn().toHours(), s.resetsIn().toMinutesPart());
      }
      out().flush();
      return 0;
    }
  }

  @Command(name = "activate", description = "Activate a Pro license key on this device.")
  static final class Activate extends Base {
    @Parameters(paramLabel = "KEY", arity = "0..1", description = KEY_HELP)
    String key;

    @Override
    Integer run(LicenseClient client) throws IOException {
      LicenseKey k = LicenseKey.parse(key != null ? key : keys.read());
      join(client.activate(k));
      saveOwnerOnly(keyFile(), k.value());
      out().println("Activated " + k.masked() + " on this device.");
      out().flush();
      return 0;
    }
  }

  @Command(name = "deactivate", description = "Free this device's seat on its license key.")
  static final class Deactivate extends Base {
    @Parameters(
        paramLabel = "KEY",
        arity = "0..1",
        description =
            "The key (default: $OPENAVATHAR_LICENSE_KEY, else the one activated here, else read from"
                + " standard input or asked for).")
    String key;

    @Override
    Integer run(LicenseClient client) throws IOException {
      Optional<String> saved =
          Files.exists(keyFile())
              ? Optional.of(Files.readString(keyFile()).trim())
              : Optional.empty();
      String text =
          key != null ? key : keys.fromEnvironment().or(() -> saved).orElseGet(keys::read);
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
    @Parameters(paramLabel = "KEY", arity = "0..1", description = KEY_HELP)
    String key;

    @Override
    Integer run(LicenseClient client) {
      LicenseKey k = LicenseKey.parse(key != null ? key : keys.read());
      LicenseInfo info = join(client.validate(k));
      if (!info.valid()) {
        out().println(k.masked() + ": not a valid license key.");
        out().flush();
        return ExitCodes.LICENSE_REJECTED;
      }
      out()
          .printf(
              "%s: valid, %d of %d device(s) activated%s%n",
              k.masked(),
              info.activationsUsed(),
              info.maxActivations(),
              info.purchaseDate().map(d -> ", bought " + d).orElse(""));
      out().flush();
      return 0;
    }
  }
}
