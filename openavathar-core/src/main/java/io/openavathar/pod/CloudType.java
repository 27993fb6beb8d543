package io.openavathar.pod;

/** Where a provider rents the GPU: RunPod's community cloud (cheaper, peers) or secure cloud (data centers). */
public enum CloudType {
  COMMUNITY,
  SECURE,
  UNKNOWN;

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
