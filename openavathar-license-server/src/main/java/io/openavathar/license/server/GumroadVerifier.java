package io.openavathar.license.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Optional second opinion on a webhook ping: asks Gumroad's license verify API ({@code POST
 * /v2/licenses/verify} with {@code product_id}, {@code license_key}, {@code
 * increment_uses_count=false}) whether the sale is real and not refunded, so that a leaked webhook
 * secret alone cannot mint keys. The JDK's HTTP client is enough here: a webhook is rare and its
 * thread may wait.
 */
final class GumroadVerifier {
  /** Gumroad could not be asked (network); the ping should be retried by Gumroad. */
  static final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final URI verifyUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  GumroadVerifier(URI baseUrl) {
    String base = baseUrl.toString().replaceAll("/+$", "");
    this.verifyUrl = URI.create(base + "/v2/licenses/verify");
  }

  /**
   * Whether Gumroad confirms a live (not refunded) purchase of {@code productId} with {@code
   * licenseKey}.
   */
  boolean confirms(String productId, String licenseKey) throws Unreachable {
    String form =
        "product_id="
            + URLEncoder.encode(productId, StandardCharsets.UTF_8)
            + "&license_key="
            + URLEncoder.encode(licenseKey, StandardCharsets.UTF_8)
            + "&increment_uses_count=false";
    HttpRequest request =
        HttpRequest.newBuilder(verifyUrl)
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new Unreachable("Gumroad's license verify API could not be reached: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("Interrupted while asking Gumroad", e);
    }
    if (response.statusCode() >= 500) {
      throw new Unreachable(
          "Gumroad's license verify API answered HTTP " + response.statusCode(), null);
    }
    try {
      JsonNode json = Reply.MAPPER.readTree(response.body());
      return json.path("success").asBoolean(false)
          && !json.path("purchase").path("refunded").asBoolean(false)
          && !json.path("purchase").path("chargebacked").asBoolean(false);
    } catch (IOException e) {
      return false; // not JSON: not a confirmation
    }
  }
}
