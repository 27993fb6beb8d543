package io.openavathar;

import java.time.Duration;
import java.util.Optional;

/**
 * A remote service (ComfyUI, RunPod, the license server) could not be reached or answered with a
 * transient failure (connection refused or reset, timeout, 429, 502, 503, 504). Retryable; {@link
 * #retryAfter()} carries the server's hint when it gave one.
 */
public class RemoteUnavailableException extends OpenAvatharException {
  private static final long serialVersionUID = 1L;
  private final transient Duration retryAfter;

  /**
   * A service that could not be reached or failed transiently; {@code cause} may be null.
   *
   * @param message what could not be reached and what to do
   * @param cause the error that showed it, or null
   */
  public RemoteUnavailableException(String message, Throwable cause) {
    this(message, cause, null);
  }

  /**
   * As {@link #RemoteUnavailableException(String, Throwable)}, with the server's Retry-After hint
   * (may be null).
   *
   * @param message what could not be reached and what to do
   * @param cause the error that showed it, or null
   * @param retryAfter how long the server asked to wait, or null
   */
  public RemoteUnavailableException(String message, Throwable cause, Duration retryAfter) {
    super(message, cause);
    this.retryAfter = retryAfter;
  }

  /**
   * An unreachable service whose address is {@code setting} (see {@link
   * OpenAvatharException#setting()}).
   *
   * @param beforeSetting the message's text before the setting's name
   * @param setting the setting that holds the service's address
   * @param afterSetting the message's text after the setting's name
   * @param cause the error that showed it, or null
   */
  public RemoteUnavailableException(
      String beforeSetting, Setting setting, String afterSetting, Throwable cause) {
    super(beforeSetting, setting, afterSetting, cause);
    this.retryAfter = null;
  }

  /**
   * How long the server asked us to wait before trying again, if it said.
   *
   * @return the wait, or empty
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
