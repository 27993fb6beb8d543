package io.openavathar.pod;

/**
 * A pod's lifecycle state. Provider values this SDK does not know map to {@link #UNKNOWN}; {@link
 * Pod#rawStatus()} keeps the original text.
 */
public enum PodStatus {
  /** Created; the provider is finding a machine and pulling the image. */
  PROVISIONING,
  /** The container is starting. */
  STARTING,
  /** The container runs (ComfyUI may still be loading: the SDK probes it before use). */
  RUNNING,
  /** Stopped: no GPU billing, the disk is kept; it can be started again. */
  EXITED,
  /** The provider reports the pod failed. */
  ERROR,
  /** Deleted for good. */
  TERMINATED,
  /** A status this SDK does not know; {@link Pod#rawStatus()} has the text. */
  UNKNOWN;

  /**
   * Maps a provider's status text (any case) to a constant, or {@link #UNKNOWN}.
   *
   * @param value the provider's text, may be null
   * @return the constant, never null
   */
  public static PodStatus fromWire(String value) {
    if (value == null) {
      return UNKNOWN;
    }
    for (PodStatus s : values()) {
      if (s.name().equalsIgnoreCase(value.trim())) {
        return s;
      }
    }
    return UNKNOWN;
  }
}
