package io.openavathar;

import java.util.List;

/**
 * The pod a request or a call names is not known to the pod provider (never created, or
 * terminated). An {@link InvalidInputException}: pick one of {@link #knownPods()} or let the studio
 * choose a pod.
 */
public class PodNotFoundException extends InvalidInputException {
  private static final long serialVersionUID = 1L;
  private final String podId;
  private final List<String> knownPods;

  public PodNotFoundException(String podId, String providerName, List<String> knownPods) {
    super(
        "No pod '"
            + podId
            + "' in the "
            + providerName
            + " provider; known pods: "
            + knownPods
            + ". Pick one of them or leave targetPod unset.");
    this.podId = podId;
    this.knownPods = List.copyOf(knownPods);
  }

  /** The id that was asked for. */
  public String podId() {
    return podId;
  }

  /** The ids of the pods the provider listed when the pod was looked for. */
  public List<String> knownPods() {
    return knownPods;
  }
}
