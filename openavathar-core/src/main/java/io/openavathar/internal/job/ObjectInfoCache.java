package io.openavathar.internal.job;

import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.comfy.ObjectInfo;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each server's {@code /object_info}, asked once per studio (the answer can be several MB) and
 * shared by the jobs that run there, concurrent ones included. A failed fetch is not kept, so the
 * next job asks again; {@link #refresh} drops an answer that turned out stale (the server refused a
 * workflow the answer said it could run).
 */
final class ObjectInfoCache {
  private final Map<String, CompletableFuture<ObjectInfo>> byServer = new ConcurrentHashMap<>();

  /** The server's object info, fetched on first use. */
  CompletableFuture<ObjectInfo> get(ComfyUiClient client) {
    String key = client.baseUrl().toString();
    CompletableFuture<ObjectInfo> info = byServer.computeIfAbsent(key, k -> client.objectInfo());
    info.whenComplete(
        (v, e) -> {
          if (e != null) {
            byServer.remove(key, info);
          }
        });
    return info;
  }

  /**
   * Fetches the server's object info again (once for concurrent callers that hold the same stale
   * answer).
   */
  CompletableFuture<ObjectInfo> refresh(ComfyUiClient client, CompletableFuture<ObjectInfo> stale) {
    byServer.remove(client.baseUrl().toString(), stale);
    return get(client);
  }
}
