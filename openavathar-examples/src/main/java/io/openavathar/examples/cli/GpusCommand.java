package io.openavathar.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.pod.CloudType;
import io.openavathar.pod.GpuOffer;
import io.openavathar.pod.GpuSelection;
import io.openavathar.pod.GpuType;
import io.openavathar.pod.PodSpec;
import io.openavathar.runpod.RunPodPodProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code openavathar gpus}: RunPod GPU types with price and stock in each cloud a deploy would use
 * (in the order it tries them), marking with {@code #n} the GPUs {@code generate} and {@code pods
 * create} would try, in that order.
 */
@Command(
    name = "gpus",
    mixinStandardHelpOptions = true,
    description =
        "List RunPod GPU types with price and stock in each cloud OpenAvathar would deploy to, marking"
            + " those it would try (#1 first) under --min-vram, --max-price, --cloud and --gpu (or their config).")
final class GpusCommand extends PodsCommand.Base {
  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Mixin GpuOptions gpu = new GpuOptions();

  /** One row: a GPU type, what each cloud says about it, and where deploy would try it. */
  private record Row(
      String id,
      String name,
      int memoryGb,
      Map<CloudType, GpuType> perCloud,
      Map<CloudType, Integer> order) {
    int first() {
      return order.values().stream().min(Integer::compare).orElse(Integer.MAX_VALUE);
    }
  }

  @Override
  Integer run(RunPodPodProvider provider) {
    PodSpec spec = gpu.spec();
    Map<CloudType, List<GpuType>> catalog = new LinkedHashMap<>();
    for (CloudType cloud : spec.clouds()) {
      catalog.put(cloud, PodsCommand.join(provider.gpuTypes(cloud)));
    }
    GpuSelection selection = GpuSelection.of(spec, catalog);
    List<Row> rows = rows(catalog, selection);
    if (json) {
      json(rows, spec);
    } else {
      table(rows, spec, selection);
    }
    return 0;
  }

  private static List<Row> rows(Map<CloudType, List<GpuType>> catalog, GpuSelection selection) {
    Map<String, Row> rows = new LinkedHashMap<>();
    catalog.forEach(
        (cloud, types) ->
            types.forEach(
                t ->
                    rows.computeIfAbsent(
                            t.id(),
                            id ->
                                new Row(
                                    id,
                                    t.displayName(),
                                    t.memoryGb(),
                                    new HashMap<>(),
                                    new HashMap<>()))
                        .perCloud()
                        .put(cloud, t)));
    List<GpuOffer> offers = selection.offers();
    for (int i = 0; i < offers.size(); i++) {
      GpuOffer o = offers.get(i);
      rows.computeIfAbsent(
              o.gpuId(),
              id -> new Row(id, o.displayName(), o.memoryGb(), new HashMap<>(), new HashMap<>()))
          .order()
          .put(o.cloud(), i + 1);
    }
    List<Row> sorted = new ArrayList<>(rows.values());
    sorted.sort(Comparator.comparingInt(Row::first)); // stable: the rest stay in catalog order
    return sorted;
  }

  private void table(List<Row> rows, PodSpec spec, GpuSelection selection) {
    List<String> header = new ArrayList<>(List.of("ID", "NAME", "MEMORY"));
    for (CloudType cloud : spec.clouds()) {
      header.add(cloud.name() + " $/H");
      header.add(cloud.name());
    }
    List<String[]> lines = new ArrayList<>();
    lines.add(header.toArray(String[]::new));
    for (Row r : rows) {
      List<String> line =
          new ArrayList<>(List.of(r.id(), r.name(), r.memoryGb() > 0 ? r.memoryGb() + " GB" : "-"));
      for (CloudType cloud : spec.clouds()) {
        GpuType t = r.perCloud().get(cloud);
        line.add(Tables.price(t == null ? OptionalDouble.empty() : t.pricePerHour(cloud)));
        Integer n = r.order().get(cloud);
        line.add((t == null ? "-" : t.availability().name()) + (n == null ? "" : "  #" + n));
      }
      lines.add(line.toArray(String[]::new));
    }
    Tables.table(lines, out());
    out().println();
    out().println(footer(spec, selection));
    out().flush();
  }

  private static String footer(PodSpec spec, GpuSelection selection) {
    String clouds =
        String.join(
            ", then ", spec.clouds().stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
    String limits =
        spec.choosesGpusByNeed()
            ? String.format(
                Locale.ROOT,
                "GPUs with at least %d GB, at most $%.2f per hour, in the %s cloud",
                spec.minGpuMemoryGb(),
                spec.maxPricePerHour(),
                clouds)
            : String.format(
                Locale.ROOT,
                "the --gpu list, at most $%.2f per hour where priced, in the %s cloud",
                spec.maxPricePerHour(),
                clouds);
    String marks =
        selection.offers().isEmpty()
            ? "No GPU qualifies ("
                + limits
                + "): relax "
                + String.join(
                    ", ", selection.limitsToRelax().stream().map(ExitCodes::flag).toList())
                + "."
            : "#n: the order in which generate and pods create would try a GPU ("
                + limits
                + "); NONE is not tried.";
    return marks
        + " Prices are per GPU; change the limits with --min-vram, --max-price, --cloud, --gpu or"
        + " `openavathar config set`.";
  }

  private void json(List<Row> rows, PodSpec spec) {
    ArrayNode arr = Tables.JSON.createArrayNode();
    for (Row r : rows) {
      ObjectNode o = arr.addObject();
      o.put("id", r.id());
      o.put("name", r.name());
      o.put("memoryGb", r.memoryGb());
      GpuType any = r.perCloud().values().stream().findFirst().orElse(null);
      if (any != null && any.communityPricePerHour().isPresent()) {
        o.put("communityPricePerHour", any.communityPricePerHour().getAsDouble());
      }
      if (any != null && any.securePricePerHour().isPresent()) {
        o.put("securePricePerHour", any.securePricePerHour().getAsDouble());
      }
      ObjectNode stock = o.putObject("availability");
      ObjectNode order = o.putObject("order");
      for (CloudType cloud : spec.clouds()) {
        String key = cloud.name().toLowerCase(Locale.ROOT);
        GpuType t = r.perCloud().get(cloud);
        stock.put(key, t == null ? GpuType.Availability.UNKNOWN.name() : t.availability().name());
        Integer n = r.order().get(cloud);
        if (n != null) {
          order.put(key, n);
        }
      }
    }
    Tables.print(arr, out());
  }
}
