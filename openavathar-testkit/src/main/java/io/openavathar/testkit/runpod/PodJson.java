package io.openavathar.testkit.runpod;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Renders a pod as REST v2's {@code Pod} object, every required field present, in the spec
 * example's order.
 */
final class PodJson {

  private PodJson() {}

  /** Renders {@code pod} as it reads at {@code now}. Call under the {@link Pods} lock. */
  static ObjectNode render(PodState pod, Instant now) {
    PodState.Spec spec = pod.spec;
    ObjectNode json = Json.object();
    json.put("id", pod.id);
    json.put("name", spec.name());
    json.put("image", spec.image());
    json.put("args", spec.args());
    json.put("disk", spec.disk());
    ArrayNode ports = json.putArray("ports");
    spec.ports().forEach(ports::add);
    ObjectNode env = json.putObject("env");
    spec.env().forEach(env::put);
    if (spec.registry() == null) {
      json.putNull("registry");
    } else {
      json.put("registry", spec.registry());
    }
    json.put("status", pod.status);
    ArrayNode actions = json.putArray("actions");
    pod.actions().forEach(actions::add);
    json.set("mounts", spec.mounts() == null ? Json.object() : spec.mounts().deepCopy());
    ObjectNode gpu = json.putObject("gpu");
    gpu.put("id", spec.gpuTypeId());
    gpu.put("count", spec.gpuCount());
    json.put("cloud", spec.cloud());
    json.put("dataCenterId", spec.dataCenterId());
    json.put("cudaVersion", RunPodSettings.HOST_CUDA);
    json.set("ssh", ssh(pod));
    json.putNull("template");
    json.put("cost", pod.cost());
    json.put("locked", false);
    json.putObject("globalNetworking").put("enabled", false);
    if (pod.runtimeUp()) {
      json.set("runtime", runtime(pod, now));
    } else {
      json.putNull("runtime");
    }
    json.put("createdAt", timestamp(pod.createdAt));
    if (pod.startedAt == null) {
      json.putNull("startedAt");
    } else {
      json.put("startedAt", timestamp(pod.startedAt));
    }
    return json;
  }

  private static ObjectNode ssh(PodState pod) {
    ObjectNode ssh = Json.object();
    String user = pod.id + "-" + pod.sshToken;
    ObjectNode proxy = ssh.putObject("proxy");
    proxy.put("host", "ssh.runpod.io");
    proxy.put("port", 22);
    proxy.put("username", user);
    proxy.put("command", "ssh " + user + "@ssh.runpod.io");
    Integer directPort = pod.runtimeUp() ? pod.publicTcpPorts.get(22) : null;
    if (directPort == null) {
      ssh.putNull("direct");
    } else {
      ObjectNode direct = ssh.putObject("direct");
      direct.put("host", pod.publicIp);
      direct.put("port", directPort);
      direct.put("username", "root");
      direct.put("command", "ssh root@" + pod.publicIp + " -p " + directPort);
    }
    return ssh;
  }

  private static ObjectNode runtime(PodState pod, Instant now) {
    ObjectNode runtime = Json.object();
    runtime.put("uptime", Math.max(0, Duration.between(pod.containerUpAt, now).toSeconds()));
    ArrayNode gpus = runtime.putArray("gpus");
    for (int i = 0; i < pod.spec.gpuCount(); i++) {
      ObjectNode gpu = gpus.addObject();
      gpu.put("util", 0);
      gpu.put("memoryUtil", pod.comfyReady ? 2 : 0);
    }
    runtime.putObject("cpu").put("util", 1);
    runtime.putObject("memory").put("util", 3);
    ArrayNode ports = runtime.putArray("ports");
    for (int port : pod.httpPorts()) {
      ObjectNode entry = ports.addObject();
      entry.put("private", port);
      entry.put("public", port);
      entry.put("type", "http");
      entry.put("ip", pod.internalIp);
    }
    for (Map.Entry<Integer, Integer> mapping : pod.publicTcpPorts.entrySet()) {
      ObjectNode entry = ports.addObject();
      entry.put("private", mapping.getKey());
      entry.put("public", mapping.getValue());
      entry.put("type", "tcp");
      entry.put("ip", pod.publicIp);
    }
    return runtime;
  }

  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
