package io.openavathar.testkit.runpod;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root handler: {@code /v2/...} is the REST API (scripted failures, auth, rate limits, then the
 * endpoint), {@code /proxy/{podId}-{port}/...} is RunPod's HTTP proxy, anything else is 404. Runs
 * blocking on Jetty's pool.
 */
final class RunPodHandler extends Handler.Abstract {

  private static final Logger LOG = LoggerFactory.getLogger(RunPodHandler.class);
  private static final int MAX_BODY = 1024 * 1024;
  private static final String PROXY = "/proxy/";

  /** An endpoint's route template and the methods it has. */
  private record Endpoint(String route, List<String> methods) {}

  private static final List<Endpoint> ENDPOINTS =
      List.of(
          new Endpoint("/v2/pods", List.of("GET", "POST")),
          new Endpoint("/v2/pods/{id}", List.of("GET", "PATCH", "DELETE")),
          new Endpoint("/v2/pods/{id}/action", List.of("POST")),
          new Endpoint("/v2/pods/{id}/logs", List.of("GET")),
          new Endpoint("/v2/catalog/gpus", List.of("GET")),
          new Endpoint("/v2/catalog/gpus/{id}", List.of("GET")),
          new Endpoint("/v2/network-volumes", List.of("GET", "POST")),
          new Endpoint("/v2/network-volumes/{id}", List.of("GET", "PATCH", "DELETE")));

  private final RunPodSettings settings;
  private final Timeline timeline;
  private final Pods pods;
  private final ApiFaults faults;
  private final CallLog calls;
  private final CreatePodRoute create;
  private final LogRoute logs;
  private final CatalogRoutes catalog;

  RunPodHandler(
      RunPodSettings settings, Timeline timeline, Pods pods, ApiFaults faults, CallLog calls) {
    super(InvocationType.BLOCKING);
    this.settings = settings;
    this.timeline = timeline;
    this.pods = pods;
    this.faults = faults;
    this.calls = calls;
    this.create = new CreatePodRoute(settings, pods, faults);
    this.logs = new LogRoute(pods, faults);
    this.catalog = new CatalogRoutes(settings);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = request.getHttpURI().getDecodedPath();
    if (path == null) {
      path = "";
    }
    if (path.startsWith(PROXY)) {
      return proxy(path, request, response, callback);
    }
    byte[] body = readBody(request);
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    timeline.runDue();
    Endpoint endpoint = match(path);
    String route = endpoint != null ? endpoint.route() : path;
    calls.count(method, route);
    ApiReply reply;
    try {
      reply = answer(method, path, endpoint, body, request);
    } catch (RuntimeException e) {
      LOG.warn("The RunPod simulator failed on {} {}; answering 500", method, path, e);
      reply = ApiReply.problem(500, "internal error in the RunPod simulator: " + e);
    }
    calls.recordApi(request, route, body, reply.status());
    reply.send(request, response, callback);
    return true;
  }

  private ApiReply answer(
      String method, String path, Endpoint endpoint, byte[] body, Request request) {
    OptionalInt failure = faults.takeFailure(method, path);
    if (failure.isPresent()) {
      LOG.debug("Failing request as scripted [{} {} -> {}]", method, path, failure.getAsInt());
      int status = failure.getAsInt();
      return ApiReply.problem(status, HttpStatus.getMessage(status).toLowerCase(Locale.ROOT));
    }
    String authorization = request.getHeaders().get("Authorization");
    String token =
        authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
            ? authorization.substring(7).trim()
            : "";
    if (token.isEmpty()) {
      return ApiReply.problem(401, "missing bearer token").header("WWW-Authenticate", "Bearer");
    }
    if (faults.takeRejectedKey()
        || (settings.apiKey() != null && !settings.apiKey().equals(token))) {
      return ApiReply.problem(401, "invalid bearer token").header("WWW-Authenticate", "Bearer");
    }
    Duration retryAfter = faults.takeRateLimit();
    if (retryAfter != null) {
      long seconds = (retryAfter.toMillis() + 999) / 1000;
      return ApiReply.problem(429, "rate limit exceeded for the minute window")
          .header("Retry-After", Long.toString(seconds))
          .header("RateLimit", "\"minute\";r=0;t=" + seconds)
          .header("RateLimit-Policy", "\"minute\";q=60;w=60");
    }
    if (endpoint == null) {
      return ApiReply.problem(404, "resource not found");
    }
    if (!endpoint.methods().contains(method)) {
      return ApiReply.problem(405, "The requested method is not allowed for this path.")
          .header("Allow", String.join(", ", endpoint.methods()));
    }
    String id = segment(path, 3);
    return switch (method + " " + endpoint.route()) {
      case "GET /v2/pods" -> {
        var json = Json.object();
        json.set("pods", pods.list());
        yield ApiReply.json(200, json);
      }
      case "POST /v2/pods" -> create.create(body);
      case "GET /v2/pods/{id}" -> {
        var pod = pods.get(id);
        yield pod == null ? ApiReply.problem(404, "pod not found") : ApiReply.json(200, pod);
      }
      case "DELETE /v2/pods/{id}" ->
          pods.terminate(id) ? ApiReply.empty(204) : ApiReply.problem(404, "pod not found");
      case "POST /v2/pods/{id}/action" -> action(id, body);
      case "GET /v2/pods/{id}/logs" -> logs.logs(id, request);
      case "GET /v2/catalog/gpus" -> catalog.gpus(request);
      case "GET /v2/catalog/gpus/{id}" -> catalog.gpu(id, request);
      case "GET /v2/network-volumes" -> catalog.volumes();
      case "GET /v2/network-volumes/{id}" -> catalog.volume(id);
      default -> ApiReply.problem(501, method + " " + endpoint.route() + " is not simulated");
    };
  }

  private ApiReply action(String id, byte[] body) {
    List<String> errors;
    String action = null;
    try {
      var json = Json.MAPPER.readTree(body);
      if (json == null || json.isMissingNode()) {
        return ApiReply.problem(400, "request body is not valid JSON");
      }
      errors = CreatePodValidator.validateAction(json);
      action = json.path("action").asText();
    } catch (IOException e) {
      return ApiReply.problem(400, "request body is not valid JSON");
    }
    if (!errors.isEmpty()) {
      return ApiReply.problem(422, "Request validation failed.", errors);
    }
    return pods.action(id, action);
  }

  private boolean proxy(String path, Request request, Response response, Callback callback)
      throws Exception {
    String rest = path.substring(PROXY.length());
    int slash = rest.indexOf('/');
    String target = slash < 0 ? rest : rest.substring(0, slash);
    int dash = target.lastIndexOf('-');
    int port = -1;
    if (dash > 0) {
      try {
        port = Integer.parseInt(target.substring(dash + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
    }
    timeline.runDue();
    Pods.ProxyTarget destination =
        port < 0 ? new Pods.ProxyTarget(false, null) : pods.proxy(target.substring(0, dash), port);
    if (destination.handler() != null) {
      boolean handled = destination.handler().handle(request, response, callback);
      calls.recordProxy(request, response.getStatus());
      return handled;
    }
    ApiReply reply =
        destination.podExists()
            ? ApiReply.text(
                502,
                "text/html; charset=utf-8",
                "<html><head><title>502 Bad Gateway</title></head>"
                    + "<body><h1>502 Bad Gateway</h1><p>Nothing is answering on this port of the pod yet."
                    + "</p></body></html>")
            : ApiReply.text(404, "text/plain; charset=utf-8", "404 page not found");
    calls.recordProxy(request, reply.status());
    reply.send(request, response, callback);
    return true;
  }

  private static Endpoint match(String path) {
    String[] segments = path.split("/", -1);
    for (Endpoint endpoint : ENDPOINTS) {
      String[] pattern = endpoint.route().split("/", -1);
      if (pattern.length != segments.length) {
        continue;
      }
      boolean matches = true;
      for (int i = 0; i < pattern.length && matches; i++) {
        matches =
            pattern[i].equals("{id}") ? !segments[i].isEmpty() : pattern[i].equals(segments[i]);
      }
      if (matches) {
        return endpoint;
      }
    }
    return null;
  }

  /** The id segment: {@code /v2/pods/{id}} has it at 3, {@code /v2/catalog/gpus/{id}} at 4. */
  private static String segment(String path, int index) {
    String[] segments = path.split("/", -1);
    if (path.startsWith("/v2/catalog/")) {
      index++;
    }
    return segments.length > index ? segments[index] : null;
  }

  private static byte[] readBody(Request request) throws IOException {
    try (InputStream in = Request.asInputStream(request)) {
      return in.readNBytes(MAX_BODY);
    }
  }
}
