package io.openavathar.studio;

import java.util.Optional;

/**
 * The user's settings, keyed by the CLI's long option names without dashes ({@code runpod-api-key},
 * {@code comfy-url}, {@code license-url}, {@code idle-minutes}, and the GPU and price settings
 * {@code min-vram}, {@code max-price}, {@code cloud}, {@code daily-cap}, {@code gpu}: the keys of
 * the CLI's {@code ConfigFile}). Deliberately tiny so that the CLI's own config file reader can
 * stand behind it too.
 */
interface Settings {
  String RUNPOD_API_KEY = "runpod-api-key";
  String COMFY_URL = "comfy-url";
  String LICENSE_URL = "license-url";
  String IDLE_MINUTES = "idle-minutes";

  /** Least GPU memory in GB for GPUs chosen by need. */
  String MIN_VRAM = "min-vram";

  /** Most a pod may cost, USD per hour. */
  String MAX_PRICE = "max-price";

  /** Clouds to try in order, for example {@code community,secure}. */
  String CLOUD = "cloud";

  /** Most the videos of one UTC day may cost, USD. */
  String DAILY_CAP = "daily-cap";

  /**
   * GPU type ids to try instead of choosing by need (set with the CLI; not editable in the pages).
   */
  String GPU = "gpu";

  /**
   * The checkout page "Upgrade" leads to (set by whoever runs the license server; not editable in
   * the pages).
   */
  String UPGRADE_URL = "upgrade-url";

  Optional<String> get(String key);

  /**
   * Sets a value; a blank value removes the key. Written to durable storage before this returns.
   */
  void put(String key, String value);

  default void remove(String key) {
    put(key, "");
  }
}
