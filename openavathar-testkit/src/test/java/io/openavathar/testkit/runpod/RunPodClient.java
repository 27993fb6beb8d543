package io.openavathar.testkit.runpod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A small OkHttp client of the simulator's REST API for tests. */
final class RunPodClient {

  static final String KEY = "test-key";
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  /** A status, body and headers. */
  record Result(int status, String body, Map<String, List<String>> headers) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String header(String name) {
      List<String> values = headers.get(name.toLowerCase());
      return values == null ? null : values.get(0);
    }
  }

  final OkHttpClient http;
  private final String api;
  private final String key;

  RunPodClient(RunPodSimulator simulator) {
    this(simulator, KEY, TIMEOUT);
  }

  RunPodClient(RunPodSimulator simulator, String key, Duration readTimeout) {
    this.api = simulator.apiUrl().toString();
    this.key = key;
    this.http =
        new OkHttpClient.Builder().readTimeout(readTimeout).retryOnConnectionFailure(false).build();
  }

  Result get(String path) {
    return call(request(path).get().build());
  }

  Result post(String path, String body) {
    return call(request(path).post(RequestBody.create(body, JSON_TYPE)).build());
  }

  Result post(String path, JsonNode body) {
    return post(path, body.toString());
  }

  Result delete(String path) {
    return call(request(path).delete().build());
  }

  Result action(String podId, String action) {
    return post("/pods/" + podId + "/action", "{\"action\":\"" + action + "\"}");
  }

  /** Creates a pod from {@code body}; fails the test unless the answer is 201. Returns the pod. */
  JsonNode create(ObjectNode body) {
    Result result = post("/pods", body);
    if (result.status() != 201) {
      throw new AssertionError("create failed: " + result);
    }
    return result.json();
  }

  /** Creates a standard ComfyUI pod and returns its id. */
  String createPod() {
    return create(podBody()).get("id").asText();
  }

  JsonNode pod(String id) {
    Result result = get("/pods/" + id);
    if (result.status() != 200) {
      throw new AssertionError("GET pod failed: " + result);
    }
    return result.json();
  }

  Request.Builder request(String path) {
    Request.Builder builder = new Request.Builder().url(api + path);
    if (key != null) {
      builder.header("Authorization", "Bearer " + key);
    }
    return builder;
  }

  Result call(Request request) {
    try (Response response = http.newCall(request).execute()) {
      return new Result(response.code(), response.body().string(), response.headers().toMultimap());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A valid create body for an RTX 4090 pod exposing ComfyUI, marked as the SDK marks its pods. */
  static ObjectNode podBody() {
    ObjectNode body = JSON.createObjectNode();
    body.put("name", "openavathar-test");
    body.put("image", "example/comfyui:latest");
    ObjectNode gpu = body.putObject("gpu");
    gpu.put("id", "NVIDIA GeForce RTX 4090");
    gpu.put("count", 1);
    body.put("cloud", "COMMUNITY");
    body.putArray("ports").add("8188/http").add("22/tcp");
    body.putObject("env").put("OPENAVATHAR_MANAGED", "1");
    return body;
  }
}
