package io.openavathar.examples;

import io.openavathar.AvatarStudio;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationRequest;
import io.openavathar.QuotaExceededException;
import io.openavathar.license.LicenseKey;
import io.openavathar.license.LicenseStatus;
import io.openavathar.license.client.DeviceFingerprint;
import io.openavathar.license.client.HttpLicenseClient;
import io.openavathar.license.server.LicenseServer;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.media.SampleMedia;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The free plan (one video per device per UTC day), then Pro: the studio asks the license server
 * before each video, a free device's second video of the day is refused with {@link
 * QuotaExceededException} (when the quota resets, where to upgrade), and after activating a Pro key
 * the device makes as many as it likes.
 *
 * <pre>
 * OPENAVATHAR_LICENSE_KEY=OAVR-... java -cp openavathar.jar io.openavathar.examples.FreeAndPro \
 *     https://license.example.com http://127.0.0.1:8188 portrait.png speech.wav
 * java -cp openavathar.jar io.openavathar.examples.FreeAndPro   # an in-process license server, simulated ComfyUI
 * </pre>
 */
public final class FreeAndPro {
  private FreeAndPro() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("openavathar-license-");
    LicenseServer licenseServer = null;
    ComfyUiSimulator comfy = null;
    URI licenseUrl;
    URI comfyUrl;
    Path portrait;
    Path speech;
    String proKey =
        System.getenv("OPENAVATHAR_LICENSE_KEY"); // an environment variable: no key in `ps` or logs
    if (args.length >= 4) {
      licenseUrl = URI.create(args[0]);
      comfyUrl = URI.create(args[1]);
      portrait = Path.of(args[2]);
      speech = Path.of(args[3]);
    } else {
      System.out.println(
          "No servers given: using an in-process license server, a simulated ComfyUI and the sample"
              + " media.");
      // The project's own license server (Jetty + SQLite), as you would self-host it; port 0 picks
      // a free port.
      licenseServer =
          LicenseServer.builder().port(0).dataDirectory(work.resolve("license-server")).start();
      licenseUrl = licenseServer.baseUrl();
      comfy = ComfyUiSimulator.start();
      comfyUrl = comfy.baseUrl();
      portrait = SampleMedia.portrait();
      speech = SampleMedia.speech();
      // What a Gumroad sale does on a real server: mint a key for the buyer.
      proKey = licenseServer.issueLicense("buyer@example.com").value();
    }
    HttpLicenseClient license =
        HttpLicenseClient.builder()
            .baseUrl(licenseUrl)
            .upgradeUrl("https://example.gumroad.com/l/openavathar") // named in the quota message
            // The server counts videos per device. The default fingerprint is this machine's; a
            // fixed one here so
            // that the sample starts on a fresh free device each time against the in-process
            // server.
            .fingerprint(
                licenseServer != null
                    ? DeviceFingerprint.of("free-and-pro-sample")
                    : DeviceFingerprint.forApp("openavathar-sample"))
            .stateDirectory(work.resolve("license-state"))
            .build();
    GenerationRequest request = GenerationRequest.builder().image(portrait).audio(speech).build();
    try (AvatarStudio studio =
        AvatarStudio.builder()
            .comfyUrls(comfyUrl)
            .licenseClient(license) // without one, the studio makes videos without asking anybody
            .dataDirectory(work.resolve("data"))
            .outputDirectory(work.resolve("videos"))
            .build()) {
      LicenseStatus status = license.check().join();
      System.out.println(
          "Plan: "
              + (status.pro()
                  ? "Pro"
                  : "free, " + status.used() + " of " + status.limit() + " videos used today"));
      for (int i = 1; i <= 2; i++) {
        try {
          GeneratedVideo video = studio.generate(request).await(Duration.ofHours(1));
          System.out.println("Video " + i + ": " + video.file().getFileName());
        } catch (QuotaExceededException e) {
          // Thrown by generate() itself, before anything is uploaded.
          System.out.println("Video " + i + " refused: " + e.getMessage());
          System.out.println(
              "  resets in "
                  + e.resetsIn().toMinutes()
                  + " min; upgrade at "
                  + e.upgradeUrl().orElse("(no upgrade URL configured)"));
        }
      }
      if (proKey == null) {
        System.out.println("Set OPENAVATHAR_LICENSE_KEY to activate a Pro key.");
        return;
      }
      // Activating binds the key to this device (a key works on up to 3 devices);
      // LicenseRejectedException if the
      // key is unknown or used up. Print keys masked only: a full key is a secret.
      LicenseKey key = LicenseKey.parse(proKey);
      license.activate(key).join();
      System.out.println("Activated " + key.masked() + ": Pro is " + license.check().join().pro());
      GeneratedVideo video = studio.generate(request).await(Duration.ofHours(1));
      System.out.println("Video 3 (Pro): " + video.file().getFileName());
    } finally {
      if (comfy != null) {
        comfy.close();
      }
      if (licenseServer != null) {
        licenseServer.close();
      }
    }
  }
}
