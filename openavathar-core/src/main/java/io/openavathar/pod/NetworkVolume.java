package io.openavathar.pod;

import java.util.Objects;

/**
 * A persistent network volume (models survive pod termination on it; it pins pods to its data
 * center).
 *
 * @param id the provider's id
 * @param name its name
 * @param sizeGb size in GB
 * @param dataCenterId the data center it lives in
 */
public record NetworkVolume(String id, String name, int sizeGb, String dataCenterId) {
  /**
   * Checks that no value is null.
   *
   * @param id the provider's id
   * @param name its name
   * @param sizeGb size in GB
   * @param dataCenterId the data center it lives in
   */
  public NetworkVolume {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dataCenterId, "dataCenterId");
  }
}
