package io.openavathar;

/**
 * The caller's input cannot be used: a missing, empty, truncated or mislabelled file, an image too small, audio too
 * long, a bad argument. Thrown before anything is uploaded or spent. Never retryable: fix the input.
 */
public class InvalidInputException extends OpenAvatharException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Invalid input that {@code setting} fixes (see {@link OpenAvatharException#setting()}). */
  public InvalidInputException(String beforeSetting, Setting setting, String afterSetting) {
    super(beforeSetting, setting, afterSetting, null);
  }
}
