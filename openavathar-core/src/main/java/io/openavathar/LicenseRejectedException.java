package io.openavathar;

/**
 * The license server refused a license key: unknown, revoked (refunded), or already active on the
 * most devices it allows. The message says which and what to do; it never contains the full key.
 */
public class LicenseRejectedException extends OpenAvatharException {
  private static final long serialVersionUID = 1L;

  /**
   * A license the server refused; the message says why and what to do.
   *
   * @param message why the license was refused and what to do
   */
  public LicenseRejectedException(String message) {
    super(message);
  }
}
