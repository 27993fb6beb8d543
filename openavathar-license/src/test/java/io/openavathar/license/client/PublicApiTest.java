package io.openavathar.license.client;

import io.openavathar.testkit.internal.ApiBaseline;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The public API of openavathar-license is the one in {@code api/public-api.txt}: a change to it is
 * a reviewed edit there.
 */
class PublicApiTest {
  @Test
  void publicApiMatchesTheBaseline() {
    ApiBaseline.assertMatches(
        HttpLicenseClient.class, Path.of("api/public-api.txt"), "openavathar-license");
  }
}
