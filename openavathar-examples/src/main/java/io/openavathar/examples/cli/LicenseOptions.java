package io.openavathar.examples.cli;

import io.openavathar.license.LicenseClient;
import io.openavathar.license.client.HttpLicenseClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Which license server the CLI asks: --license-url, else OPENAVATHAR_LICENSE_URL, else none
 * (unlimited).
 */
final class LicenseOptions {
  @Option(
      names = "--license-url",
      paramLabel = "URL",
      description =
          "License server (default: $OPENAVATHAR_LICENSE_URL; without one the CLI runs unlimited).")
  URI licenseUrl;

  Optional<URI> url() {
    if (licenseUrl != null) {
      return Optional.of(licenseUrl);
    }
    String env = System.getenv("OPENAVATHAR_LICENSE_URL");
    return env == null || env.isBlank() ? Optional.empty() : Optional.of(URI.create(env.trim()));
  }

  /**
   * The HTTP client for this device, remembering its offline state under {@code dataDir/license}.
   */
  LicenseClient client(Path dataDir) {
    return url()
        .<LicenseClient>map(
            u ->
                HttpLicenseClient.builder()
                    .baseUrl(u)
                    .stateDirectory(dataDir.resolve("license"))
                    .build())
        .orElse(LicenseClient.unlimited());
  }
}
