package io.openavathar.pod;

import io.openavathar.PodProvisioningException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The SPI for "where ComfyUI runs": a source of pods. {@link StaticPodProvider} serves fixed URLs;
 * the {@code openavathar-runpod} module rents GPU pods on the user's RunPod account.
 *
 * <p>Only {@link #name()} and {@link #listPods()} are required; lifecycle operations default to
 * failing with a {@link PodProvisioningException} that says the provider cannot do them, and {@link
 * #canManagePods()} tells the studio whether to try. Implementations are thread-safe, never block
 * the calling thread, and fail futures with {@link io.openavathar.OpenAvatharException} subclasses.
 * The studio decides readiness itself (it probes ComfyUI); a provider only reports what it knows.
 */
public interface PodProvider {

  /**
   * A short name for messages and logs, for example {@code "static"} or {@code "runpod"}.
   *
   * @return the provider's name
   */
  String name();

  /**
   * Every pod this provider can see (terminated pods may be left out).
   *
   * @return completes with the pods
   */
  CompletableFuture<List<Pod>> listPods();

  /**
   * One pod by id, or empty if the provider does not know it.
   *
   * @param podId the pod's id
   * @return completes with the pod, or empty
   */
  default CompletableFuture<Optional<Pod>> getPod(String podId) {
    return listPods()
        .thenApply(pods -> pods.stream().filter(p -> p.id().equals(podId)).findFirst());
  }

  /**
   * Whether this provider can deploy, start, stop and terminate pods.
   *
   * @return true if the pod life-cycle methods are supported
   */
  default boolean canManagePods() {
    return false;
  }

  /**
   * Deploys a new pod, trying the spec's GPU types and clouds in order; the returned pod says which
   * were used. Never creates two pods for one call, even when the answer to the create request is
   * lost.
   *
   * @param spec what to deploy
   * @return completes with the new pod, usually not ready yet
   */
  default CompletableFuture<Pod> deploy(PodSpec spec) {
    return unsupported("deploy pods");
  }

  /**
   * Like {@link #deploy(PodSpec)}, first telling {@code beforeCreate} the unique name the pod will
   * have, before any create request is sent, so that the caller can record it durably: after a
   * crash during the create the pod can be found by that name. If {@code beforeCreate} throws,
   * nothing is created and the deploy fails with its exception. The default ignores {@code
   * beforeCreate} (a provider that does not name pods uniquely).
   *
   * @param spec what to deploy
   * @param beforeCreate told the pod's name before the create request
   * @return completes with the new pod, usually not ready yet
   */
  default CompletableFuture<Pod> deploy(
      PodSpec spec, java.util.function.Consumer<String> beforeCreate) {
    return deploy(spec);
  }

  /**
   * Starts (resumes) a stopped pod.
   *
   * @param podId the pod's id
   * @return completes with the pod, usually not ready yet
   */
  default CompletableFuture<Pod> start(String podId) {
    return unsupported("start pods");
  }

  /**
   * Stops a pod: the GPU is released, the volume kept (and billed).
   *
   * @param podId the pod's id
   * @return completes with the pod
   */
  default CompletableFuture<Pod> stop(String podId) {
    return unsupported("stop pods");
  }

  /**
   * Terminates a pod: everything not on a network volume is deleted.
   *
   * @param podId the pod's id
   * @return completes when the provider accepted the termination
   */
  default CompletableFuture<Void> terminate(String podId) {
    return unsupported("terminate pods");
  }

  /**
   * GPU types with prices and availability.
   *
   * @return completes with the GPU types
   */
  default CompletableFuture<List<GpuType>> gpuTypes() {
    return unsupported("list GPU types");
  }

  /**
   * GPU types with prices and the availability in {@code cloud}. The default answers {@link
   * #gpuTypes()}, for providers whose catalog does not tell clouds apart.
   *
   * @param cloud the cloud whose availability to report
   * @return completes with the GPU types
   */
  default CompletableFuture<List<GpuType>> gpuTypes(CloudType cloud) {
    return gpuTypes();
  }

  /**
   * The GPU types and clouds {@link #deploy(PodSpec)} would try for {@code spec}, in that order,
   * with their prices for the whole pod (see {@link GpuSelection}). The default, for providers
   * without a catalog, is the spec's explicit GPU list in each of its clouds, without prices; a
   * spec that chooses GPUs by need fails with a {@link PodProvisioningException} that asks for an
   * explicit list.
   *
   * @param spec the spec to select for
   * @return completes with the offers, in the order a deploy tries them
   */
  default CompletableFuture<List<GpuOffer>> offers(PodSpec spec) {
    if (spec.choosesGpusByNeed()) {
      return CompletableFuture.failedFuture(
          new PodProvisioningException(
              "The "
                  + name()
                  + " pod provider has no GPU catalog to choose GPUs by need: name them with ",
              io.openavathar.Setting.GPU,
              ".",
              false,
              true));
    }
    return CompletableFuture.completedFuture(GpuSelection.withoutCatalog(spec).offers());
  }

  /**
   * The account's network volumes.
   *
   * @return completes with the volumes; by default fails with a {@link PodProvisioningException}
   */
  default CompletableFuture<List<NetworkVolume>> networkVolumes() {
    return unsupported("list network volumes");
  }

  /**
   * Streams a pod's log lines until closed, resuming after drops.
   *
   * @param podId the pod's id
   * @param follow true to keep streaming new lines (the end of the provider's stream counts as a
   *     drop), false to end when the provider ends the stream
   * @param listener hears the lines and the stream's changes
   * @return the stream; close it to stop
   */
  default PodLogStream streamLogs(String podId, boolean follow, PodLogListener listener) {
    listener.onClosed(
        new PodProvisioningException(
            "The " + name() + " pod provider has no pod logs.", false, false));
    return () -> {};
  }

  private <T> CompletableFuture<T> unsupported(String what) {
    return CompletableFuture.failedFuture(
        new PodProvisioningException(
            "The "
                + name()
                + " pod provider cannot "
                + what
                + ". Use a provider that manages pods, such as "
                + "RunPodPodProvider from openavathar-runpod.",
            false,
            true));
  }
}
