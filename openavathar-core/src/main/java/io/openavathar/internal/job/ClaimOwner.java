package io.openavathar.internal.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.internal.Json;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Who holds a job's claim: one studio (a random id, so two studios in one JVM differ) in one
 * process (its id and start time, so a reused pid is not mistaken for it) on one host. Kept in the
 * store's claim as JSON; a studio on the same host can then tell at once that the owner's process
 * is gone and take its jobs over, instead of waiting for the lease to run out.
 */
final class ClaimOwner {
  /** Start times read by two processes may differ by rounding; a pid is not reused that fast. */
  private static final Duration START_TOLERANCE = Duration.ofSeconds(1);

  private final String studio;
  private final String host;
  private final long pid;
  private final Instant processStart; // null if the platform does not tell

  ClaimOwner(String studio, String host, long pid, Instant processStart) {
    this.studio = Objects.requireNonNull(studio, "studio");
    this.host = Objects.requireNonNull(host, "host");
    this.pid = pid;
    this.processStart = processStart;
  }

  /** A new studio in this process. */
  static ClaimOwner newStudio() {
    ProcessHandle self = ProcessHandle.current();
    return new ClaimOwner(
        UUID.randomUUID().toString(),
        ThisHost.NAME,
        self.pid(),
        self.info().startInstant().orElse(null));
  }

  /**
   * The owner an SDK with this class wrote; empty for anything else (older SDKs wrote a bare id).
   */
  static Optional<ClaimOwner> parse(String text) {
    if (!text.startsWith("{")) {
      return Optional.empty();
    }
    try {
      JsonNode o = Json.mapper().readTree(text);
      if (!o.path("studio").isTextual()
          || !o.path("host").isTextual()
          || !o.path("pid").canConvertToLong()) {
        return Optional.empty();
      }
      Instant start =
          o.path("started").isTextual() ? Instant.parse(o.path("started").asText()) : null;
      return Optional.of(
          new ClaimOwner(
              o.path("studio").asText(), o.path("host").asText(), o.path("pid").asLong(), start));
    } catch (JsonProcessingException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** What the store keeps. */
  String text() {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("studio", studio);
    o.put("host", host);
    o.put("pid", pid);
    if (processStart != null) {
      o.put("started", processStart.toString());
    }
    return o.toString();
  }

  /** The host name, empty if it could not be found. */
  String host() {
    return host;
  }

  long pid() {
    return pid;
  }

  /**
   * Whether this owner's process ran on this host and has ended (no process has its pid, or the one
   * that has it started at another time). False for other hosts and for hosts without a name: those
   * can only be waited for.
   */
  boolean isGoneFromThisHost() {
    if (host.isEmpty() || !host.equals(ThisHost.NAME)) {
      return false;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return true;
    }
    Optional<Instant> started = process.get().info().startInstant();
    return processStart != null
        && started.isPresent()
        && Duration.between(started.get(), processStart).abs().compareTo(START_TOLERANCE) > 0;
  }

  @Override
  public String toString() {
    return "studio " + studio + " on host " + (host.isEmpty() ? "?" : host) + " (pid " + pid + ")";
  }

  /** This host's name, looked up once per JVM (it may ask DNS). */
  private static final class ThisHost {
    static final String NAME = lookUp();

    private static String lookUp() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        return "";
      }
    }
  }
}
