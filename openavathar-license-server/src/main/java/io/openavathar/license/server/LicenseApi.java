package io.openavathar.license.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.InvalidInputException;
import io.openavathar.license.LicenseKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The license and quota endpoints' logic, independent of HTTP plumbing. Thread-safe. */
final class LicenseApi {
  private static final Logger log = LoggerFactory.getLogger(LicenseApi.class);
  static final int MAX_FINGERPRINT_LENGTH = 256;
  static final int MAX_REQUEST_ID_LENGTH = 128;

  private final LicenseStore store;
  private final Clock clock;
  private final int freeDailyLimit;

  LicenseApi(LicenseStore store, Clock clock, int freeDailyLimit) {
    this.store = store;
    this.clock = clock;
    this.freeDailyLimit = freeDailyLimit;
  }

  Reply validate(JsonNode body) {
    String text = text(body, "licenseKey");
    if (text == null) {
      return Reply.json(400, "valid", false, "error", "Missing licenseKey");
    }
    LicenseKey key = parseKey(text);
    LicenseRecord license = key == null ? null : store.findLicense(key.value()).orElse(null);
    if (license == null) {
      return Reply.json(404, "valid", false, "error", "License key not found");
    }
    if (license.revoked()) {
      return Reply.json(
          404,
          "valid",
          false,
          "error",
          "License key was refunded and is no longer valid",
          "revoked",
          true);
    }
    return Reply.json(
        200,
        "valid",
        true,
        "email",
        license.email(),
        "activationsUsed",
        store.activationCount(license.key()),
        "maxActivations",
        license.maxActivations(),
        "purchaseDate",
        license.purchaseDate().toString(),
        "test",
        license.test());
  }

  Reply activate(JsonNode body) {
    String text = text(body, "licenseKey");
    String fingerprint = fingerprint(text(body, "fingerprint"));
    if (text == null || fingerprint == null) {
      return Reply.json(400, "success", false, "error", "Missing licenseKey or fingerprint");
    }
    LicenseKey key = parseKey(text);
    if (key == null) {
      return Reply.json(404, "success", false, "error", "Invalid license key");
    }
    ActivationResult result = store.activate(key.value(), fingerprint, clock.instant());
    log.debug("Activation of {} on a device: {}", key, result);
    switch (result) {
      case ACTIVATED:
        return Reply.json(200, "success", true, "message", "License activated on this device");
      case ALREADY_ACTIVE:
        return Reply.json(200, "success", true, "message", "Already activated on this device");
      case NOT_FOUND:
        return Reply.json(404, "success", false, "error", "Invalid license key");
      case REVOKED:
        return Reply.json(
            403, "success", false, "error", "License was refunded and can no longer be activated");
      default:
        int max = store.findLicense(key.value()).map(LicenseRecord::maxActivations).orElse(0);
        return Reply.json(
            403, "success", false, "error", "License already activated on " + max + " devices");
    }
  }

  Reply deactivate(JsonNode body) {
    String text = text(body, "licenseKey");
    String fingerprint = fingerprint(text(body, "fingerprint"));
    if (text == null || fingerprint == null) {
      return Reply.json(400, "success", false, "error", "Missing licenseKey or fingerprint");
    }
    LicenseKey key = parseKey(text);
    if (key == null || !store.deactivate(key.value(), fingerprint)) {
      return Reply.json(
          404, "success", false, "error", "This device is not activated with that license key");
    }
    log.debug("Released a device from {}", key);
    return Reply.json(200, "success", true, "message", "License deactivated on this device");
  }

  /**
   * Answers a check. A Pro device's key is returned masked: the original handed the full key to
   * anyone who knew (or guessed) a device fingerprint, which is not a secret; the app already has
   * the full key from its activation, so the masked form is enough to show which license is in use.
   */
  Reply check(String rawFingerprint) {
    String fingerprint = fingerprint(rawFingerprint);
    if (fingerprint == null) {
      return Reply.json(400, "error", "Missing fingerprint");
    }
    Instant now = clock.instant();
    LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
    DeviceStatus status = store.deviceStatus(fingerprint, day);
    if (status.isPro()) {
      return Reply.json(
          200,
          "canGenerate",
          true,
          "isPro",
          true,
          "licenseKey",
          LicenseKey.parse(status.licenseKey()).masked());
    }
    int used = status.usedToday();
    return Reply.json(
        200,
        "canGenerate",
        used < freeDailyLimit,
        "isPro",
        false,
        "limit",
        freeDailyLimit,
        "used",
        used,
        "resetsIn",
        resetsIn(now, day));
  }

  /**
   * Counts a finished video. With a {@code requestId} (the SDK sends its job id) a repeat of an id
   * already counted for the device is not counted again and answers today's count with {@code
   * "repeated": true}; without one it counts every request, like the original.
   */
  Reply track(JsonNode body) {
    String fingerprint = fingerprint(text(body, "fingerprint"));
    if (fingerprint == null) {
      return Reply.json(400, "error", "Missing fingerprint");
    }
    JsonNode id = body.get("requestId");
    String requestId = null;
    if (id != null && !id.isNull()) {
      requestId = id.isTextual() ? identifier(id.asText(), MAX_REQUEST_ID_LENGTH) : null;
      if (requestId == null) {
        return Reply.json(
            400,
            "error",
            "Invalid requestId: a string of 1 to "
                + MAX_REQUEST_ID_LENGTH
                + " characters without control characters");
      }
    }
    Instant now = clock.instant();
    LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
    if (store.deviceStatus(fingerprint, day).isPro()) {
      return Reply.json(200, "success", true, "count", 0, "isPro", true);
    }
    if (requestId == null) {
      return Reply.json(200, "success", true, "count", store.incrementDaily(fingerprint, day));
    }
    TrackOutcome outcome = store.incrementDailyOnce(fingerprint, requestId, day, now);
    return outcome.counted()
        ? Reply.json(200, "success", true, "count", outcome.count())
        : Reply.json(200, "success", true, "count", outcome.count(), "repeated", true);
  }

  /** Floored hours and minutes from now to the next UTC midnight, for example {@code "3h 54m"}. */
  static String resetsIn(Instant now, LocalDate day) {
    long seconds =
        Duration.between(now, day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())
            .getSeconds();
    return (seconds / 3600) + "h " + (seconds % 3600 / 60) + "m";
  }

  private static String text(JsonNode body, String field) {
    JsonNode node = body == null ? null : body.get(field);
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      return null;
    }
    return node.asText();
  }

  /** The fingerprint if usable: present, not blank, not absurdly long, no control characters. */
  static String fingerprint(String raw) {
    return identifier(raw, MAX_FINGERPRINT_LENGTH);
  }

  /**
   * {@code raw} if usable as an identifier: present, not blank, at most {@code max} characters, no
   * control ones.
   */
  private static String identifier(String raw, int max) {
    if (raw == null || raw.isBlank() || raw.length() > max) {
      return null;
    }
    for (int i = 0; i < raw.length(); i++) {
      if (raw.charAt(i) < 0x20) {
        return null;
      }
    }
    return raw;
  }

  private static LicenseKey parseKey(String text) {
    try {
      return LicenseKey.parse(text);
    } catch (InvalidInputException e) {
      return null;
    }
  }
}
