package io.openavathar;

/**
 * The caller's input cannot be used: a missing, empty, truncated or mislabelled file, an image too
 * small, audio too long, a bad argument. Thrown before anything is uploaded or spent. Never
 * retryable: fix the input.
 */
public class InvalidInputException extends OpenAvatharException {
  private static final long serialVersionUID = 1L;

  /**
   * Input that cannot be used; the message says which and how to fix it.
   *
   * @param message what is wrong and how to fix it
   */
  public InvalidInputException(String message) {
    this(message, (Throwable) null);
  }

  /**
   * Input that cannot be used, with the error that showed it (may be null).
   *
   * @param message what is wrong and how to fix it
   * @param cause the error that showed it, or null
   */
  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A problem with one setting of the request, such as its {@link Setting#IMAGE image} or {@link
   * Setting#OUTPUT_FILE output file}, that the message describes without naming the setting.
   *
   * @param cause may be null
   * @param setting the setting that is wrong
   * @param message what is wrong and how to fix it, without the setting's name
   */
  public InvalidInputException(Setting setting, String message, Throwable cause) {
    super(setting, message, cause);
  }

  /**
   * Invalid input that {@code setting} fixes (see {@link OpenAvatharException#setting()}).
   *
   * @param beforeSetting the message's text before the setting's name
   * @param setting the setting that fixes the input
   * @param afterSetting the message's text after the setting's name
   */
  public InvalidInputException(String beforeSetting, Setting setting, String afterSetting) {
    super(beforeSetting, setting, afterSetting, null);
  }
}
