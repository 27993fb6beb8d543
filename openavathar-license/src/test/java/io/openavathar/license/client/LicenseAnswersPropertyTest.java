package io.openavathar.license.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.openavathar.OpenAvatharException;
import io.openavathar.license.LicenseKey;
import io.openavathar.license.LicenseStatus;
import io.openavathar.testkit.internal.Fuzz;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever the license server answers, with any status and any body, each call of the client
 * completes or fails with an {@link OpenAvatharException}; no message and no status carries the
 * full license key.
 */
class LicenseAnswersPropertyTest {
  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final List<JsonNode> TEMPLATES =
      List.of(
          Fuzz.json(Stubs.CHECK_PRO),
          Fuzz.json(Stubs.CHECK_FREE),
          Fuzz.json(Stubs.VALIDATE_200),
          Fuzz.json(Stubs.VALIDATE_404),
          Fuzz.json(Stubs.ACTIVATED),
          Fuzz.json(Stubs.ACTIVATE_403),
          Fuzz.json("{\"success\": true, \"count\": 3}"),
          Fuzz.json(Stubs.MISSING_FP));
  private static final int[] STATUSES = {
    200, 200, 200, 201, 204, 400, 403, 404, 405, 409, 429, 500, 503
  };
  private static final LicenseKey KEY = LicenseKey.parse(Stubs.KEY);

  @TempDir Path state;

  @Test
  void anyAnswerCompletesOrFailsWithAnSdkExceptionThatHidesTheKey() {
    HttpLicenseClient client = Stubs.client(wm.baseUrl(), state, Stubs.NOW).build();
    Fuzz.forAll(
        120,
        LicenseAnswersPropertyTest::answer,
        answer -> {
          wm.resetAll();
          wm.stubFor(any(anyUrl()).willReturn(answer.toStub()));
          LicenseStatus status = completesOrFailsTyped(client.check());
          if (status != null) {
            assertThat(status.toString()).doesNotContain(Stubs.KEY);
          }
          completesOrFailsTyped(client.activate(KEY));
          completesOrFailsTyped(client.validate(KEY));
          completesOrFailsTyped(client.deactivate(KEY));
          completesOrFailsTyped(client.track());
        });
  }

  @Test
  void anyResetsInIsReadOrIgnored() {
    Fuzz.forAll(
        500,
        LicenseAnswersPropertyTest::resetsIn,
        text -> {
          JsonNode check = Fuzz.json(Stubs.CHECK_FREE);
          ((com.fasterxml.jackson.databind.node.ObjectNode) check).put("resetsIn", text);
          assertThat(HttpLicenseClient.status(check).resetsIn().isNegative()).isFalse();
        });
  }

  /**
   * Found by the property above: the hours overflowed a long (NumberFormatException) or a Duration.
   */
  @Test
  void resetsInTooLargeToHoldIsUnreadable() {
    assertThat(HttpLicenseClient.resetsIn("99999999999999999h 89686m")).isZero();
    assertThat(HttpLicenseClient.resetsIn("99999999999999999999h")).isZero();
    assertThat(HttpLicenseClient.resetsIn("14h 23m")).hasMinutes(14 * 60 + 23);
  }

  /** Hours and minutes of any length, or odd text. */
  private static String resetsIn(Random random) {
    if (random.nextInt(4) == 0) {
      return Fuzz.text(random);
    }
    String hours = "9".repeat(1 + random.nextInt(25));
    String minutes = Integer.toString(random.nextInt(100_000));
    return switch (random.nextInt(3)) {
      case 0 -> hours + "h";
      case 1 -> minutes + "m";
      default -> hours + "h " + minutes + "m";
    };
  }

  /**
   * A status, a body (mostly a mutated answer of the original deployment), two optional headers.
   */
  private record Answer(int status, String body, boolean json, String retryAfter) {
    ResponseDefinitionBuilder toStub() {
      ResponseDefinitionBuilder stub = aResponse().withStatus(status).withBody(body);
      if (json) {
        stub.withHeader("Content-Type", "application/json");
      }
      if (retryAfter != null) {
        stub.withHeader("Retry-After", retryAfter);
      }
      return stub;
    }
  }

  private static Answer answer(Random random) {
    // No 1xx: OkHttp reads past an informational answer and waits for the final one, until its read
    // timeout.
    int status =
        random.nextInt(10) == 0
            ? 200 + random.nextInt(400)
            : STATUSES[random.nextInt(STATUSES.length)];
    String body = Fuzz.jsonText(random, TEMPLATES.get(random.nextInt(TEMPLATES.size())));
    if (random.nextInt(5) == 0) {
      body = body.replaceFirst("\":\"", "\":\"" + Stubs.KEY + " ");
    }
    String retryAfter =
        random.nextInt(4) != 0
            ? null
            : random.nextBoolean() ? "0" : Fuzz.text(random).replaceAll("[^\\x20-\\x7e]", "");
    return new Answer(status, body, random.nextBoolean(), retryAfter);
  }

  /** The value, or null if the call failed with an SDK exception whose message hides the key. */
  private static <T> T completesOrFailsTyped(CompletableFuture<T> call) throws Exception {
    try {
      return call.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause =
          e.getCause() instanceof CompletionException c && c.getCause() != null
              ? c.getCause()
              : e.getCause();
      if (!(cause instanceof OpenAvatharException)) {
        throw new AssertionError("failed with " + cause, cause);
      }
      assertThat(cause.getMessage()).doesNotContain(Stubs.KEY);
      return null;
    }
  }
}
