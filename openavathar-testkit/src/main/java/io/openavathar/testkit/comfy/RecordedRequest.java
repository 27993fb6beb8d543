package io.openavathar.testkit.comfy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request the simulator received, recorded before it was answered.
 *
 * @param method the HTTP method, upper case ({@code "POST"})
 * @param path the path as sent, including any path prefix and {@code /api} ({@code
 *     "/api/upload/image"})
 * @param route the path with the prefix and {@code /api} removed ({@code "/upload/image"}); faults
 *     match on this
 * @param query the raw query string without {@code ?}, or {@code ""}
 * @param headers the request headers; names are lower case, values in the order received
 * @param bodySize the number of body bytes the simulator read (the whole body for every route that
 *     takes one)
 */
public record RecordedRequest(
    String method,
    String path,
    String route,
    String query,
    Map<String, List<String>> headers,
    long bodySize) {

  /**
   * Copies the header map so the record stays immutable.
   *
   * @param method the HTTP method, upper case
   * @param path the path as sent
   * @param route the path with the prefix and {@code /api} removed
   * @param query the raw query string without {@code ?}, or {@code ""}
   * @param headers the request headers, lower-case names; copied
   * @param bodySize the number of body bytes read
   */
  public RecordedRequest {
    headers = Map.copyOf(headers);
  }

  /**
   * Returns the first value of a header.
   *
   * @param name the header name, in any case
   * @return the first value, or empty when the header was not sent
   */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }
}
