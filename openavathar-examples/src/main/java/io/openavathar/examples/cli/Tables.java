package io.openavathar.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.pod.Pod;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** Prints pods and GPU types as aligned tables for people, or JSON for scripts. */
final class Tables {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Tables() {}

  static void pods(List<Pod> pods, boolean json, PrintWriter out) {
    pods(pods, java.util.Map.of(), java.time.Instant.now(), json, out);
  }

  /**
   * Pods, marking those in {@code startedBySdk} (the store's record of the pods OpenAvathar
   * started, by id) with the time since their last job ended.
   */
  static void pods(
      List<Pod> pods,
      java.util.Map<String, io.openavathar.store.StartedPod> startedBySdk,
      java.time.Instant now,
      boolean json,
      PrintWriter out) {
    if (json) {
      ArrayNode arr = JSON.createArrayNode();
      for (Pod p : pods) {
        ObjectNode o = arr.addObject();
        o.put("id", p.id());
        o.put("name", p.name());
        o.put("status", p.rawStatus());
        o.put("gpu", p.gpuType().orElse(null));
        o.put("gpuCount", p.gpuCount());
        o.put("cloud", p.cloudType().name());
        o.put("costPerHour", p.costPerHour());
        o.put("startedAt", p.billedSince().map(Object::toString).orElse(null));
        OptionalDouble sinceStart = p.estimatedCostSinceStart(now);
        if (sinceStart.isPresent()) {
          o.put("estimatedCostSinceStart", round(sinceStart.getAsDouble(), 4));
        } else {
          o.putNull("estimatedCostSinceStart");
        }
        o.put("comfyUiUrl", p.comfyUiUrl().map(Object::toString).orElse(null));
        o.put("managed", p.isManaged());
        io.openavathar.store.StartedPod started = startedBySdk.get(p.id());
        o.put("startedBySdk", started != null);
        if (started != null) {
          o.put("idleMinutes", idleMinutes(started, now));
        }
      }
      print(arr, out);
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "ID",
          "NAME",
          "STATUS",
          "GPU",
          "CLOUD",
          "PRICE/H",
          "COST SINCE START",
          "COMFYUI",
          "SDK",
          "STARTED BY SDK",
          "IDLE"
        });
    for (Pod p : pods) {
      OptionalDouble sinceStart = p.estimatedCostSinceStart(now);
      rows.add(
          new String[] {
            p.id(),
            p.name(),
            p.rawStatus(),
            p.gpuType().orElse("-"),
            p.cloudType().name(),
            p.costPerHour() > 0 ? usd(p.costPerHour()) : "-",
            sinceStart.isPresent() ? "~" + usd(sinceStart.getAsDouble()) : "-",
            p.comfyUiUrl().map(Object::toString).orElse("-"),
            p.isManaged() ? "yes" : "no",
            startedBySdk.containsKey(p.id()) ? "yes" : "no",
            startedBySdk.containsKey(p.id())
                ? idleMinutes(startedBySdk.get(p.id()), now) + " min"
                : "-"
          });
    }
    table(rows, out);
  }

  /**
   * An amount in USD for people: cents ({@code $0.34}), or tenths of a cent below a dollar when
   * cents would round to nothing ({@code $0.004}).
   */
  static String usd(double amount) {
    if (amount > 0 && amount < 0.005) {
      return String.format(Locale.ROOT, "$%.3f", amount);
    }
    return String.format(Locale.ROOT, "$%.2f", amount);
  }

  static double round(double value, int decimals) {
    return java.math.BigDecimal.valueOf(value)
        .setScale(decimals, java.math.RoundingMode.HALF_UP)
        .doubleValue();
  }

  private static long idleMinutes(io.openavathar.store.StartedPod pod, java.time.Instant now) {
    return Math.max(0, java.time.Duration.between(pod.lastActivity(), now).toMinutes());
  }

  /** A price like {@code 0.34}, or {@code -} when there is none. */
  static String price(OptionalDouble p) {
    return p.isPresent() ? String.format(Locale.ROOT, "%.2f", p.getAsDouble()) : "-";
  }

  static void print(Object json, PrintWriter out) {
    try {
      out.println(JSON.writeValueAsString(json));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
  }

  static void table(List<String[]> rows, PrintWriter out) {
    int[] widths = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(i == r.length - 1 ? r[i] : String.format("%-" + widths[i] + "s  ", r[i]));
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }
}
