package io.openavathar.studio;

import io.openavathar.GeneratedVideo;
import io.openavathar.pod.GpuType;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The money the pages show. The SDK's public API has no per-video cost or estimate yet (issue 10 adds a per-video cost
 * record and {@code studio.estimate(...)}): these are the two spots to fill when it lands. Until then a video's cost is
 * unknown (the gallery shows its GPU time) and the "Starting your studio" overlay shows the GPU's hourly price.
 */
final class Costs {
  private Costs() {}

  /** ISSUE-10 HOOK: the video's recorded cost in USD; empty until the SDK records one. */
  static Optional<Double> ofVideo(GeneratedVideo video) {
    return Optional.empty();
  }

  /** ISSUE-10 HOOK: the expected price per hour of a new pod of this GPU type (community cloud first). */
  static OptionalDouble hourlyPrice(GpuType gpu) {
    return gpu.communityPricePerHour().isPresent() ? gpu.communityPricePerHour() : gpu.securePricePerHour();
  }
}
