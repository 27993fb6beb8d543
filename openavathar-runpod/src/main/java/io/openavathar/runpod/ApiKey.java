package io.openavathar.runpod;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A RunPod API key. Its {@link #toString()} shows at most a short prefix ({@code rpa_AB…}), so a
 * key printed by mistake, logged with its holder or put in a message does not leak; the SDK sends
 * it only in the {@code Authorization: Bearer} header of requests to RunPod.
 *
 * <pre>{@code
 * ApiKey key = ApiKey.of(System.getenv("RUNPOD_API_KEY"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ApiKey {
  /**
   * Keys shorter than this are shown as {@code ****} only: a prefix would give away too large a
   * share.
   */
  private static final int MIN_LENGTH_FOR_PREFIX = 20;

  private static final int PREFIX_CHARS = 6;

  private final String value;

  private ApiKey(String value) {
    this.value = value;
  }

  /**
   * The key {@code value}, trimmed. Fails with {@link IllegalArgumentException} if it is null,
   * blank or contains whitespace or control characters (a key pasted with a line break would be
   * refused by RunPod with a 401).
   *
   * @param value the key as RunPod's console shows it
   * @return the key
   */
  public static ApiKey of(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "The RunPod API key is empty. Set RUNPOD_API_KEY or call apiKey(...) with the key from "
              + "RunPod's console (Settings > API Keys).");
    }
    String trimmed = value.trim();
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "The RunPod API key contains whitespace or a control character at position "
                + i
                + "; copy it again from RunPod's console without line breaks or spaces.");
      }
    }
    return new ApiKey(trimmed);
  }

  /**
   * The secret itself, for the Authorization header. Package-private so that no user code prints it
   * by accident.
   */
  String reveal() {
    return value;
  }

  /**
   * Replaces every occurrence of this key in {@code text} (for example a server message echoing it)
   * by a mask.
   */
  String scrub(String text) {
    return text == null ? null : text.replace(value, toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiKey k
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), k.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }

  /**
   * A mask: the first six characters and an ellipsis for keys of 20 characters or more, else {@code
   * ****}.
   */
  @Override
  public String toString() {
    return value.length() >= MIN_LENGTH_FOR_PREFIX
        ? value.substring(0, PREFIX_CHARS) + "…"
        : "****";
  }
}
