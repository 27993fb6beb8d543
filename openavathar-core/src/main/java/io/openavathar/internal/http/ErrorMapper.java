package io.openavathar.internal.http;

import io.openavathar.OpenAvatharException;
import java.io.IOException;
import okhttp3.Request;

/**
 * What one remote service says when something goes wrong: each client of {@link HttpCore} gives
 * one, so that the messages name the service, say what to do next and never quote a secret.
 *
 * <p>Whether a failure is retried is the returned exception's {@link
 * OpenAvatharException#isRetryable()}: return a {@link io.openavathar.RemoteUnavailableException}
 * (with the answer's {@link Answer#retryAfter()}) for what is worth another attempt.
 */
public interface ErrorMapper {
  /** The service's name in logs and in the names of retried operations, e.g. {@code "ComfyUI"}. */
  String service();

  /** The failure for an answer whose status {@code operation} did not expect. */
  OpenAvatharException status(String operation, Answer answer);

  /** The failure for a 2xx answer whose body is not the JSON {@code operation} expects. */
  OpenAvatharException notJson(String operation, Answer answer, Throwable cause);

  /**
   * The failure for a request that got no answer (refused, unresolvable, timed out, broken before
   * the status). Usually retryable.
   */
  OpenAvatharException unreachable(String operation, Request request, IOException e);

  /** The failure for an answer whose body broke off while it was read. Usually retryable. */
  OpenAvatharException broken(String operation, Request request, IOException e);

  /**
   * The failure of {@code operation} because the client was closed: before it started, or (with
   * {@code inFlight}) while it ran.
   */
  OpenAvatharException closed(String operation, boolean inFlight);
}
