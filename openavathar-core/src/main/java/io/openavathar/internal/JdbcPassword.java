package io.openavathar.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A JDBC URL with its {@code password} parameter taken out, so that the URL can go into messages
 * and logs and the password only to the driver. Shared by the studio store and the license server.
 *
 * @param withoutPassword the URL without its {@code password} parameter (other parameters kept, in
 *     order)
 * @param password the parameter's decoded value; null when the URL has none
 */
public record JdbcPassword(String withoutPassword, String password) {

  /**
   * Splits {@code jdbcUrl} (query parameters after {@code ?}, separated by {@code &}).
   *
   * @param jdbcUrl a JDBC URL
   * @return the URL without its password, and the password
   */
  public static JdbcPassword split(String jdbcUrl) {
    int query = jdbcUrl.indexOf('?');
    if (query < 0) {
      return new JdbcPassword(jdbcUrl, null);
    }
    String password = null;
    List<String> kept = new ArrayList<>();
    for (String parameter : jdbcUrl.substring(query + 1).split("&")) {
      int eq = parameter.indexOf('=');
      String name = eq < 0 ? parameter : parameter.substring(0, eq);
      if (name.toLowerCase(Locale.ROOT).equals("password")) {
        password =
            eq < 0 ? "" : URLDecoder.decode(parameter.substring(eq + 1), StandardCharsets.UTF_8);
      } else if (!parameter.isEmpty()) {
        kept.add(parameter);
      }
    }
    String base = jdbcUrl.substring(0, query);
    return new JdbcPassword(kept.isEmpty() ? base : base + "?" + String.join("&", kept), password);
  }

  /** The URL without its password: what messages show. */
  @Override
  public String toString() {
    return withoutPassword;
  }
}
