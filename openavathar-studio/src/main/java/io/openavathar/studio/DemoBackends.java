package io.openavathar.studio;

import io.openavathar.license.client.DeviceFingerprint;
import io.openavathar.license.server.LicenseServer;
import io.openavathar.pod.PodPolicy;
import io.openavathar.testkit.runpod.RunPodSimulator;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code openavathar studio --demo}: RunPod and ComfyUI are the testkit's simulators and the
 * license server runs in-process, so the whole product can be tried without a GPU, an account or
 * the internet. Any RunPod API key works; the videos are a bundled sample, not lip-synced to the
 * input. Every page says so.
 */
public final class DemoBackends {
  /** A key the demo's RunPod accepts (the page says any key works). */
  public static final String DEMO_RUNPOD_KEY = "demo";

  private DemoBackends() {}

  /**
   * Starts the simulators and a license server (its data under {@code
   * dataDirectory/demo-license-server}) and returns backends that point at them; they are closed
   * with the studio server.
   *
   * @param dataDirectory the studio's data directory
   * @return the simulated backends
   */
  public static Backends start(Path dataDirectory) {
    RunPodSimulator runpod =
        RunPodSimulator.builder()
            .provisioningDelay(Duration.ofSeconds(2))
            .startingDelay(Duration.ofSeconds(3))
            .runtimeDelay(Duration.ofSeconds(1))
            .comfyReadyDelay(Duration.ofSeconds(4))
            .comfyStepDelay(Duration.ofMillis(120))
            .start();
    LicenseServer license;
    try {
      license =
          LicenseServer.builder()
              .port(0)
              .dataDirectory(dataDirectory.resolve("demo-license-server"))
              .start();
    } catch (RuntimeException e) {
      runpod.close();
      throw e;
    }
    return Backends.builder()
        .simulated(true)
        .runpodApiUrl(runpod.apiUrl())
        .runpodProxyPattern(runpod.proxyUrlPattern())
        .licenseUrl(license.baseUrl())
        .fingerprint(DeviceFingerprint.of("openavathar-studio-demo"))
        .podPolicy(
            PodPolicy.builder()
                .apiPolling(Duration.ofMillis(250), Duration.ofSeconds(1))
                .probeInterval(Duration.ofMillis(250))
                .build())
        .demoLicenseKey(license.issueLicense("demo@openavathar.invalid").value())
        .closeWithServer(runpod)
        .closeWithServer(license)
        .build();
  }
}
