package io.openavathar.runpod;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * RunPod's HTTP proxy addresses of pod ports: a pattern with {@code {podId}} and {@code {port}}, by
 * default {@value #DEFAULT}. A pattern may carry a path, for example {@code
 * http://127.0.0.1:9999/proxy/{podId}-{port}} for a simulator. Immutable.
 */
final class ProxyUrls {
  static final String DEFAULT = "https://{podId}-{port}.proxy.runpod.net";
  private static final Pattern POD_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");

  private final String pattern;

  private ProxyUrls(String pattern) {
    this.pattern = pattern;
  }

  /** Checks {@code pattern}: both placeholders, and an http(s) URL with a host once filled in. */
  static ProxyUrls of(String pattern) {
    if (pattern == null || !pattern.contains("{podId}") || !pattern.contains("{port}")) {
      throw new IllegalArgumentException(
          "proxyUrlPattern must contain {podId} and {port}, like "
              + DEFAULT
              + ", was '"
              + pattern
              + "'");
    }
    ProxyUrls urls =
        new ProxyUrls(pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern);
    URI sample;
    try {
      sample = URI.create(urls.fill("abc123", 8188));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "proxyUrlPattern is not a URL once filled in: '" + pattern + "'", e);
    }
    String scheme = sample.getScheme();
    if (scheme == null
        || !(scheme.equals("http") || scheme.equals("https"))
        || sample.getHost() == null) {
      throw new IllegalArgumentException(
          "proxyUrlPattern must give an http(s) URL with a host, like "
              + DEFAULT
              + ", was '"
              + pattern
              + "'");
    }
    return urls;
  }

  /** The URL of {@code port} on pod {@code podId}, or empty if the id makes it no valid URL. */
  Optional<URI> url(String podId, int port) {
    // RunPod's ids are letters and digits; anything else in a host name ("x.example/", "a@b") could
    // point elsewhere.
    if (!POD_ID.matcher(podId).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(URI.create(fill(podId, port)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private String fill(String podId, int port) {
    return pattern.replace("{podId}", podId).replace("{port}", Integer.toString(port));
  }

  @Override
  public String toString() {
    return pattern;
  }
}
