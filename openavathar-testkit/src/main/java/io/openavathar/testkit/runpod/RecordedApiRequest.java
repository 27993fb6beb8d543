package io.openavathar.testkit.runpod;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request the RunPod simulator received, recorded when its answer was decided.
 *
 * @param method the HTTP method, upper case
 * @param path the path as sent ({@code "/v2/pods/abc123/action"})
 * @param route the endpoint it matched, with {@code {id}} for the id ({@code
 *     "/v2/pods/{id}/action"}); for a path that matches no endpoint, the path itself; for the
 *     proxy, {@code "/proxy/{podId}-{port}"}
 * @param query the raw query string without {@code ?}, or {@code ""}
 * @param headers the request headers; names are lower case, values in the order received
 * @param body the request body as UTF-8 text ({@code ""} when empty, and for proxied requests,
 *     whose body goes to the pod's ComfyUI unread)
 * @param status the HTTP status the simulator answered with (for a create that times out, the 201
 *     it sends late; for a dropped create, 201 too, though the client never sees it)
 */
public record RecordedApiRequest(
    String method,
    String path,
    String route,
    String query,
    Map<String, List<String>> headers,
    String body,
    int status) {

  /**
   * Copies the header map so the record stays immutable.
   *
   * @param method the HTTP method, upper case
   * @param path the path as sent
   * @param route the endpoint it matched
   * @param query the raw query string without {@code ?}, or {@code ""}
   * @param headers the request headers, lower-case names; copied
   * @param body the request body as UTF-8 text
   * @param status the HTTP status the simulator answered with
   */
  public RecordedApiRequest {
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

  /**
   * The pod id in the path, for {@code /v2/pods/{id}...} and the proxy; empty for other requests.
   *
   * @return the pod id, or empty
   */
  public Optional<String> podId() {
    String[] segments = path.split("/");
    if (segments.length >= 4 && segments[1].equals("v2") && segments[2].equals("pods")) {
      return Optional.of(segments[3]);
    }
    if (segments.length >= 3 && segments[1].equals("proxy") && segments[2].lastIndexOf('-') > 0) {
      return Optional.of(segments[2].substring(0, segments[2].lastIndexOf('-')));
    }
    return Optional.empty();
  }
}
