package io.openavathar.examples.cli;

import io.openavathar.AvatarStudio;
import io.openavathar.GenerationRequest;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code openavathar demo}: the whole generate flow against the in-process ComfyUI simulator with a
 * bundled portrait and speech clip, so it works on any machine, without a GPU. It says plainly that
 * the backend is simulated.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run the generate flow against a simulated ComfyUI (no GPU needed) with a bundled sample.")
final class DemoCommand implements Callable<Integer> {
  static final String PORTRAIT = "/io/openavathar/examples/sample-portrait.png";
  static final String SPEECH = "/io/openavathar/examples/sample-speech.wav";

  @Spec CommandSpec spec;

  @Mixin GenerationOptions options = new GenerationOptions();

  @Option(
      names = "--step-delay-ms",
      defaultValue = "150",
      description = "Simulated time per sampler step in milliseconds (default 150).")
  long stepDelayMs;

  @Option(names = "--verbose", description = "Show debug logs and stack traces.")
  boolean verbose;

  /** Where the demo's temporary directory goes (tests point it at their own). */
  Path tempRoot = Path.of(System.getProperty("java.io.tmpdir"));

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    err.println(
        "DEMO: the ComfyUI backend is SIMULATED (in-process, no GPU). It speaks ComfyUI's real protocol");
    err.println(
        "      but returns a bundled sample MP4 instead of a lip-synced video of your input.");
    Path samples = Files.createTempDirectory(tempRoot, "openavathar-demo-");
    CtrlC leftovers =
        CtrlC.register("openavathar-demo-cleanup", () -> {}, () -> deleteQuietly(samples));
    try {
      Path portrait = extract(PORTRAIT, samples.resolve("sample-portrait.png"));
      Path speech = extract(SPEECH, samples.resolve("sample-speech.wav"));
      try (ComfyUiSimulator simulator =
              ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(stepDelayMs)).start();
          JobRunner runner =
              JobRunner.open(
                  options
                      .store
                      .apply(AvatarStudio.builder())
                      .comfyUrls(simulator.baseUrl())
                      // A demo records its job in a throwaway directory unless told otherwise.
                      .dataDirectory(options.dataDir(samples.resolve("data")))
                      .outputDirectory(Path.of("").toAbsolutePath())
                      .build(),
                  spec.commandLine().getOut(),
                  err)) {
        err.println("Simulated ComfyUI at " + simulator.baseUrl());
        GenerationRequest request =
            options.apply(GenerationRequest.builder().image(portrait).audio(speech)).build();
        runner.run(request);
      }
    } finally {
      leftovers.close();
      deleteQuietly(samples);
    }
    err.println(
        "That was a simulation. For a real video, point generate at a ComfyUI server with the InfiniteTalk");
    err.println(
        "nodes: java -jar openavathar.jar generate --comfy-url http://<gpu-host>:8188 --image portrait.png"
            + " --audio speech.wav");
    return 0;
  }

  private static Path extract(String resource, Path target) throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "the bundled sample " + resource + " is missing from the jar");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  /**
   * Deletes the demo's temporary directory and everything in it (the samples, and the job store
   * unless moved).
   */
  static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Best effort: the directory is under the system's temp directory.
    }
  }
}
