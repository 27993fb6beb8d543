package io.openavathar.comfy;

import io.openavathar.InvalidInputException;
import io.openavathar.OpenAvatharException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.internal.Retries;
import io.openavathar.internal.http.Answer;
import io.openavathar.internal.http.ErrorMapper;
import io.openavathar.internal.http.HttpCore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * The HTTP core under {@link ComfyUiClient}, with ComfyUI's words for failures: 429, 502, 503 and
 * 504 are transient ({@link RemoteUnavailableException}, honouring {@code Retry-After}), other
 * unexpected statuses are not, and a file that stops being readable during an upload is the
 * caller's input.
 */
final class ComfyHttp extends HttpCore {
  private final Duration stallTimeout;

  ComfyHttp(
      OkHttpClient http,
      HttpUrl root,
      Clock clock,
      Retries retries,
      ScheduledExecutorService scheduler,
      Duration stallTimeout) {
    super(http, root, clock, retries, scheduler, new Errors(display(root)));
    this.stallTimeout = stallTimeout;
  }

  /**
   * How long a streaming transfer may move no byte before it is cut (the client's read timeout).
   */
  Duration stallTimeout() {
    return stallTimeout;
  }

  /** ComfyUI's failures, each naming the server (never its credentials). */
  private record Errors(String server) implements ErrorMapper {
    @Override
    public String service() {
      return "ComfyUI";
    }

    @Override
    public OpenAvatharException status(String operation, Answer answer) {
      int code = answer.code();
      String where = display(answer.url());
      if (code == 429 || code == 502 || code == 503 || code == 504) {
        return new RemoteUnavailableException(
            "ComfyUI at "
                + where
                + " is unavailable for "
                + operation
                + " (HTTP "
                + code
                + "): the server or a proxy in front of it is busy or starting. Try again later.",
            null,
            answer.retryAfter());
      }
      return new OpenAvatharException(
          "ComfyUI answered "
              + operation
              + " at "
              + where
              + " with unexpected HTTP "
              + code
              + ". Check the ComfyUI server log and that the URL points at ComfyUI.");
    }

    @Override
    public OpenAvatharException notJson(String operation, Answer answer, Throwable cause) {
      return new OpenAvatharException(
          "ComfyUI answered "
              + operation
              + " at "
              + display(answer.url())
              + " with HTTP "
              + answer.code()
              + " and a body that is not JSON: '"
              + answer.snippet()
              + "'. Check that the URL points at ComfyUI and not at a proxy or another service.",
          cause);
    }

    @Override
    public OpenAvatharException unreachable(String operation, Request request, IOException e) {
      if (e instanceof ProgressRequestBody.FileReadException) {
        return new InvalidInputException(
            e.getMessage() + ". Check that the file stays readable.", e);
      }
      return new RemoteUnavailableException(
          "Could not reach ComfyUI at "
              + display(request.url())
              + ": "
              + describe(e)
              + ". Check that the server is running and the URL is right.",
          e);
    }

    @Override
    public OpenAvatharException broken(String operation, Request request, IOException e) {
      return new RemoteUnavailableException(
          "The connection to ComfyUI at "
              + display(request.url())
              + " broke while reading the answer to "
              + operation
              + ": "
              + describe(e)
              + ". Retry later.",
          e);
    }

    @Override
    public OpenAvatharException closed(String operation, boolean inFlight) {
      return new OpenAvatharException(
          inFlight
              ? "The ComfyUI client for "
                  + server
                  + " was closed before "
                  + operation
                  + " finished."
              : "The ComfyUI client for "
                  + server
                  + " was closed; "
                  + operation
                  + " cannot run. Use a client that is open.");
    }
  }
}
