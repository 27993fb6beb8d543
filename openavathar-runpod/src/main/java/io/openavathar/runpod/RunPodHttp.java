package io.openavathar.runpod;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.OpenAvatharException;
import io.openavathar.PodProvisioningException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.Setting;
import io.openavathar.internal.Json;
import io.openavathar.internal.Retries;
import io.openavathar.internal.http.Answer;
import io.openavathar.internal.http.ErrorMapper;
import io.openavathar.internal.http.HttpCore;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The HTTP core under {@link RunPodPodProvider}, with the API key as a bearer token, every POST
 * one-shot (a create must not reach RunPod twice behind our back), and RunPod's problem answers
 * mapped to SDK exceptions. Nothing it says quotes the key.
 */
final class RunPodHttp extends HttpCore {
  private final ApiKey key;

  RunPodHttp(
      OkHttpClient http,
      HttpUrl root,
      ApiKey key,
      Clock clock,
      Retries retries,
      ScheduledExecutorService scheduler) {
    super(http, root, clock, retries, scheduler, new Errors(display(root), key));
    this.key = key;
  }

  /** A request builder for {@code url} carrying the API key as a bearer token. */
  @Override
  public Request.Builder request(HttpUrl url) {
    return super.request(url).header("Authorization", "Bearer " + key.reveal());
  }

  /** A one-shot POST of {@code body} as JSON: OkHttp never replays it. */
  @Override
  public Request postJson(HttpUrl url, Object body) {
    return postJsonOnce(url, body);
  }

  /** A one-field JSON object, for example {@code {"action":"stop"}}. */
  JsonNode postJsonBody(String field, String value) {
    return Json.mapper().createObjectNode().put(field, value);
  }

  /** The response's error body, the key masked. */
  Problem problem(Response response) {
    return Problem.parse(answer(response).body(), key);
  }

  /**
   * The failure for an answer that cannot come from RunPod's REST API v2: {@code what} happened, so
   * the API URL is probably wrong.
   */
  static OpenAvatharException notRunPod(String what, Throwable cause) {
    return new OpenAvatharException(
        what + ". Check that ", Setting.RUNPOD_API_URL, " points at RunPod's REST API v2.", cause);
  }

  static PodProvisioningException noBalance() {
    return new PodProvisioningException(
        "RunPod account has no balance left; add funds at runpod.io, then try again.", false, true);
  }

  /**
   * The API base URL as an {@link HttpUrl}, without trailing slash; fails on anything but http(s)
   * without query.
   */
  static HttpUrl root(URI apiUrl) {
    return root(apiUrl, "apiUrl", "https://api.runpod.io/v2");
  }

  /**
   * RunPod's failures. For an unexpected status: 429, 408 and 5xx are transient ({@link
   * RemoteUnavailableException}, honouring {@code Retry-After}); 401, 402, 403 and 422 have fixed
   * meanings; the rest quote RunPod's detail. Callers handle 404 and 409 themselves where they mean
   * something.
   */
  private record Errors(String api, ApiKey key) implements ErrorMapper {
    @Override
    public String service() {
      return "RunPod";
    }

    @Override
    public OpenAvatharException status(String operation, Answer answer) {
      int code = answer.code();
      Problem problem = Problem.parse(answer.body(), key);
      String detail = problem.describe();
      if (code == 429 || code == 408 || code >= 500) {
        return new RemoteUnavailableException(
            "While "
                + operation
                + ", RunPod answered HTTP "
                + code
                + " ("
                + detail
                + "): it is busy or failing. Retry "
                + "later.",
            null,
            answer.retryAfter());
      }
      return switch (code) {
        case 401 ->
            new PodProvisioningException(
                "RunPod rejected the API key (HTTP 401) while " + operation + ". Check ",
                Setting.RUNPOD_API_KEY,
                ".",
                false,
                true);
        case 402 -> noBalance();
        case 403 ->
            new PodProvisioningException(
                "RunPod denied "
                    + operation
                    + " (HTTP 403: "
                    + detail
                    + "). Check that the API key may manage pods "
                    + "(permission All, or Restricted with pod access) and RUNPOD_API_KEY.",
                false,
                true);
        case 422 ->
            new PodProvisioningException(
                "While "
                    + operation
                    + ", RunPod refused the request as malformed (HTTP 422): "
                    + (problem.errors().isEmpty() ? detail : String.join("; ", problem.errors()))
                    + ". This is a bug in OpenAvathar; please report it with this message.",
                false,
                false);
        default ->
            new PodProvisioningException(
                "While " + operation + ", RunPod answered HTTP " + code + ": " + detail + ".",
                false,
                false);
      };
    }

    @Override
    public OpenAvatharException notJson(String operation, Answer answer, Throwable cause) {
      return notRunPod(
          "While "
              + operation
              + ", RunPod answered HTTP "
              + answer.code()
              + " with a body that is not a JSON object: '"
              + snippet(key.scrub(answer.body()))
              + "'",
          null);
    }

    @Override
    public OpenAvatharException unreachable(String operation, Request request, IOException e) {
      return new RemoteUnavailableException(
          "Could not reach RunPod at "
              + api
              + " while "
              + operation
              + ": "
              + describe(e)
              + ". Check the network and ",
          Setting.RUNPOD_API_URL,
          ".",
          e);
    }

    @Override
    public OpenAvatharException broken(String operation, Request request, IOException e) {
      return new RemoteUnavailableException(
          "The connection to RunPod broke while "
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
              ? "The RunPod provider was closed before " + operation + " finished."
              : "The RunPod provider was closed; "
                  + operation
                  + " cannot run. Use a provider that is open.");
    }
  }
}
