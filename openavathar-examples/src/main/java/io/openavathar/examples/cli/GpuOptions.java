package io.openavathar.examples.cli;

import io.openavathar.pod.CloudType;
import io.openavathar.pod.PodSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * Which GPUs a command may rent, shared by {@code generate}, {@code jobs run}, {@code pods create}
 * and {@code gpus}: by need (memory, price, clouds) unless {@code --gpu} names them. Defaults come
 * from {@code config.properties}.
 */
final class GpuOptions {
  @Option(
      names = "--min-vram",
      paramLabel = "GB",
      description =
          "Least GPU memory for GPUs chosen by need (default "
              + PodSpec.DEFAULT_MIN_GPU_MEMORY_GB
              + ").")
  Integer minVram;

  @Option(
      names = "--max-price",
      paramLabel = "USD_PER_HOUR",
      description =
          "Most the pod may cost per hour, all its GPUs together (default 1.00); caps --gpu too.")
  Double maxPrice;

  @Option(
      names = "--cloud",
      paramLabel = "community|secure",
      split = ",",
      description =
          "Clouds to try, in order (repeatable or comma-separated; default community,secure).")
  List<String> clouds = new ArrayList<>();

  @Option(
      names = "--gpu",
      paramLabel = "ID",
      split = ",",
      description =
          "GPU type id to try instead of choosing by need, e.g. \"NVIDIA GeForce RTX 4090\" (repeatable,"
              + " tried in order; see `openavathar gpus`).")
  List<String> gpus = new ArrayList<>();

  /** The default pod spec with these options applied. */
  PodSpec spec() {
    return apply(PodSpec.builder()).build();
  }

  PodSpec.Builder apply(PodSpec.Builder spec) {
    if (minVram != null) {
      if (minVram < 1) {
        throw new IllegalArgumentException("--min-vram must be at least 1 (GB), was " + minVram);
      }
      spec.minGpuMemoryGb(minVram);
    }
    if (maxPrice != null) {
      if (!(maxPrice > 0) || maxPrice.isInfinite()) {
        throw new IllegalArgumentException(
            "--max-price must be more than 0 (USD per hour), was " + maxPrice);
      }
      spec.maxPricePerHour(maxPrice);
    }
    List<String> named = gpus.stream().map(String::trim).filter(g -> !g.isEmpty()).toList();
    if (!named.isEmpty()) {
      spec.gpuTypes(named);
    }
    List<CloudType> chosen =
        clouds.stream().map(String::trim).filter(c -> !c.isEmpty()).map(GpuOptions::cloud).toList();
    if (!chosen.isEmpty()) {
      spec.clouds(chosen);
    }
    return spec;
  }

  static CloudType cloud(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "community" -> CloudType.COMMUNITY;
      case "secure" -> CloudType.SECURE;
      default ->
          throw new IllegalArgumentException(
              "--cloud must be community or secure, was '" + s + "'");
    };
  }
}
