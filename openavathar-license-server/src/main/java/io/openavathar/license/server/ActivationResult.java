package io.openavathar.license.server;

/** The outcome of {@link LicenseStore#activate}. */
public enum ActivationResult {
  /** The device was bound to the license now. */
  ACTIVATED,
  /** The device was already bound to this license; nothing changed. */
  ALREADY_ACTIVE,
  /** No such license. */
  NOT_FOUND,
  /** The license was refunded. */
  REVOKED,
  /** The license has as many devices as it allows. */
  LIMIT_REACHED
}
