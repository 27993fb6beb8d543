package io.openavathar.license.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.internal.Json;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers, per device fingerprint, the last time the license server said this device is Pro, in a
 * small JSON file {@code pro-<fingerprint prefix>.json} holding the instant and the masked key
 * (never the full key). Failures to read or write are logged at DEBUG and treated as "nothing
 * remembered": the file only ever widens an offline grace. Thread-safe (writes replace the file
 * atomically where the file system allows).
 */
final class ProStatusStore {
  private static final Logger LOG = LoggerFactory.getLogger(ProStatusStore.class);

  /** What was remembered. */
  record Seen(Instant at, Optional<String> maskedKey) {}

  private final Path file;

  ProStatusStore(Path directory, DeviceFingerprint fingerprint) {
    String v = fingerprint.value();
    String name = v.length() > 16 ? v.substring(0, 16) : v;
    this.file = directory.resolve("pro-" + name.replace(':', '_') + ".json");
  }

  Path file() {
    return file;
  }

  /** Records that the server said Pro at {@code at}. */
  synchronized void remember(Instant at, Optional<String> maskedKey) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("proSeenAt", at.toString());
    maskedKey.ifPresent(k -> node.put("licenseKey", k));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, Json.mapper().writeValueAsBytes(node));
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      LOG.debug("Cannot remember the Pro status in {}: {}", file, e.toString());
    }
  }

  /** Forgets any Pro status (the server said free, or the device was deactivated). */
  synchronized void forget() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.debug("Cannot delete {}: {}", file, e.toString());
    }
  }

  /** The last Pro status remembered, if any and readable. */
  synchronized Optional<Seen> read() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      JsonNode node = Json.mapper().readTree(Files.readAllBytes(file));
      if (node == null || !node.path("proSeenAt").isTextual()) {
        return Optional.empty();
      }
      Instant at = Instant.parse(node.path("proSeenAt").asText());
      JsonNode key = node.path("licenseKey");
      return Optional.of(
          new Seen(at, key.isTextual() ? Optional.of(key.asText()) : Optional.empty()));
    } catch (IOException | DateTimeParseException e) {
      LOG.debug("Cannot read the remembered Pro status in {}: {}", file, e.toString());
      return Optional.empty();
    }
  }
}
