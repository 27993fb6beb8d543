package io.openavathar;

/**
 * A pod could not be provided: no GPU of the requested types free, no balance, a pod that never
 * became ready, an operation the provider does not support. {@link #canRetry()} says whether the
 * same request may succeed later; {@link #canManual()} whether the user can fix it by choosing
 * differently (another GPU type, cloud or data center).
 */
public class PodProvisioningException extends OpenAvatharException {
  private static final long serialVersionUID = 1L;

  /** Whether trying the same thing again later may work. */
  private final boolean canRetry;

  /** Whether a different choice would help. */
  private final boolean canManual;

  /**
   * A pod failure; {@code canRetry} and {@code canManual} as {@link #canRetry()} and {@link
   * #canManual()} return them.
   *
   * @param message what failed and what to do next
   * @param canRetry whether trying again later may work
   * @param canManual whether a different choice would help
   */
  public PodProvisioningException(String message, boolean canRetry, boolean canManual) {
    this(message, canRetry, canManual, null);
  }

  /**
   * As {@link #PodProvisioningException(String, boolean, boolean)}, with its cause (may be null).
   *
   * @param message what failed and what to do next
   * @param canRetry whether trying again later may work
   * @param canManual whether a different choice would help
   * @param cause the error that caused it, or null
   */
  public PodProvisioningException(
      String message, boolean canRetry, boolean canManual, Throwable cause) {
    super(message, cause);
    this.canRetry = canRetry;
    this.canManual = canManual;
  }

  /**
   * A failure that {@code setting} fixes (see {@link OpenAvatharException#setting()}).
   *
   * @param beforeSetting the message's text before the setting's name
   * @param setting the setting that fixes the failure
   * @param afterSetting the message's text after the setting's name
   * @param canRetry whether trying again later may work
   * @param canManual whether a different choice would help
   */
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

  /**
   * Whether trying the same thing again later may work (for example capacity comes back).
   *
   * @return true if a later retry may work
   */
  public boolean canRetry() {
    return canRetry;
  }

  /**
   * Whether a different choice (GPU type, cloud, data center, balance) would help.
   *
   * @return true if another choice may work
   */
  public boolean canManual() {
    return canManual;
  }

  @Override
  public boolean isRetryable() {
    return canRetry;
  }
}
