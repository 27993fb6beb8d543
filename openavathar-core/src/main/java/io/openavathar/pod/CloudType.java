package io.openavathar.pod;

/**
 * Where a provider rents the GPU: RunPod's community cloud (cheaper, peers) or secure cloud (data
 * centers).
 */
public enum CloudType {
  /** RunPod's community cloud: GPUs of vetted peers, cheaper. */
  COMMUNITY,
  /** RunPod's secure cloud: GPUs in data centers. */
  SECURE,
  /** A value the provider did not send, or one this SDK does not know. */
  UNKNOWN;

  /**
   * Maps a provider's cloud type text (any case) to a constant, or {@link #UNKNOWN}.
   *
   * @param value the provider's text, may be null
   * @return the constant, never null
   */
  public static CloudType fromWire(String value) {
    if (value == null) {
      return UNKNOWN;
    }
    for (CloudType c : values()) {
      if (c.name().equalsIgnoreCase(value.trim())) {
        return c;
      }
    }
    return UNKNOWN;
  }
}
