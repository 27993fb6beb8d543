package io.openavathar.license.server;

import io.openavathar.OpenAvatharException;

/** A {@link LicenseStore} could not read or write its database. */
public final class LicenseStoreException extends OpenAvatharException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates one with what happened and the underlying cause.
   *
   * @param message what happened and what to do, without secrets
   * @param cause the database's exception
   */
  public LicenseStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
