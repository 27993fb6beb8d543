package io.openavathar.license.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.license.LicenseKey;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Gumroad purchase notification: checks the signature, then creates (once per sale id), or
 * revokes on refund, a license. Accepts Gumroad's form-encoded pings and the original design's
 * JSON. Answers are plain text, without CORS.
 */
final class GumroadWebhook {
  private static final Logger log = LoggerFactory.getLogger(GumroadWebhook.class);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final LicenseStore store;
  private final KeyMinter minter;
  private final Clock clock;
  private final int maxActivations;
  private final byte[] secret;
  private final GumroadVerifier verifier;

  GumroadWebhook(
      LicenseStore store,
      KeyMinter minter,
      Clock clock,
      int maxActivations,
      String secret,
      GumroadVerifier verifier) {
    this.verifier = verifier;
    this.store = store;
    this.minter = minter;
    this.clock = clock;
    this.maxActivations = maxActivations;
    this.secret =
        secret == null || secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8);
  }

  Reply handle(byte[] body, String contentType, String signature) {
    if (secret != null && !signatureMatches(body, signature)) {
      log.debug(
          "Rejected a webhook call with a {} signature", signature == null ? "missing" : "wrong");
      return Reply.text(403, "Unauthorized", false);
    }
    Map<String, String> fields;
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (type.startsWith("application/json")
        || (!type.startsWith("application/x-www-form-urlencoded")
            && body.length > 0
            && body[0] == '{')) {
      fields = json(body);
      if (fields == null) {
        return Reply.text(400, "Bad Request: the body is not valid JSON", false);
      }
    } else {
      fields = form(new String(body, StandardCharsets.UTF_8));
    }
    String saleId = first(fields, "sale_id", "purchaseId", "purchase_id");
    String email = first(fields, "email", "purchaser_email");
    if (saleId == null || email == null) {
      return Reply.text(400, "Bad Request: sale_id and email are required", false);
    }
    boolean refunded = "true".equalsIgnoreCase(fields.get("refunded"));
    if (refunded && store.revokeSale(saleId)) {
      log.debug("Revoked the license of refunded sale {}", saleId);
      return Reply.text(200, "OK", false);
    }
    if (!refunded && verifier != null) {
      String productId = first(fields, "product_id", "product_permalink");
      String gumroadKey = fields.get("license_key");
      if (productId == null || gumroadKey == null) {
        return Reply.text(
            403, "Unconfirmed: the ping has no product_id and license_key to verify", false);
      }
      try {
        if (!verifier.confirms(productId, gumroadKey)) {
          log.debug("Gumroad did not confirm sale {}; no license minted", saleId);
          return Reply.text(403, "Unconfirmed", false);
        }
      } catch (GumroadVerifier.Unreachable e) {
        log.warn(
            "Could not confirm sale {} with Gumroad; answering 503 so that Gumroad retries: {}",
            saleId,
            e.getMessage());
        return Reply.text(
            503,
            "Service Unavailable: could not confirm the sale with Gumroad, retry later",
            false);
      }
    }
    // A refund for a sale never seen is stored revoked, so a late original ping cannot mint a live
    // key.
    for (int attempt = 1; ; attempt++) {
      LicenseRecord withKey =
          new LicenseRecord(
              minter.mint(),
              email,
              saleId,
              clock.instant(),
              maxActivations,
              first(fields, "product_name", "product", "product_id"),
              cents(fields.get("price")),
              fields.get("currency"),
              "true".equalsIgnoreCase(fields.get("test")),
              refunded);
      try {
        boolean created = store.insertLicense(withKey);
        log.debug(
            "Webhook for sale {}: {}",
            saleId,
            created
                ? "license " + LicenseKey.parse(withKey.key()) + " created"
                : "already known, nothing changed");
        return Reply.text(200, "OK", false);
      } catch (LicenseStoreException e) {
        if (attempt >= 3 || store.findLicense(withKey.key()).isEmpty()) {
          throw e;
        }
        // The random key collided with an existing one: mint another.
      }
    }
  }

  /** Lowercase hex HMAC-SHA256 of the raw body, compared in constant time. */
  boolean signatureMatches(byte[] body, String signature) {
    if (signature == null) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] expected = hex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
      byte[] given = signature.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
      return MessageDigest.isEqual(expected, given);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
      out[2 * i + 1] = HEX[bytes[i] & 0xF];
    }
    return new String(out);
  }

  private static Map<String, String> json(byte[] body) {
    try {
      JsonNode node = Reply.MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        return null;
      }
      Map<String, String> fields = new HashMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (e.getValue().isValueNode()) {
          fields.put(e.getKey(), e.getValue().asText());
        }
      }
      return fields;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> fields = new HashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        fields.putIfAbsent(name, value);
      } catch (IllegalArgumentException e) {
        // A malformed %-escape: skip that field.
      }
    }
    return fields;
  }

  private static String first(Map<String, String> fields, String... names) {
    for (String n : names) {
      String v = fields.get(n);
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return null;
  }

  private static long cents(String price) {
    try {
      return price == null ? 0 : Long.parseLong(price.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
