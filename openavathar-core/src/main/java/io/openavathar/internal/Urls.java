package io.openavathar.internal;

import java.net.URI;

/**
 * URLs as messages and logs show them: a server's URL may carry a user and password, which never go
 * into either.
 */
public final class Urls {
  private Urls() {}

  /**
   * {@code url} without its user info ({@code http://user:pw@host:8188/x} reads {@code
   * http://host:8188/x}).
   */
  public static String withoutUserInfo(URI url) {
    String raw = url.getRawUserInfo();
    return raw == null ? url.toString() : url.toString().replace(raw + "@", "");
  }

  /**
   * {@link #withoutUserInfo(URI)} of a URL given as text; text that is no URI is returned as it is.
   */
  public static String withoutUserInfo(String url) {
    try {
      return withoutUserInfo(URI.create(url));
    } catch (IllegalArgumentException notAUri) {
      return url;
    }
  }
}
