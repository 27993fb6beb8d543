package io.openavathar.studio;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * A test's way into a running studio's JSON API over plain HTTP: the launch token exchanged for the
 * session cookie, the CSRF token from {@code /api/state} on every POST, and the live event stream.
 */
final class StudioApi {
  /** A JSON answer. */
  record Answer(int status, JsonNode json) {}

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;
  private final String cookie;
  private final String csrf;

  StudioApi(StudioServer server) throws Exception {
    this.base = server.baseUrl();
    HttpResponse<Void> launch =
        http.send(
            HttpRequest.newBuilder(server.launchUrl()).build(),
            HttpResponse.BodyHandlers.discarding());
    String setCookie = launch.headers().firstValue("Set-Cookie").orElseThrow();
    this.cookie = setCookie.substring(0, setCookie.indexOf(';'));
    this.csrf = get("/api/state").json().path("csrf").asText();
  }

  Answer get(String path) throws Exception {
    return send(request(path).GET().build());
  }

  Answer post(String path, String json) throws Exception {
    return send(
        request(path)
            .header("X-CSRF-Token", csrf)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  /** Uploads a file as {@code kind} (image or audio) and returns the upload's id. */
  String upload(String kind, Path file) throws Exception {
    Answer a =
        send(
            request("/api/uploads?kind=" + kind + "&name=" + file.getFileName())
                .header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(file)))
                .build());
    if (a.status() != 200) {
      throw new AssertionError("upload answered " + a.status() + ": " + a.json());
    }
    return a.json().path("id").asText();
  }

  /**
   * Listens to {@code /api/events} from now on and completes with the first {@code job} event that
   * matches (call it before the action that causes the event).
   */
  CompletableFuture<JsonNode> awaitJobEvent(Predicate<JsonNode> matches) throws Exception {
    HttpResponse<java.io.InputStream> stream =
        http.send(request("/api/events").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    return CompletableFuture.supplyAsync(
        () -> {
          try (BufferedReader lines =
              new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String event = "";
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
              if (line.startsWith("event:")) {
                event = line.substring("event:".length()).trim();
              } else if (line.startsWith("data:") && event.equals("job")) {
                JsonNode job = Http.JSON.readTree(line.substring("data:".length()).trim());
                if (matches.test(job)) {
                  return job;
                }
              }
            }
            throw new AssertionError("the event stream ended before the job event came");
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path))
        .header("Cookie", cookie)
        .timeout(Duration.ofSeconds(30));
  }

  private Answer send(HttpRequest request) throws Exception {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Answer(
        r.statusCode(),
        r.body().isEmpty()
            ? com.fasterxml.jackson.databind.node.NullNode.getInstance()
            : Http.JSON.readTree(r.body()));
  }
}
