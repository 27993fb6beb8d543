package io.openavathar.pod;

/**
 * A pod's lifecycle state. Provider values this SDK does not know map to {@link #UNKNOWN}; {@link Pod#rawStatus()}
 * keeps the original text.
 */
public enum PodStatus {
  PROVISIONING,
  STARTING,
  RUNNING,
  EXITED,
  ERROR,
  TERMINATED,
  UNKNOWN;

  /** Maps a provider's status text (any case) to a constant, or {@link #UNKNOWN}. */
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
