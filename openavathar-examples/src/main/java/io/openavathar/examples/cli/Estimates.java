package io.openavathar.examples.cli;

import io.openavathar.CostEstimate;
import io.openavathar.CostEstimate.Range;
import java.io.PrintWriter;
import java.util.Locale;

/** Prints a {@link CostEstimate} for {@code generate --estimate}. */
final class Estimates {
  private Estimates() {}

  static void print(CostEstimate e, PrintWriter out) {
    String gpu =
        e.gpuType().isEmpty() ? "unknown GPU" : io.openavathar.pod.GpuType.shortName(e.gpuType());
    out.printf(
        Locale.ROOT,
        "Estimate: %d frames (%d sampled in whole windows)%n",
        e.frames(),
        e.sampledFrames());
    out.printf(
        Locale.ROOT,
        "  GPU:       %s%s%s%n",
        gpu,
        e.pricePerHour().isPresent()
            ? String.format(Locale.ROOT, " at $%.2f/h", e.pricePerHour().getAsDouble())
            : "",
        e.podMustStart() ? ", on a pod that must start first" : ", ready");
    if (e.podMustStart()) {
      out.printf(Locale.ROOT, "  Boot:      %s%n", seconds(e.bootSeconds()));
    }
    out.printf(
        Locale.ROOT,
        "  GPU time:  %s, %s%n",
        seconds(e.gpuSeconds()),
        e.basis() == CostEstimate.Basis.MEASURED
            ? "from "
                + e.measuredRuns()
                + " measured run"
                + (e.measuredRuns() == 1 ? "" : "s")
                + " on this GPU"
            : "from published figures (no run measured on this GPU yet)");
    out.println(
        "  Cost:      "
            + e.costUsd()
                .map(Estimates::usd)
                .orElse("unknown (no price: your own ComfyUI server)"));
    out.println("Nothing was started or uploaded.");
    out.flush();
  }

  private static String seconds(Range r) {
    return String.format(Locale.ROOT, "~%.0f s (%.0f-%.0f s)", r.expected(), r.low(), r.high());
  }

  private static String usd(Range r) {
    return String.format(Locale.ROOT, "~$%.3f ($%.3f-$%.3f)", r.expected(), r.low(), r.high());
  }
}
