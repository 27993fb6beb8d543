package io.openavathar;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The root of every exception the SDK throws. Unchecked, like OkHttp's and the AWS SDK's: callers
 * decide what to catch by subclass, and every message says what happened, with which value, and
 * what to do next.
 *
 * <p>Messages never contain secrets (API keys, license keys), nor Java method names: a failure that
 * a setting fixes names it through a {@link Setting}, which {@link #setting()} returns and {@link
 * #getMessage(Function)} lets a front end name its own way (a CLI flag, a form field), for example:
 *
 * <pre>{@code
 * throw new InvalidInputException("Shorten the audio or raise ", Setting.MAX_FRAMES, " to 1500.");
 * // getMessage():                        "Shorten the audio or raise the request's maxFrames to 1500."
 * // getMessage(s -> "--max-frames"):     "Shorten the audio or raise --max-frames to 1500."
 * }</pre>
 */
public class OpenAvatharException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The setting that fixes this failure, or null. */
  private final Setting setting;

  /** With {@link #setting}: the message's text before the setting's name, or null. */
  private final String beforeSetting;

  /** With {@link #setting}: the message's text after the setting's name, or null. */
  private final String afterSetting;

  /**
   * True when the message is about {@link #setting} without naming it: front ends lead with the
   * name.
   */
  private final boolean about;

  /**
   * A failure whose message says what happened and what to do next.
   *
   * @param message what happened and what to do next
   */
  public OpenAvatharException(String message) {
    this(message, null);
  }

  /**
   * A failure whose message says what happened and what to do next; {@code cause} may be null.
   *
   * @param message what happened and what to do next
   * @param cause the error that caused it, or null
   */
  public OpenAvatharException(String message, Throwable cause) {
    super(message, cause);
    this.setting = null;
    this.beforeSetting = message;
    this.afterSetting = "";
    this.about = false;
  }

  /**
   * A failure about {@code setting} whose message does not name it, for example a file given as the
   * request's image: {@link #getMessage(Function)} leads with the setting's name ({@code "--image:
   * Image 'x.png' is empty ..."}).
   *
   * @param setting the setting the failure is about
   * @param message what happened and what to do next, without the setting's name
   * @param cause the error that caused it, or null
   */
  public OpenAvatharException(Setting setting, String message, Throwable cause) {
    super(message, cause);
    this.setting = Objects.requireNonNull(setting, "setting");
    this.beforeSetting = message;
    this.afterSetting = "";
    this.about = true;
  }

  /**
   * A failure that {@code setting} fixes; the message is {@code beforeSetting}, the setting's name,
   * then {@code afterSetting}.
   *
   * @param beforeSetting the message's text before the setting's name
   * @param setting the setting that fixes the failure
   * @param afterSetting the message's text after the setting's name
   * @param cause the error that caused it, or null
   */
  public OpenAvatharException(
      String beforeSetting, Setting setting, String afterSetting, Throwable cause) {
    super(beforeSetting + setting + afterSetting, cause);
    this.setting = setting;
    this.beforeSetting = beforeSetting;
    this.afterSetting = Objects.requireNonNull(afterSetting, "afterSetting");
    this.about = false;
  }

  /**
   * The setting that fixes this failure, if one does.
   *
   * @return the setting, or empty
   */
  public Optional<Setting> setting() {
    return Optional.ofNullable(setting);
  }

  /**
   * The message with the {@link #setting()} named by {@code names}, for example a CLI flag; the
   * same as {@link #getMessage()} when no setting is concerned. A message about a setting that does
   * not name it is led by the name and a colon.
   *
   * @param names the name of each setting, for example its CLI flag
   * @return the message
   */
  public String getMessage(Function<? super Setting, String> names) {
    if (setting == null) {
      return getMessage();
    }
    return about
        ? names.apply(setting) + ": " + getMessage()
        : beforeSetting + names.apply(setting) + afterSetting;
  }

  /**
   * Whether the same call may succeed if it is simply tried again later. False unless a subclass
   * says so.
   *
   * @return true if a retry may succeed
   */
  public boolean isRetryable() {
    return false;
  }
}
