package io.openavathar.examples.cli;

import io.openavathar.studio.Backends;
import io.openavathar.studio.DemoBackends;
import io.openavathar.studio.StudioServer;
import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code openavathar studio}: OpenAvathar Studio, the web app for people who want a talking-avatar
 * video and know nothing about pods. Listens on 127.0.0.1 only and opens the default browser with a
 * one-time login link (or prints it). Runs until Ctrl+C; pods it started stop by themselves when
 * unused.
 */
@Command(
    name = "studio",
    mixinStandardHelpOptions = true,
    description = "Start OpenAvathar Studio, the web app, on 127.0.0.1 and open it in the browser.")
final class StudioCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "8710",
      paramLabel = "PORT",
      description = "Port on 127.0.0.1 (default 8710; 0 picks a free one).")
  int port;

  @Option(names = "--no-browser", description = "Do not open the browser; only print the address.")
  boolean noBrowser;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Settings, jobs and videos (default: $OPENAVATHAR_DATA_DIR or ~/.openavathar; with --demo a"
              + " temporary directory deleted at exit).")
  Path dataDir;

  @Mixin StoreOptions store = new StoreOptions();

  @Option(
      names = "--demo",
      description =
          "Simulated RunPod, ComfyUI and license server: try the product without a"
              + " GPU, an account or the internet (videos are a bundled sample).")
  boolean demo;

  @Option(names = "--verbose", description = "Show debug logs and stack traces.")
  boolean verbose;

  /** What the command does once the server runs: wait until it stops (tests replace it). */
  java.util.function.Consumer<StudioServer> whileRunning =
      server -> {
        try {
          server.awaitClose();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      };

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path temp =
        demo && dataDir == null && System.getenv("OPENAVATHAR_DATA_DIR") == null
            ? Files.createTempDirectory("openavathar-studio-demo-")
            : null;
    Path data = temp != null ? temp : DataDirs.resolve(dataDir, DataDirs.HOME_DEFAULT);
    try {
      Backends backends = demo ? DemoBackends.start(data) : Backends.real();
      StudioServer.Builder builder =
          StudioServer.builder().port(port).dataDirectory(data).backends(backends);
      store.url().ifPresent(builder::storeUrl);
      StudioServer server = builder.start();
      CtrlC ctrlC = CtrlC.register("openavathar-studio-stop", server::close, () -> {});
      try {
        if (demo) {
          out.println(
              "DEMO: RunPod, ComfyUI and the license server are SIMULATED on this computer (no GPU, no"
                  + " account). Any RunPod key works; every video is a bundled sample, not lip-synced to your input.");
        }
        URI url = server.launchUrl();
        out.println(
            "OpenAvathar Studio is running. Open this address in your browser (it logs you in; keep it to"
                + " yourself):");
        out.println("  " + url);
        if (!noBrowser && !browse(url)) {
          out.println("(No desktop browser could be opened from here: copy the address above.)");
        }
        out.println(
            "Press Ctrl+C to stop. GPU pods the studio started stop by themselves when unused.");
        out.flush();
        whileRunning.accept(server);
      } finally {
        ctrlC.close();
        server.close();
      }
    } finally {
      if (temp != null) {
        DemoCommand.deleteQuietly(temp);
      }
    }
    out.println("Studio stopped.");
    out.flush();
    return ExitCodes.OK;
  }

  /** Opens the default browser when the desktop allows it (not headless, BROWSE supported). */
  static boolean browse(URI url) {
    try {
      if (GraphicsEnvironment.isHeadless()
          || !Desktop.isDesktopSupported()
          || !Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
        return false;
      }
      Desktop.getDesktop().browse(url);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
