package io.openavathar;

import io.openavathar.testkit.internal.ApiBaseline;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The public API of openavathar-core is the one in {@code api/public-api.txt}: a change to it is a
 * reviewed edit there.
 */
class PublicApiTest {
  @Test
  void publicApiMatchesTheBaseline() {
    ApiBaseline.assertMatches(
        AvatarStudio.class, Path.of("api/public-api.txt"), "openavathar-core");
  }
}
