package io.openavathar.license.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.openavathar.OpenAvatharException;
import io.openavathar.internal.Retries;
import io.openavathar.license.LicenseStatus;
import io.openavathar.testkit.internal.Fuzz;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever the remembered Pro status file holds (it lives on the user's disk and may be cut, edited
 * or corrupt), a check while the server is unreachable answers Pro from it or fails with an {@link
 * OpenAvatharException}.
 */
class ProStatusStorePropertyTest {
  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final JsonNode SEEN =
      Fuzz.json(
          "{\"proSeenAt\": \"2026-11-24T20:05:17Z\", \"licenseKey\": \"" + Stubs.MASKED + "\"}");
  private static final String[] INSTANTS = {
    "2026-11-24T20:05:17Z",
    "+1000000000-12-31T23:59:59.999999999Z",
    "-1000000000-01-01T00:00:00Z",
    "2026-11-25T20:05:17Z",
    "9999-12-31T23:59:59Z",
    "2026-13-01T00:00:00Z"
  };

  @TempDir Path state;
  private HttpLicenseClient client;

  @BeforeEach
  void unreachable() {
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
    client = Stubs.client(wm.baseUrl(), state, Stubs.NOW).maxAttempts(1).build();
  }

  @Test
  void anyRememberedStatusIsUsedOrIgnored() {
    Path file = new ProStatusStore(state, DeviceFingerprint.of(Stubs.FP)).file();
    Fuzz.forAll(
        300,
        ProStatusStorePropertyTest::content,
        content -> {
          Files.write(file, content.getBytes(StandardCharsets.UTF_8));
          try {
            LicenseStatus status = client.check().get(10, TimeUnit.SECONDS);
            assertThat(status.pro()).isTrue();
          } catch (ExecutionException e) {
            assertThat(Retries.unwrap(e)).isInstanceOf(OpenAvatharException.class);
          }
        });
  }

  /**
   * Found by the property above: Instant.MAX plus the offline grace overflowed, and the check
   * failed with a bare DateTimeException. (A time after now counts as within the grace, as it did
   * before.)
   */
  @Test
  void aStatusSeenAtTheEndOfTimeDoesNotBreakTheCheck() throws Exception {
    Path file = new ProStatusStore(state, DeviceFingerprint.of(Stubs.FP)).file();
    Files.writeString(file, "{\"proSeenAt\": \"+1000000000-12-31T23:59:59.999999999Z\"}");

    assertThat(client.check().get(10, TimeUnit.SECONDS).pro()).isTrue();
  }

  private static String content(Random random) {
    JsonNode seen = SEEN.deepCopy();
    if (random.nextBoolean()) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) seen)
          .put("proSeenAt", INSTANTS[random.nextInt(INSTANTS.length)]);
    }
    return random.nextInt(3) == 0 ? Fuzz.jsonText(random, seen) : Fuzz.write(seen);
  }
}
