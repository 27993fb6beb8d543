package io.openavathar.internal.pod;

import io.openavathar.pod.Pod;
import io.openavathar.store.PodBoot;
import io.openavathar.store.StudioStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long pods take to boot, measured by the pod manager's clock from the deploy or start request
 * to ComfyUI first answering, and recorded in the store (per GPU type, for cost estimates). Only
 * boots this manager requested are measured; a pod that never becomes ready is forgotten when it is
 * stopped or terminated. Thread-safe.
 */
final class BootTimes {
  private static final Logger log = LoggerFactory.getLogger(BootTimes.class);

  private record Requested(PodBoot.Kind kind, Instant at) {}

  private final StudioStore store;
  private final Clock clock;
  private final Map<String, Requested> requested = new ConcurrentHashMap<>();

  /** {@code store} may be null: nothing is recorded then. */
  BootTimes(StudioStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** The pod was deployed or started by a request made {@code at}. */
  void requested(String podId, PodBoot.Kind kind, Instant at) {
    if (store != null) {
      requested.put(podId, new Requested(kind, at));
    }
  }

  /** The pod serves ComfyUI now: records its boot if this manager requested it (once). */
  void ready(Pod pod) {
    Requested r = requested.remove(pod.id());
    if (r == null) {
      return;
    }
    PodBoot boot =
        new PodBoot(pod.id(), pod.gpuType().orElse(""), r.kind(), r.at(), clock.instant());
    try {
      store.podBooted(boot);
      log.debug(
          "Pod {} ({}) served ComfyUI {} s after its {} request",
          pod.id(),
          boot.gpuType(),
          boot.bootTime().toMillis() / 1000.0,
          r.kind());
    } catch (RuntimeException e) {
      log.warn("Could not record the boot time of pod {}: {}", pod.id(), e.toString());
    }
  }

  /** The pod left service before it became ready (or after): nothing to measure. */
  void forget(String podId) {
    requested.remove(podId);
  }
}
