package io.openavathar.studio;

import io.openavathar.CostEstimate;
import io.openavathar.GeneratedVideo;
import io.openavathar.pod.GpuType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The money the pages show, from the SDK: a video's recorded cost ({@link
 * GeneratedVideo#costUsd()}), a GPU type's catalog price, and a job's estimate before it starts
 * ({@code AvatarStudio.estimate}).
 */
final class Costs {
  private Costs() {}

  /**
   * The video's recorded cost in USD; empty when its pod's price was unknown (your own ComfyUI, an
   * import).
   */
  static OptionalDouble ofVideo(GeneratedVideo video) {
    return video.costUsd();
  }

  /** The catalog price per hour of a new pod of this GPU type (community cloud first). */
  static OptionalDouble hourlyPrice(GpuType gpu) {
    return gpu.communityPricePerHour().isPresent()
        ? gpu.communityPricePerHour()
        : gpu.securePricePerHour();
  }

  /**
   * An estimate as the pages read it: {@code costUsd} (low, expected, high) only when the price is
   * known, so that the page says "no cost for your own ComfyUI server" when it is absent.
   */
  static Map<String, Object> estimate(CostEstimate e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("gpuType", e.gpuType());
    e.pricePerHour().ifPresent(p -> m.put("pricePerHour", p));
    m.put("podMustStart", e.podMustStart());
    m.put("bootSeconds", range(e.bootSeconds()));
    m.put("gpuSeconds", range(e.gpuSeconds()));
    e.costUsd().ifPresent(c -> m.put("costUsd", range(c)));
    m.put("basis", e.basis().name());
    m.put("measuredRuns", e.measuredRuns());
    return m;
  }

  private static Map<String, Object> range(CostEstimate.Range r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("low", r.low());
    m.put("expected", r.expected());
    m.put("high", r.high());
    return m;
  }
}
