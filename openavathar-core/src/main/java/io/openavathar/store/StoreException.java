package io.openavathar.store;

import io.openavathar.OpenAvatharException;
import io.openavathar.Setting;

/**
 * A store failure; retryable when the database may answer later (another process held SQLite's lock
 * too long, PostgreSQL unreachable or aborting a transaction).
 */
final class StoreException extends OpenAvatharException {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  StoreException(String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** A failure {@code setting} fixes (front ends name it their way). */
  StoreException(
      String beforeSetting,
      Setting setting,
      String afterSetting,
      Throwable cause,
      boolean retryable) {
    super(beforeSetting, setting, afterSetting, cause);
    this.retryable = retryable;
  }

  @Override
  public boolean isRetryable() {
    return retryable;
  }
}
