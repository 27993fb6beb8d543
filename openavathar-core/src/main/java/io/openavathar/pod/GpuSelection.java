package io.openavathar.pod;

import io.openavathar.Setting;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Which GPUs a deploy tries, and in which order, given a {@link PodSpec} and the provider's catalog
 * per cloud. Pure: no I/O, the same answer for the same input.
 *
 * <p>Clouds are taken in the spec's order. Choosing by need ({@link PodSpec#choosesGpusByNeed()}),
 * a cloud's candidates are the catalog's GPU types with at least {@link PodSpec#minGpuMemoryGb()}
 * GB, a price there that times the GPU count is within {@link PodSpec#maxPricePerHour()}, and stock
 * other than {@code NONE}; cheapest first, more stock breaking ties, except that {@value
 * PodSpec#DEFAULT_GPU_TYPE} leads on community cloud whenever it qualifies (it is what the plan was
 * measured on). An explicit list is kept in its own order in each cloud; only the price cap, the
 * cloud and the stock filter it, and only where the catalog knows the type. Every GPU type left out
 * is reported with its {@link Reason}.
 *
 * <pre>{@code
 * GpuSelection s = GpuSelection.of(spec, Map.of(CloudType.COMMUNITY, communityCatalog));
 * s.offers();    // in the order deploy tries them
 * s.excluded();  // the rest, and why
 * }</pre>
 */
public final class GpuSelection {
  /** Why a GPU type in a cloud is not tried. */
  public enum Reason {
    /** Less GPU memory than {@link PodSpec#minGpuMemoryGb()}. */
    TOO_LITTLE_MEMORY("too little memory", Setting.MIN_GPU_MEMORY),
    /** Its price times the GPU count is over {@link PodSpec#maxPricePerHour()}. */
    OVER_PRICE_CAP("over the price cap", Setting.MAX_PRICE),
    /** The catalog has no price for it in that cloud. */
    NOT_OFFERED_IN_CLOUD("not offered in that cloud", Setting.CLOUD),
    /** The catalog says none is free in that cloud. */
    NO_STOCK("none free per the catalog", Setting.CLOUD);

    private final String words;
    private final Setting setting;

    Reason(String words, Setting setting) {
      this.words = words;
      this.setting = setting;
    }

    /**
     * The setting to relax so that GPUs left out for this reason are tried.
     *
     * @return the setting
     */
    public Setting setting() {
      return setting;
    }

    /** For messages, for example "over the price cap". */
    @Override
    public String toString() {
      return words;
    }
  }

  /** A GPU type in a cloud that is not tried, and why. */
  public record Exclusion(String gpuId, String displayName, CloudType cloud, Reason reason) {
    /**
     * Checks that no value is null.
     *
     * @param gpuId the provider's GPU type id
     * @param displayName a short name
     * @param cloud the cloud it is left out in
     * @param reason why it is left out
     */
    public Exclusion {
      Objects.requireNonNull(gpuId, "gpuId");
      Objects.requireNonNull(displayName, "displayName");
      Objects.requireNonNull(cloud, "cloud");
      Objects.requireNonNull(reason, "reason");
    }

    /** {@code RTX 3090/community (too little memory)}, for messages. */
    @Override
    public String toString() {
      return displayName + "/" + cloud.name().toLowerCase(Locale.ROOT) + " (" + reason + ")";
    }
  }

  private static final Comparator<GpuOffer> CHEAPEST_FIRST =
      Comparator.<GpuOffer>comparingDouble(o -> o.pricePerHour().orElse(Double.MAX_VALUE))
          .thenComparing(o -> stockRank(o.availability()))
          .thenComparing(GpuOffer::gpuId);

  private final List<GpuOffer> offers;
  private final List<Exclusion> excluded;

  private GpuSelection(List<GpuOffer> offers, List<Exclusion> excluded) {
    this.offers = List.copyOf(offers);
    this.excluded = List.copyOf(excluded);
  }

  /**
   * Selects from {@code catalog}, the provider's GPU types per cloud with that cloud's
   * availability. A cloud of the spec missing from {@code catalog} is unknown: an explicit list is
   * tried there without a price; choosing by need offers nothing there.
   *
   * @param spec the pod spec
   * @param catalog the GPU types per cloud
   * @return the selection
   */
  public static GpuSelection of(PodSpec spec, Map<CloudType, List<GpuType>> catalog) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(catalog, "catalog");
    List<GpuOffer> offers = new ArrayList<>();
    List<Exclusion> excluded = new ArrayList<>();
    for (CloudType cloud : spec.clouds()) {
      List<GpuType> types = catalog.get(cloud);
      List<GpuOffer> inCloud = new ArrayList<>();
      if (spec.choosesGpusByNeed()) {
        for (GpuType type : types == null ? List.<GpuType>of() : types) {
          Reason why = reason(spec, type, cloud, true);
          if (why == null) {
            inCloud.add(offer(spec, type, cloud));
          } else {
            excluded.add(new Exclusion(type.id(), type.displayName(), cloud, why));
          }
        }
        inCloud.sort(CHEAPEST_FIRST);
        if (cloud == CloudType.COMMUNITY) {
          inCloud.stream()
              .filter(o -> o.gpuId().equals(PodSpec.DEFAULT_GPU_TYPE))
              .findFirst()
              .ifPresent(
                  plan -> {
                    inCloud.remove(plan);
                    inCloud.add(0, plan);
                  });
        }
      } else {
        for (String id : spec.gpuTypes()) {
          GpuType type =
              types == null
                  ? null
                  : types.stream().filter(t -> t.id().equals(id)).findFirst().orElse(null);
          Reason why = type == null ? null : reason(spec, type, cloud, false);
          if (type == null) {
            inCloud.add(unpriced(id, cloud));
          } else if (why == null) {
            inCloud.add(offer(spec, type, cloud));
          } else {
            excluded.add(new Exclusion(type.id(), type.displayName(), cloud, why));
          }
        }
      }
      offers.addAll(inCloud);
    }
    return new GpuSelection(offers, excluded);
  }

  /**
   * The spec's explicit GPU list in each of its clouds, without prices: for providers that have no
   * catalog.
   *
   * @param spec the pod spec, with an explicit GPU list
   * @return the selection
   */
  public static GpuSelection withoutCatalog(PodSpec spec) {
    return of(spec, Map.of());
  }

  /**
   * The candidates, in the order a deploy tries them.
   *
   * @return the offers, immutable
   */
  public List<GpuOffer> offers() {
    return offers;
  }

  /**
   * The GPU types left out, per cloud, in catalog order.
   *
   * @return the exclusions, immutable
   */
  public List<Exclusion> excluded() {
    return excluded;
  }

  /**
   * The settings whose relaxing would bring GPUs that were left out into play, in {@link Setting}
   * order.
   *
   * @return the settings, in a new set the caller may change
   */
  public Set<Setting> limitsToRelax() {
    Set<Setting> limits = EnumSet.noneOf(Setting.class);
    excluded.forEach(e -> limits.add(e.reason().setting()));
    return limits;
  }

  /** The short display name the deploy and messages use for a GPU id without catalog entry. */
  static String shortName(String gpuId) {
    return GpuType.shortName(gpuId);
  }

  private static Reason reason(PodSpec spec, GpuType type, CloudType cloud, boolean byNeed) {
    OptionalDouble price = type.pricePerHour(cloud);
    if (byNeed && type.memoryGb() < spec.minGpuMemoryGb()) {
      return Reason.TOO_LITTLE_MEMORY;
    }
    if (price.isEmpty()) {
      return Reason.NOT_OFFERED_IN_CLOUD;
    }
    if (price.getAsDouble() * spec.gpuCount() > spec.maxPricePerHour()) {
      return Reason.OVER_PRICE_CAP;
    }
    if (type.availability() == GpuType.Availability.NONE) {
      return Reason.NO_STOCK;
    }
    return null;
  }

  private static GpuOffer offer(PodSpec spec, GpuType type, CloudType cloud) {
    double price = type.pricePerHour(cloud).orElseThrow() * spec.gpuCount();
    return new GpuOffer(
        type.id(),
        type.displayName(),
        type.memoryGb(),
        cloud,
        OptionalDouble.of(price),
        type.availability());
  }

  private static GpuOffer unpriced(String id, CloudType cloud) {
    return new GpuOffer(
        id, shortName(id), 0, cloud, OptionalDouble.empty(), GpuType.Availability.UNKNOWN);
  }

  /** HIGH first, UNKNOWN last among those kept. */
  private static int stockRank(GpuType.Availability a) {
    return switch (a) {
      case HIGH -> 0;
      case MEDIUM -> 1;
      case LOW -> 2;
      case UNKNOWN -> 3;
      case NONE -> 4;
    };
  }

  @Override
  public String toString() {
    return "GpuSelection{offers=" + offers + ", excluded=" + excluded + "}";
  }
}
