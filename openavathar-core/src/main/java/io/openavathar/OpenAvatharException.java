package io.openavathar;

/**
 * The root of every exception the SDK throws. Unchecked, like OkHttp's and the AWS SDK's: callers decide
 * what to catch by subclass, and every message says what happened, with which value, and what to do next.
 *
 * <p>Messages never contain secrets (API keys, license keys).
 */
public class OpenAvatharException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OpenAvatharException(String message) {
    super(message);
  }

  public OpenAvatharException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether the same call may succeed if it is simply tried again later. False unless a subclass says so. */
  public boolean isRetryable() {
    return false;
  }
}
