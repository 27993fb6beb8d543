package io.openavathar.studio;

import io.openavathar.AvatarStudio;
import io.openavathar.InvalidInputException;
import io.openavathar.JobListener;
import io.openavathar.license.LicenseClient;
import io.openavathar.license.client.HttpLicenseClient;
import io.openavathar.pod.PodPolicy;
import io.openavathar.pod.PodSpec;
import io.openavathar.runpod.RunPodPodProvider;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK studio behind the web app, built from the settings when first needed and built again when
 * a setting it depends on changes (the old one is closed first: its running jobs stay unfinished in
 * the store and the new studio resumes them). Thread-safe.
 */
final class Session implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Session.class);
  static final int DEFAULT_IDLE_MINUTES = 15;

  private final Path dataDirectory;
  private final Settings settings;
  private final Backends backends;
  private final Clock clock;
  private final JobListener listener;
  private final GpuSettings gpu;
  private volatile AvatarStudio studio;

  /**
   * The studio's store, opened once and given to every studio built (the app reads its own notes
   * and pods there).
   */
  private io.openavathar.store.StudioStore store;

  /** The JDBC URL of the store, or null for the data directory's studio.db. */
  private final String storeUrl;

  private RunPodPodProvider runpod;
  private LicenseClient license;

  Session(
      Path dataDirectory,
      String storeUrl,
      Settings settings,
      Backends backends,
      Clock clock,
      JobListener listener) {
    this.dataDirectory = dataDirectory;
    this.storeUrl = storeUrl;
    this.settings = settings;
    this.backends = backends;
    this.clock = clock;
    this.listener = listener;
    this.gpu = new GpuSettings(settings);
  }

  Settings settings() {
    return settings;
  }

  Backends backends() {
    return backends;
  }

  Path dataDirectory() {
    return dataDirectory;
  }

  /**
   * The store the SDK studio records jobs, videos and pods in: the store URL's, else the data
   * directory's.
   */
  synchronized io.openavathar.store.StudioStore store() {
    if (store == null) {
      store =
          storeUrl != null
              ? io.openavathar.store.StudioStore.connect(storeUrl)
              : io.openavathar.store.StudioStore.open(dataDirectory);
    }
    return store;
  }

  /** Whether a backend is chosen: a RunPod API key or a ComfyUI URL of the user's own. */
  boolean configured() {
    return settings.get(Settings.COMFY_URL).isPresent()
        || settings.get(Settings.RUNPOD_API_KEY).isPresent();
  }

  /** Whether jobs run on RunPod (pods are managed here) rather than on the user's own ComfyUI. */
  boolean onRunPod() {
    return settings.get(Settings.COMFY_URL).isEmpty()
        && settings.get(Settings.RUNPOD_API_KEY).isPresent();
  }

  /** The GPU and price settings. */
  GpuSettings gpu() {
    return gpu;
  }

  /**
   * The pod a new job or the Pods page's "New pod" deploys: the backends' spec with the user's GPU
   * settings.
   */
  PodSpec deploySpec() {
    return gpu.deploySpec(backends.podPolicy().deploySpec());
  }

  int idleMinutes() {
    return settings.get(Settings.IDLE_MINUTES).map(Integer::parseInt).orElse(DEFAULT_IDLE_MINUTES);
  }

  /** The SDK studio, built now if needed. */
  synchronized AvatarStudio studio() {
    if (studio == null) {
      studio = build();
    }
    return studio;
  }

  /** The studio if one is running (no build): for pages that only show what exists. */
  Optional<AvatarStudio> current() {
    return Optional.ofNullable(studio);
  }

  /**
   * Builds the studio now if the user chose a backend: a restart then resumes unfinished jobs at
   * once.
   */
  synchronized void startIfConfigured() {
    if (configured()) {
      studio();
    }
  }

  /** This device's license client (the studio's once built; unlimited without a license server). */
  synchronized LicenseClient license() {
    if (license == null) {
      license = buildLicense();
    }
    return license;
  }

  /**
   * Whether a license server counts this device's videos (without one, the studio is unlimited).
   */
  boolean hasLicenseServer() {
    return licenseUrl().isPresent();
  }

  /**
   * Where "Upgrade" leads: the backends' checkout page, else the {@code upgrade-url} setting; empty
   * if neither.
   */
  Optional<String> upgradeUrl() {
    return backends.upgradeUrl().or(() -> settings.get(Settings.UPGRADE_URL));
  }

  private Optional<URI> licenseUrl() {
    return backends.licenseUrl().or(() -> settings.get(Settings.LICENSE_URL).map(URI::create));
  }

  private LicenseClient buildLicense() {
    Optional<URI> url = licenseUrl();
    if (url.isEmpty()) {
      return LicenseClient.unlimited();
    }
    HttpLicenseClient.Builder b =
        HttpLicenseClient.builder()
            .baseUrl(url.get())
            .stateDirectory(dataDirectory.resolve("license"))
            .clock(clock);
    upgradeUrl().ifPresent(b::upgradeUrl);
    backends.fingerprint().ifPresent(b::fingerprint);
    return b.build();
  }

  /**
   * A setting the studio or the license client is built from changed: the next use builds them
   * again.
   */
  void settingsChanged() {
    closeStudio();
    synchronized (this) {
      license = null;
      startIfConfigured();
    }
  }

  private AvatarStudio build() {
    AvatarStudio.Builder b =
        AvatarStudio.builder()
            .dataDirectory(dataDirectory)
            .store(store())
            .clock(clock)
            .listener(listener)
            .licenseClient(license());
    Optional<String> comfy = settings.get(Settings.COMFY_URL);
    if (comfy.isPresent()) {
      b.comfyUrls(URI.create(comfy.get()));
    } else {
      String key =
          settings
              .get(Settings.RUNPOD_API_KEY)
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          "No backend chosen yet: enter your RunPod API key or your ComfyUI server's URL on the Studio page."));
      RunPodPodProvider.Builder rb = RunPodPodProvider.builder().apiKey(key).clock(clock);
      backends.runpodApiUrl().ifPresent(rb::apiUrl);
      backends.runpodProxyPattern().ifPresent(rb::proxyUrlPattern);
      runpod = rb.build();
      b.podProvider(runpod);
      b.podPolicy(
          backends.podPolicy().toBuilder()
              .idleStop(Duration.ofMinutes(idleMinutes()), PodPolicy.IdleAction.STOP)
              .deploySpec(deploySpec())
              .build());
    }
    gpu.dailyCap().ifPresent(b::dailySpendCapUsd);
    LOG.debug("Built the SDK studio [runpod={}]", comfy.isEmpty());
    return b.build();
  }

  @Override
  public void close() {
    closeStudio();
    synchronized (this) {
      if (store != null) {
        store.close();
        store = null;
      }
    }
  }

  /**
   * Closes the studio (outside the lock: closing waits for cancels in flight) and the RunPod
   * provider.
   */
  private void closeStudio() {
    AvatarStudio old;
    RunPodPodProvider oldRunpod;
    synchronized (this) {
      old = studio;
      oldRunpod = runpod;
      studio = null;
      runpod = null;
    }
    try {
      if (old != null) {
        old.close();
      }
    } finally {
      if (oldRunpod != null) {
        oldRunpod.close();
      }
    }
  }
}
