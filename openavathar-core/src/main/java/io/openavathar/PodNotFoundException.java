package io.openavathar;

import java.util.List;

/**
 * The pod a request or a call names is not known to the pod provider (never created, or
 * terminated). An {@link InvalidInputException}: pick one of {@link #knownPods()} or let the studio
 * choose a pod.
 */
public class PodNotFoundException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /** The id that was asked for. */
  private final String podId;

  /** The ids of the pods the provider listed. */
  private final List<String> knownPods;

  /**
   * A pod id that the provider does not list.
   *
   * @param podId the id that was asked for
   * @param providerName the provider's name, for the message
   * @param knownPods the ids the provider listed
   */
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

  /**
   * The id that was asked for.
   *
   * @return the pod id
   */
  public String podId() {
    return podId;
  }

  /**
   * The ids of the pods the provider listed when the pod was looked for.
   *
   * @return the pod ids, immutable
   */
  public List<String> knownPods() {
    return knownPods;
  }
}
