package io.openavathar.license.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the operating system's stable machine id: {@code /etc/machine-id} (or {@code
 * /var/lib/dbus/machine-id}) on Linux, {@code IOPlatformUUID} from {@code ioreg} on macOS, {@code
 * MachineGuid} from the registry on Windows. Blocks for up to a few seconds when it has to run a
 * command.
 */
final class MachineIdentity {
  private static final Logger LOG = LoggerFactory.getLogger(MachineIdentity.class);
  private static final long COMMAND_TIMEOUT_SECONDS = 5;
  private static final Pattern MAC_UUID =
      Pattern.compile("\"IOPlatformUUID\"\\s*=\\s*\"([^\"]+)\"");
  private static final Pattern WINDOWS_GUID = Pattern.compile("MachineGuid\\s+REG_SZ\\s+(\\S+)");

  private MachineIdentity() {}

  /** The machine id of this host, if the OS offers one. */
  static Optional<String> system() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.contains("mac") || os.contains("darwin")) {
      return command(List.of("ioreg", "-rd1", "-c", "IOPlatformExpertDevice"))
          .flatMap(MachineIdentity::macUuid);
    } else if (os.contains("win")) {
      return command(
              List.of(
                  "reg", "query", "HKLM\\SOFTWARE\\Microsoft\\Cryptography", "/v", "MachineGuid"))
          .flatMap(MachineIdentity::windowsGuid);
    }
    return firstFile(Path.of("/etc/machine-id"), Path.of("/var/lib/dbus/machine-id"));
  }

  /** The first of {@code files} that exists and is not blank, trimmed. */
  static Optional<String> firstFile(Path... files) {
    for (Path file : files) {
      try {
        if (Files.isReadable(file)) {
          String id = Files.readString(file, StandardCharsets.UTF_8).trim();
          if (!id.isEmpty()) {
            return Optional.of(id);
          }
        }
      } catch (IOException e) {
        LOG.debug("Cannot read the machine id from {}: {}", file, e.toString());
      }
    }
    return Optional.empty();
  }

  /** The {@code IOPlatformUUID} in {@code ioreg} output. */
  static Optional<String> macUuid(String ioregOutput) {
    Matcher m = MAC_UUID.matcher(ioregOutput);
    return m.find() ? Optional.of(m.group(1).trim()) : Optional.empty();
  }

  /** The {@code MachineGuid} in {@code reg query} output. */
  static Optional<String> windowsGuid(String regOutput) {
    Matcher m = WINDOWS_GUID.matcher(regOutput);
    return m.find() ? Optional.of(m.group(1).trim()) : Optional.empty();
  }

  private static Optional<String> command(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        LOG.debug("{} did not finish in {} s", command.get(0), COMMAND_TIMEOUT_SECONDS);
        return Optional.empty();
      }
      return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
    } catch (IOException e) {
      LOG.debug("Cannot run {}: {}", command.get(0), e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
