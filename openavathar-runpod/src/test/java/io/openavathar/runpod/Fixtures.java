package io.openavathar.runpod;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.internal.Json;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Providers with tiny backoffs against a stub server, RunPod-shaped JSON, and waiting on futures.
 */
final class Fixtures {
  /** Looks like a real key; no test may ever find it in a message, a log line or a toString. */
  static final String KEY = "rpa_SECRETKEY4TESTS0123456789ABCDEFGHIJ";

  static final String CAPACITY_DETAIL =
      "There are no longer any instances available with the requested specifications. Please refresh and try again.";

  private Fixtures() {}

  /**
   * A provider of {@code baseUrl + "/v2"} with 1-2 ms backoffs, {@code maxAttempts} attempts and a
   * short timeout.
   */
  static RunPodPodProvider.Builder fast(String baseUrl, int maxAttempts) {
    return RunPodPodProvider.builder()
        .apiKey(KEY)
        .apiUrl(URI.create(baseUrl + "/v2"))
        .maxAttempts(maxAttempts)
        .initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(2))
        .readTimeout(Duration.ofSeconds(5));
  }

  /** A pod as REST v2 returns it. */
  static ObjectNode pod(String id, String name, String status) {
    ObjectNode p = Json.mapper().createObjectNode();
    p.put("id", id);
    p.put("name", name);
    p.put("image", "openavathar/infinitetalk:latest");
    p.put("args", "");
    p.put("disk", 40);
    p.putArray("ports").add("8188/http").add("22/tcp");
    p.putObject("env").put("OPENAVATHAR_MANAGED", "1");
    p.putNull("registry");
    p.put("status", status);
    p.putArray("actions").add("stop").add("terminate");
    p.putObject("mounts");
    p.putObject("gpu").put("id", "NVIDIA GeForce RTX 4090").put("count", 1);
    p.put("cloud", "COMMUNITY");
    p.put("dataCenterId", "EU-RO-1");
    p.put("cudaVersion", "12.8");
    p.putObject("ssh");
    p.putNull("template");
    p.put("cost", 0.34);
    p.put("locked", false);
    p.putObject("globalNetworking").put("enabled", false);
    p.putNull("runtime");
    p.put("createdAt", "2026-11-25T10:00:00Z");
    p.putNull("startedAt");
    return p;
  }

  /** {@code pod} with a runtime mapping these private ports. */
  static ObjectNode withRuntime(ObjectNode pod, int... privatePorts) {
    ObjectNode runtime = pod.putObject("runtime");
    runtime.put("uptime", 60);
    ArrayNode ports = runtime.putArray("ports");
    for (int port : privatePorts) {
      ports
          .addObject()
          .put("private", port)
          .put("public", 40000 + port)
          .put("type", "http")
          .put("ip", "10.0.0.1");
    }
    return pod;
  }

  /** {@code {"pods": [...]}}. */
  static String podList(ObjectNode... pods) {
    ObjectNode envelope = Json.mapper().createObjectNode();
    ArrayNode list = envelope.putArray("pods");
    for (ObjectNode p : pods) {
      list.add(p);
    }
    return envelope.toString();
  }

  /** A problem+json body. */
  static String problem(int status, String title, String detail, String... errors) {
    ObjectNode p = Json.mapper().createObjectNode();
    p.put("title", title);
    p.put("status", status);
    p.put("detail", detail);
    if (errors.length > 0) {
      ArrayNode e = p.putArray("errors");
      for (String s : errors) {
        e.add(s);
      }
    }
    return p.toString();
  }

  static Map<String, String> problemHeaders() {
    return Map.of("Content-Type", "application/problem+json");
  }

  /** The failure the future completed with, as seen by {@code handle} (waits at most 10 s). */
  static Throwable failureOf(CompletableFuture<?> future) {
    try {
      Throwable t = future.handle((v, e) -> e).get(10, TimeUnit.SECONDS);
      if (t == null) {
        throw new AssertionError("the future succeeded but a failure was expected");
      }
      return t;
    } catch (InterruptedException
        | java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the future did not complete in 10 s", e);
    }
  }

  /** The value of the future (waits at most 10 s). */
  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the future failed or did not complete in 10 s", e);
    }
  }
}
