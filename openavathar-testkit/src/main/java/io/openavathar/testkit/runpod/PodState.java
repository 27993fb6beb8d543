package io.openavathar.testkit.runpod;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.testkit.internal.SharedComfyUi;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One pod's mutable state. Guarded by the {@link Pods} lock, except {@link #log}, which is
 * thread-safe itself.
 */
final class PodState {

  static final String PROVISIONING = "PROVISIONING";
  static final String STARTING = "STARTING";
  static final String RUNNING = "RUNNING";
  static final String EXITED = "EXITED";
  static final String ERROR = "ERROR";
  static final int COMFY_PORT = 8188;

  /** What a valid create asked for, resolved against the template and the catalog. */
  record Spec(
      String name,
      String image,
      String args,
      int disk,
      List<String> ports,
      Map<String, String> env,
      String registry,
      JsonNode mounts,
      String gpuTypeId,
      int gpuCount,
      String cloud,
      String dataCenterId,
      double pricePerGpu) {}

  final String id;
  final Spec spec;
  final String sshToken;
  final String publicIp;
  final String internalIp;
  final Instant createdAt;
  final PodLog log = new PodLog();

  String status = PROVISIONING;
  int generation;
  boolean imagePulled;
  boolean comfyKilled;
  boolean containerUp;
  Instant containerUpAt;
  Instant startedAt;
  SharedComfyUi.Mounted comfy;
  boolean comfyReady;
  Instant readyAt;
  final Map<Integer, Integer> publicTcpPorts = new LinkedHashMap<>();

  PodState(
      String id,
      Spec spec,
      String sshToken,
      String publicIp,
      String internalIp,
      Instant createdAt) {
    this.id = id;
    this.spec = spec;
    this.sshToken = sshToken;
    this.publicIp = publicIp;
    this.internalIp = internalIp;
    this.createdAt = createdAt;
  }

  /** The actions legal now, as the spec lists them per status. */
  List<String> actions() {
    return switch (status) {
      case RUNNING -> List.of("stop", "restart", "terminate");
      case EXITED, ERROR -> List.of("start", "terminate");
      default -> List.of("stop", "terminate");
    };
  }

  /** USD per hour: the list price times the GPU count while the pod holds a machine, else 0. */
  double cost() {
    boolean billed =
        status.equals(PROVISIONING) || status.equals(STARTING) || status.equals(RUNNING);
    return billed ? Math.round(spec.pricePerGpu() * spec.gpuCount() * 1000) / 1000.0 : 0.0;
  }

  /** Whether {@code runtime} is reported: RUNNING with the container up. */
  boolean runtimeUp() {
    return status.equals(RUNNING) && containerUp;
  }

  /** The private ports declared with {@code /http}. */
  TreeSet<Integer> httpPorts() {
    return declaredPorts("http");
  }

  /** The private ports declared with {@code /tcp}. */
  TreeSet<Integer> tcpPorts() {
    return declaredPorts("tcp");
  }

  private TreeSet<Integer> declaredPorts(String protocol) {
    TreeSet<Integer> ports = new TreeSet<>();
    for (String port : spec.ports()) {
      int slash = port.indexOf('/');
      if (slash > 0 && port.substring(slash + 1).equals(protocol)) {
        try {
          ports.add(Integer.parseInt(port.substring(0, slash)));
        } catch (NumberFormatException e) {
          // not a port this simulator can map; the real proxy would not route it either
        }
      }
    }
    return ports;
  }

  Optional<Instant> readyAt() {
    return Optional.ofNullable(readyAt);
  }

  SimulatedPod snapshot() {
    return new SimulatedPod(
        id,
        spec.name(),
        status,
        spec.gpuTypeId(),
        spec.gpuCount(),
        spec.cloud(),
        spec.dataCenterId(),
        spec.image(),
        spec.env(),
        spec.ports(),
        createdAt,
        comfyReady);
  }
}
