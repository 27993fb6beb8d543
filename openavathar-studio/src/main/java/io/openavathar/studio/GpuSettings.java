package io.openavathar.studio;

import io.openavathar.InvalidInputException;
import io.openavathar.pod.CloudType;
import io.openavathar.pod.PodSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The "GPU and price" settings ({@code min-vram}, {@code max-price}, {@code cloud}, {@code
 * daily-cap}, and the CLI-only {@code gpu}), read from the same {@code config.properties} keys as
 * the CLI: checked when a page saves them, applied to the studio's deploy spec and daily spend cap
 * when the SDK studio is built.
 */
final class GpuSettings {
  /** The settings the "GPU and price" form writes. */
  static final List<String> KEYS =
      List.of(Settings.MIN_VRAM, Settings.MAX_PRICE, Settings.CLOUD, Settings.DAILY_CAP);

  private final Settings settings;

  GpuSettings(Settings settings) {
    this.settings = settings;
  }

  /**
   * A page's value for one of {@link #KEYS} was refused; {@link #key()} names the form field to
   * mark.
   */
  static final class Rejected extends InvalidInputException {
    private static final long serialVersionUID = 1L;
    private final String key;

    Rejected(String key, String message) {
      super(message);
      this.key = key;
    }

    String key() {
      return key;
    }
  }

  /** Checks a value a page sends (blank means "back to the default"), in the form's words. */
  static void validate(String key, String value) {
    if (value.isEmpty()) {
      return;
    }
    switch (key) {
      case Settings.MIN_VRAM -> {
        try {
          if (Integer.parseInt(value) >= 1) {
            return;
          }
        } catch (NumberFormatException e) {
          // below
        }
        throw new Rejected(
            key,
            "Minimum GPU memory must be a whole number of GB, 1 or more (the video model needs"
                + " "
                + PodSpec.DEFAULT_MIN_GPU_MEMORY_GB
                + "); was '"
                + value
                + "'.");
      }
      case Settings.MAX_PRICE ->
          positiveUsd(
              key,
              value,
              "Maximum price per hour must be an amount in dollars above 0," + " like 0.80");
      case Settings.DAILY_CAP ->
          positiveUsd(
              key,
              value,
              "Daily spend cap must be an amount in dollars above 0, like"
                  + " 2.00 (leave it empty for no cap)");
      case Settings.CLOUD -> clouds(key, value);
      default -> {}
    }
  }

  private static void positiveUsd(String key, String value, String rule) {
    double d;
    try {
      d = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      d = Double.NaN;
    }
    if (!(d > 0) || Double.isInfinite(d)) {
      throw new Rejected(key, rule + "; was '" + value + "'.");
    }
  }

  private static List<CloudType> clouds(String key, String value) {
    List<CloudType> out = new ArrayList<>();
    for (String part : value.split(",")) {
      switch (part.trim().toLowerCase(Locale.ROOT)) {
        case "community" -> out.add(CloudType.COMMUNITY);
        case "secure" -> out.add(CloudType.SECURE);
        default ->
            throw new Rejected(
                key,
                "Clouds must be community, secure, or both in the order to try; was '"
                    + value
                    + "'.");
      }
    }
    return out;
  }

  /**
   * {@code base} with the user's GPU settings applied; a value the file holds but is invalid is
   * left out.
   */
  PodSpec deploySpec(PodSpec base) {
    PodSpec.Builder spec = base.toBuilder();
    valid(Settings.MIN_VRAM).ifPresent(v -> spec.minGpuMemoryGb(Integer.parseInt(v)));
    valid(Settings.MAX_PRICE).ifPresent(v -> spec.maxPricePerHour(Double.parseDouble(v)));
    valid(Settings.CLOUD).ifPresent(v -> spec.clouds(clouds(Settings.CLOUD, v)));
    settings
        .get(Settings.GPU)
        .ifPresent(
            v -> {
              List<String> named =
                  List.of(v.split(",")).stream()
                      .map(String::trim)
                      .filter(g -> !g.isEmpty())
                      .toList();
              if (!named.isEmpty()) {
                spec.gpuTypes(named);
              }
            });
    return spec.build();
  }

  /** The daily spend cap in USD, if one is set. */
  OptionalDouble dailyCap() {
    return valid(Settings.DAILY_CAP)
        .map(v -> OptionalDouble.of(Double.parseDouble(v)))
        .orElse(OptionalDouble.empty());
  }

  private java.util.Optional<String> valid(String key) {
    return settings
        .get(key)
        .filter(
            v -> {
              try {
                validate(key, v);
                return true;
              } catch (Rejected e) {
                return false;
              }
            });
  }

  /**
   * What {@code /api/state} tells the Settings page: the values as saved, and the defaults they
   * replace.
   */
  Map<String, Object> view() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String key : KEYS) {
      settings.get(key).ifPresent(v -> m.put(key, v));
    }
    settings.get(Settings.GPU).ifPresent(v -> m.put(Settings.GPU, v));
    m.put(
        "defaults",
        Map.of(
            Settings.MIN_VRAM,
            PodSpec.DEFAULT_MIN_GPU_MEMORY_GB,
            Settings.MAX_PRICE,
            PodSpec.DEFAULT_MAX_PRICE_PER_HOUR,
            Settings.CLOUD,
            "community,secure"));
    return m;
  }
}
