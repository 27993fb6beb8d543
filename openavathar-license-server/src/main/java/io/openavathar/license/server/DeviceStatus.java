package io.openavathar.license.server;

/**
 * What a check needs to know about one device.
 *
 * @param licenseKey the key of the live license the device is bound to, or null for a free device
 * @param usedToday free generations used on the UTC day asked about
 */
public record DeviceStatus(String licenseKey, int usedToday) {

  /**
   * Whether the device is bound to a live license.
   *
   * @return true if {@link #licenseKey()} is not null
   */
  public boolean isPro() {
    return licenseKey != null;
  }
}
