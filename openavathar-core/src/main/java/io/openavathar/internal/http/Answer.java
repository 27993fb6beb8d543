package io.openavathar.internal.http;

import java.time.Duration;
import okhttp3.HttpUrl;

/**
 * An answer the operation did not expect, as an {@link ErrorMapper} words it: where it came from,
 * its status, the start of its body and the server's {@code Retry-After}.
 *
 * @param url the request's URL (may carry a query: use {@link HttpCore#display} in messages)
 * @param code the HTTP status
 * @param body the body as text (of an answer read for a message, at most the first 64 KiB); empty
 *     when there was none or it could not be read. It may echo secrets: the mapper scrubs what it
 *     quotes.
 * @param retryAfter the {@code Retry-After} header as a delay, or null when absent or unreadable
 */
public record Answer(HttpUrl url, int code, String body, Duration retryAfter) {
  /** The start of the body on one line, for a message. */
  public String snippet() {
    return HttpCore.snippet(body);
  }
}
