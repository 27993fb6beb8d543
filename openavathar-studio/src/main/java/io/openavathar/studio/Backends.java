package io.openavathar.studio;

import io.openavathar.license.client.DeviceFingerprint;
import io.openavathar.pod.PodPolicy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the studio's remotes are: RunPod's API and pod proxy, the license server, the checkout
 * page. {@link #real()} is production (RunPod's own URLs; the license server from the settings);
 * {@link DemoBackends} points everything at in-process simulators. Immutable; build with {@link
 * #builder()}.
 */
public final class Backends {
  private final Optional<URI> runpodApiUrl;
  private final Optional<String> runpodProxyPattern;
  private final Optional<URI> licenseUrl;
  private final Optional<String> upgradeUrl;
  private final Optional<DeviceFingerprint> fingerprint;
  private final PodPolicy podPolicy;
  private final boolean simulated;
  private final Optional<String> demoLicenseKey;
  private final List<AutoCloseable> closeables;

  private Backends(Builder b) {
    this.runpodApiUrl = Optional.ofNullable(b.runpodApiUrl);
    this.runpodProxyPattern = Optional.ofNullable(b.runpodProxyPattern);
    this.licenseUrl = Optional.ofNullable(b.licenseUrl);
    this.upgradeUrl = Optional.ofNullable(b.upgradeUrl);
    this.fingerprint = Optional.ofNullable(b.fingerprint);
    this.podPolicy = b.podPolicy;
    this.simulated = b.simulated;
    this.demoLicenseKey = Optional.ofNullable(b.demoLicenseKey);
    this.closeables = List.copyOf(b.closeables);
  }

  /**
   * RunPod's real API and proxy; the license server, if any, comes from the settings ({@code
   * license-url}).
   *
   * @return the production backends
   */
  public static Backends real() {
    return builder().build();
  }

  /**
   * A builder whose defaults are the production backends of {@link #real()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  Optional<URI> runpodApiUrl() {
    return runpodApiUrl;
  }

  Optional<String> runpodProxyPattern() {
    return runpodProxyPattern;
  }

  /** A license server that overrides the {@code license-url} setting (the demo's own). */
  Optional<URI> licenseUrl() {
    return licenseUrl;
  }

  Optional<String> upgradeUrl() {
    return upgradeUrl;
  }

  Optional<DeviceFingerprint> fingerprint() {
    return fingerprint;
  }

  /** The pod policy before the user's idle minutes are applied. */
  PodPolicy podPolicy() {
    return podPolicy;
  }

  /**
   * Whether the backends are simulators: every page then says so.
   *
   * @return true for simulators
   */
  public boolean simulated() {
    return simulated;
  }

  /**
   * A key of the demo's own license server, shown on the Settings page so that Pro can be tried.
   */
  Optional<String> demoLicenseKey() {
    return demoLicenseKey;
  }

  List<AutoCloseable> closeables() {
    return closeables;
  }

  @Override
  public String toString() {
    return "Backends{simulated="
        + simulated
        + ", runpodApiUrl="
        + runpodApiUrl
        + ", licenseUrl="
        + licenseUrl
        + "}";
  }

  /** Builds {@link Backends}. */
  public static final class Builder {
    private URI runpodApiUrl;
    private String runpodProxyPattern;
    private URI licenseUrl;
    private String upgradeUrl;
    private DeviceFingerprint fingerprint;
    private PodPolicy podPolicy = PodPolicy.defaults();
    private boolean simulated;
    private String demoLicenseKey;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private Builder() {}

    /**
     * RunPod's REST API (default RunPod's own).
     *
     * @param url the API's base URL
     * @return this builder
     */
    public Builder runpodApiUrl(URI url) {
      this.runpodApiUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    /**
     * The pod proxy URL pattern (default RunPod's own).
     *
     * @param pattern the pattern, with {@code {podId}} and {@code {port}} placeholders
     * @return this builder
     */
    public Builder runpodProxyPattern(String pattern) {
      this.runpodProxyPattern = Objects.requireNonNull(pattern, "pattern");
      return this;
    }

    /**
     * A license server that wins over the {@code license-url} setting.
     *
     * @param url the license server's base URL
     * @return this builder
     */
    public Builder licenseUrl(URI url) {
      this.licenseUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    /**
     * Where "Upgrade" leads (the checkout page); wins over the {@code upgrade-url} setting. Default
     * none.
     *
     * @param url the checkout page's URL
     * @return this builder
     */
    public Builder upgradeUrl(String url) {
      this.upgradeUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    /**
     * The device id the license server knows this studio by (default the machine's).
     *
     * @param fingerprint the device fingerprint
     * @return this builder
     */
    public Builder fingerprint(DeviceFingerprint fingerprint) {
      this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
      return this;
    }

    /**
     * The pod policy; the {@code idle-minutes} setting replaces its idle stop.
     *
     * @param podPolicy the pod policy; default {@link PodPolicy#defaults()}
     * @return this builder
     */
    public Builder podPolicy(PodPolicy podPolicy) {
      this.podPolicy = Objects.requireNonNull(podPolicy, "podPolicy");
      return this;
    }

    /**
     * Marks the backends simulated (every page says so).
     *
     * @param simulated true for simulators; default false
     * @return this builder
     */
    public Builder simulated(boolean simulated) {
      this.simulated = simulated;
      return this;
    }

    /**
     * A license key of a simulated license server, shown to the user to try Pro (demo only).
     *
     * @param key the demo license key; never a real one
     * @return this builder
     */
    public Builder demoLicenseKey(String key) {
      this.demoLicenseKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * Closed, in reverse order, when the studio server closes (the demo's simulators).
     *
     * @param closeable what to close with the server
     * @return this builder
     */
    public Builder closeWithServer(AutoCloseable closeable) {
      closeables.add(Objects.requireNonNull(closeable, "closeable"));
      return this;
    }

    /**
     * Builds the backends.
     *
     * @return the backends, immutable
     */
    public Backends build() {
      return new Backends(this);
    }
  }
}
