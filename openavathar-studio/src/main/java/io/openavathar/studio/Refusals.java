package io.openavathar.studio;

import io.openavathar.NoGpuAvailableException;
import io.openavathar.Setting;
import io.openavathar.SpendLimitException;
import io.openavathar.pod.PodSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A job (or a new pod) the money guards refused, said in the app's words: over the daily spend cap
 * ({@link SpendLimitException}), or no GPU within the "GPU and price" settings ({@link
 * NoGpuAvailableException}). The page shows it as a dialog with a link to Settings.
 */
final class Refusals {
  private final Session session;

  Refusals(Session session) {
    this.session = session;
  }

  /**
   * {@code {"kind": "spend"|"gpu", "message": ...}} if {@code failure} (or a cause of it) is such a
   * refusal.
   */
  Optional<Map<String, Object>> of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SpendLimitException e) {
        return Optional.of(view("spend", spend(e)));
      }
      if (t instanceof NoGpuAvailableException e) {
        return Optional.of(view("gpu", noGpu(e, session.deploySpec())));
      }
    }
    return Optional.empty();
  }

  private static Map<String, Object> view(String kind, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind);
    m.put("message", message);
    return m;
  }

  private String spend(SpendLimitException e) {
    double cost = e.estimate().costUsd().map(r -> r.expected()).orElse(0.0);
    if (e.setting().orElse(null) == Setting.DAILY_SPEND_CAP) {
      String cap =
          session.gpu().dailyCap().isPresent() ? usd(session.gpu().dailyCap().getAsDouble()) : null;
      String spent =
          cap == null
              ? ""
              : " (spent today: "
                  + usd(Math.max(0, session.gpu().dailyCap().getAsDouble() - e.limitUsd()))
                  + ")";
      return "This video would cost about "
          + usd(cost)
          + ", over your daily cap"
          + (cap == null ? "" : " of " + cap)
          + spent
          + ". Raise the cap in Settings or wait until tomorrow (the day"
          + " starts at midnight UTC).";
    }
    return "This video would cost about "
        + usd(cost)
        + ", over your limit of "
        + usd(e.limitUsd())
        + " per video. Use a shorter speech file, or raise the limit.";
  }

  /** "No GPU under $0.50/h with 24 GB is free right now..." with what to change in Settings. */
  static String noGpu(NoGpuAvailableException e, PodSpec spec) {
    StringBuilder m = new StringBuilder();
    String clouds =
        spec.clouds().size() > 1
            ? ""
            : " in the " + spec.clouds().get(0).name().toLowerCase(Locale.ROOT) + " cloud";
    String which =
        spec.choosesGpusByNeed()
            ? "No GPU under "
                + usd(spec.maxPricePerHour())
                + "/h with "
                + spec.minGpuMemoryGb()
                + " GB"
                + clouds
            : "None of your GPUs ("
                + String.join(", ", spec.gpuTypes())
                + ") under "
                + usd(spec.maxPricePerHour())
                + "/h"
                + clouds;
    m.append(which)
        .append(
            e.tried().isEmpty() && !e.isRetryable()
                ? " is offered at RunPod."
                : " is free right now.");
    List<String> changes = new ArrayList<>();
    for (Setting s : e.limits()) {
      switch (s) {
        case MAX_PRICE -> changes.add("raise the maximum price per hour");
        case MIN_GPU_MEMORY -> changes.add("lower the minimum GPU memory");
        case CLOUD -> changes.add("allow both clouds");
        case GPU ->
            changes.add("remove the gpu line from config.properties to let the studio choose GPUs");
        default -> {}
      }
    }
    m.append(e.isRetryable() ? " Try again in a few minutes" : "");
    if (!changes.isEmpty()) {
      m.append(e.isRetryable() ? ", or in Settings " : " In Settings, ").append(orList(changes));
    }
    return m.append(e.isRetryable() || !changes.isEmpty() ? "." : "").toString();
  }

  private static String orList(List<String> items) {
    return items.size() == 1
        ? items.get(0)
        : String.join(", ", items.subList(0, items.size() - 1))
            + " or "
            + items.get(items.size() - 1);
  }

  static String usd(double x) {
    return String.format(Locale.ROOT, "$%.2f", x);
  }
}
