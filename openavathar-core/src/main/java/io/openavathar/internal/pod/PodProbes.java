package io.openavathar.internal.pod;

import io.openavathar.RemoteUnavailableException;
import io.openavathar.Setting;
import io.openavathar.comfy.SystemStats;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodProvider;
import io.openavathar.pod.PodSpec;
import io.openavathar.pod.PodStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which pods serve ComfyUI now, for placement: what the provider says of a pod, and whether its
 * ComfyUI answers {@code /system_stats}; why each pod last failed to answer is kept for messages.
 * Thread-safe.
 */
final class PodProbes {
  private static final Logger log = LoggerFactory.getLogger(PodProbes.class);

  private final PodProvider provider;
  private final PodConnections connections;

  /** Why each pod last failed its ComfyUI probe, for messages. */
  private final Map<String, String> probeFailures = new ConcurrentHashMap<>();

  PodProbes(PodProvider provider, PodConnections connections) {
    this.provider = provider;
    this.connections = connections;
  }

  /** Once every one of {@code futures} completes: the values present, in order. */
  static <T> CompletableFuture<List<T>> present(List<CompletableFuture<Optional<T>>> futures) {
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> futures.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
  }

  /** Whether the pod could serve ComfyUI at all: it has a ComfyUI URL and is not terminated. */
  boolean isComfyPod(Pod p) {
    return p.comfyUiUrl().isPresent() && p.status() != PodStatus.TERMINATED;
  }

  /**
   * Whether the provider reports the pod RUNNING (with ComfyUI's port mapped, for a provider that
   * rents pods), so that its ComfyUI is worth probing.
   */
  boolean providerSaysUp(Pod p) {
    return p.status() == PodStatus.RUNNING
        && (!provider.canManagePods() || p.isServing(PodSpec.COMFYUI_PORT));
  }

  /** The pod, if its ComfyUI answers. */
  CompletableFuture<Optional<Pod>> ready(Pod pod) {
    return stats(pod).thenApply(answer -> answer.map(stats -> pod));
  }

  /**
   * What the pod's ComfyUI says of itself; empty (and why kept for messages) if it does not answer.
   */
  CompletableFuture<Optional<SystemStats>> stats(Pod pod) {
    return connections
        .client(pod)
        .probe()
        .handle(
            (stats, e) -> {
              if (e != null) {
                log.debug("Pod {} does not serve ComfyUI yet: {}", pod.id(), e.toString());
                probeFailures.put(pod.id(), PodLifecycle.unwrap(e).getMessage());
                return Optional.empty();
              }
              probeFailures.remove(pod.id());
              return Optional.of(stats);
            });
  }

  /** The pods for a message: id, status, URL, and why ComfyUI last did not answer. */
  String describe(List<Pod> pods) {
    List<String> parts = new ArrayList<>();
    for (Pod p : pods) {
      String why = probeFailures.get(p.id());
      parts.add(
          p.id()
              + " "
              + p.rawStatus()
              + p.comfyUiUrl().map(u -> " at " + u).orElse("")
              + (why == null ? "" : ": " + why));
    }
    return String.join("; ", parts);
  }

  /** That no ComfyUI server of {@code pods} answers, naming them and why. */
  RemoteUnavailableException noServerReady(List<Pod> pods) {
    return new RemoteUnavailableException(
        "No ComfyUI server is ready ("
            + (pods.isEmpty() ? "no pods" : describe(pods))
            + "). Start ComfyUI or check ",
        Setting.COMFY_URL,
        ", then try again.",
        null);
  }
}
