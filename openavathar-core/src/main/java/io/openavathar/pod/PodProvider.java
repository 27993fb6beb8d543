package io.openavathar.pod;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The SPI for "where ComfyUI runs": a source of pods. {@link StaticPodProvider} serves fixed URLs; the
 * {@code openavathar-runpod} module rents GPU pods on the user's RunPod account.
 *
 * <p>Implementations are thread-safe, never block the calling thread, and fail futures with
 * {@link io.openavathar.OpenAvatharException} subclasses. The studio decides readiness itself (it probes ComfyUI);
 * a provider only reports what it knows.
 */
public interface PodProvider {

  /** A short name for messages and logs, for example {@code "static"} or {@code "runpod"}. */
  String name();

  /** Every pod this provider can see. */
  CompletableFuture<List<Pod>> listPods();

  /** One pod by id, or empty if the provider does not know it. */
  default CompletableFuture<Optional<Pod>> getPod(String podId) {
    return listPods().thenApply(pods -> pods.stream().filter(p -> p.id().equals(podId)).findFirst());
  }
}
