package io.openavathar.examples.cli;

import io.openavathar.runpod.RunPodPodProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code openavathar gpus}: RunPod GPU types with prices and availability. */
@Command(name = "gpus", mixinStandardHelpOptions = true, description = "List RunPod GPU types, prices and stock.")
final class GpusCommand extends PodsCommand.Base {
  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Override
  Integer run(RunPodPodProvider provider) {
    Tables.gpus(PodsCommand.join(provider.gpuTypes()), json, out());
    return 0;
  }
}
