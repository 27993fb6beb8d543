package io.openavathar;

/**
 * A pod could not be provided: no GPU of the requested types free, no balance, a pod that never
 * became ready, an operation the provider does not support. {@link #canRetry()} says whether the
 * same request may succeed later; {@link #canManual()} whether the user can fix it by choosing
 * differently (another GPU type, cloud or data center).
 */
public class PodProvisioningException extends OpenAvatharException {
  private static final long serialVersionUID = 1L;
  private final boolean canRetry;
  private final boolean canManual;

  /**
   * A pod failure; {@code canRetry} and {@code canManual} as {@link #canRetry()} and {@link
   * #canManual()} return them.
   */
  public PodProvisioningException(String message, boolean canRetry, boolean canManual) {
    this(message, canRetry, canManual, null);
  }

  /**
   * As {@link #PodProvisioningException(String, boolean, boolean)}, with its cause (may be null).
   */
  public PodProvisioningException(
      String message, boolean canRetry, boolean canManual, Throwable cause) {
    super(message, cause);
    this.canRetry = canRetry;
    this.canManual = canManual;
  }

  /** A failure that {@code setting} fixes (see {@link OpenAvatharException#setting()}). */
  public PodProvisioningException(
      String beforeSetting,
      Setting setting,
      String afterSetting,
      boolean canRetry,
      boolean canManual) {
    super(beforeSetting, setting, afterSetting, null);
    this.canRetry = canRetry;
    this.canManual = canManual;
  }

  /** Whether trying the same thing again later may work (for example capacity comes back). */
  public boolean canRetry() {
    return canRetry;
  }

  /** Whether a different choice (GPU type, cloud, data center, balance) would help. */
  public boolean canManual() {
    return canManual;
  }

  @Override
  public boolean isRetryable() {
    return canRetry;
  }
}
