package io.openavathar.license.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The id by which the license server knows this device: the SHA-256 (64 lowercase hex characters)
 * of the machine's stable id and an application id, so that it is stable across restarts, differs
 * per application, and does not reveal the machine id itself. Not a secret, but there is no need to
 * show it in full: {@link #toString()} shows a prefix.
 *
 * <p>Immutable and thread-safe.
 */
public final class DeviceFingerprint {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceFingerprint.class);
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,256}");
  private static final Pattern FALLBACK_ID = Pattern.compile("[0-9a-f]{32}");

  private final String value;

  private DeviceFingerprint(String value) {
    this.value = value;
  }

  /**
   * This machine's fingerprint for {@code appId}. The machine id comes from {@code /etc/machine-id}
   * (or {@code /var/lib/dbus/machine-id}) on Linux, {@code IOPlatformUUID} ({@code ioreg}) on
   * macOS, {@code MachineGuid} (the registry) on Windows; where none is available, from a random id
   * created once in {@code ~/.openavathar/device-id}. Blocks for up to a few seconds on macOS and
   * Windows (it runs a command): call it once and keep the result.
   *
   * @param appId names the application, so that two applications on one machine get different
   *     fingerprints
   * @return the fingerprint
   * @throws UncheckedIOException if there is no machine id and the fallback file can be neither
   *     read nor created
   */
  public static DeviceFingerprint forApp(String appId) {
    return forApp(appId, MachineIdentity::system, defaultFallbackFile());
  }

  /**
   * {@link #forApp(String)} with the machine id read by {@code identity} and the fallback id kept
   * in {@code fallbackFile}: lets tests (and unusual hosts) choose the source.
   */
  static DeviceFingerprint forApp(
      String appId, Supplier<Optional<String>> identity, Path fallbackFile) {
    Objects.requireNonNull(appId, "appId");
    if (appId.isBlank()) {
      throw new IllegalArgumentException(
          "appId must not be blank: it separates the fingerprints of applications");
    }
    String machine = identity.get().map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
    if (machine == null) {
      LOG.debug("No machine id from the operating system; using the device id in {}", fallbackFile);
      machine = fallbackId(fallbackFile);
    }
    return new DeviceFingerprint(sha256Hex(machine + "|" + appId));
  }

  /**
   * A fingerprint given as is, for tests or a custom device identity: 1 to 256 characters of
   * letters, digits and {@code . _ : -}.
   *
   * @param value the fingerprint
   * @return the fingerprint
   * @throws IllegalArgumentException otherwise
   */
  public static DeviceFingerprint of(String value) {
    Objects.requireNonNull(value, "value");
    if (!SAFE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "A device fingerprint is 1 to 256 letters, digits or . _ : -, like a "
              + "SHA-256 hex string; got "
              + value.length()
              + " characters that are not.");
    }
    return new DeviceFingerprint(value);
  }

  /**
   * The fingerprint as sent to the license server.
   *
   * @return the fingerprint's text
   */
  public String value() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceFingerprint f && value.equals(f.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** A prefix of the fingerprint, for example {@code DeviceFingerprint[3f9a0c1b…]}. */
  @Override
  public String toString() {
    return "DeviceFingerprint[" + prefix(value) + "]";
  }

  static String prefix(String value) {
    return value.length() <= 8 ? value : value.substring(0, 8) + "…";
  }

  static Path defaultFallbackFile() {
    return Path.of(System.getProperty("user.home"), ".openavathar", "device-id");
  }

  /**
   * Reads the random id in {@code file}, creating it once (a concurrent creator wins and its id is
   * read back).
   */
  static String fallbackId(Path file) {
    try {
      Optional<String> existing = readId(file);
      if (existing.isPresent()) {
        return existing.get();
      }
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      byte[] random = new byte[16];
      new SecureRandom().nextBytes(random);
      String id = HexFormat.of().formatHex(random);
      try {
        Files.writeString(
            file,
            id + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        LOG.debug("Created the device id file {}", file);
        return id;
      } catch (FileAlreadyExistsException raced) {
        return readId(file)
            .orElseThrow(() -> new IOException("the file exists but holds no device id"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read or create the device id file "
              + file
              + ": "
              + e.getMessage()
              + ". Make the directory writable, or give the client another state directory or a fixed fingerprint.",
          e);
    }
  }

  private static Optional<String> readId(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String id = Files.readString(file, StandardCharsets.UTF_8).trim();
    if (!FALLBACK_ID.matcher(id).matches()) {
      throw new IOException("it does not hold a device id (32 hex characters)");
    }
    return Optional.of(id);
  }

  static String sha256Hex(String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime has SHA-256", e);
    }
  }
}
