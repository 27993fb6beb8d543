package io.openavathar.runpod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.OpenAvatharException;
import io.openavathar.testkit.internal.Fuzz;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Test;

/**
 * Whatever RunPod answers, with any status and any body, the provider reads it or fails with an
 * {@link OpenAvatharException}, and no message repeats the API key even when the body echoes it.
 */
class RunPodAnswersPropertyTest {
  private static final HttpUrl ROOT = HttpUrl.get("https://rest.runpod.io/v1/");
  private static final RunPodHttp HTTP =
      new RunPodHttp(
          new OkHttpClient(), ROOT, ApiKey.of(Fixtures.KEY), Clock.systemUTC(), null, null);
  private static final PodJson PODS = new PodJson("openavathar-", ProxyUrls.of(ProxyUrls.DEFAULT));

  private static final JsonNode POD =
      Fuzz.json(
          """
      {"id": "abc123xyz", "name": "openavathar-1", "status": "RUNNING", "desiredStatus": "RUNNING",
       "gpu": {"id": "NVIDIA GeForce RTX 4090", "count": 1, "displayName": "RTX 4090"},
       "cloud": "SECURE", "cost": 0.69, "ports": ["8188/http", "22/tcp"],
       "runtime": {"uptimeInSeconds": 30, "ports": [{"private": 8188, "public": 40001, "isIpPublic": false}]},
       "createdAt": "2026-01-02T03:04:05.678Z", "env": {"OPENAVATHAR_MANAGED": "1"}, "cluster": null}
      """);
  private static final JsonNode POD_LIST =
      Fuzz.json(
          "{\"pods\": [" + Fuzz.write(POD) + ", " + Fuzz.write(POD) + "], \"nextCursor\": null}");
  private static final JsonNode GPUS =
      Fuzz.json(
          """
      {"gpus": [{"id": "NVIDIA GeForce RTX 4090", "name": "RTX 4090", "memory": 24, "secure": true,
                 "community": false, "price": {"secure": 0.69, "community": 0.34}, "availability": "HIGH"}]}
      """);
  private static final JsonNode VOLUMES =
      Fuzz.json(
          """
      {"networkVolumes": [{"id": "vol1", "name": "models", "size": 100, "dataCenter": "EU-RO-1"}]}
      """);
  private static final JsonNode PROBLEM =
      Fuzz.json(
          """
      {"type": "about:blank", "title": "Bad Request", "status": 400,
       "detail": "There are no longer any instances available with the requested specifications",
       "errors": ["gpu.id: must be one of ...", {"field": "cloud"}]}
      """);
  private static final List<JsonNode> TEMPLATES = List.of(POD_LIST, GPUS, VOLUMES, PROBLEM, POD);
  private static final int[] STATUSES = {
    200, 201, 204, 400, 401, 402, 403, 404, 408, 409, 422, 429, 500, 502, 503
  };

  @Test
  void anyAnswerIsReadOrFailsWithAnSdkExceptionThatHidesTheKey() {
    Fuzz.forAll(
        600,
        RunPodAnswersPropertyTest::answer,
        answer -> {
          try {
            JsonNode body = HTTP.jsonObject("GET /pods", answer.response());
            PODS.pods(body);
          } catch (OpenAvatharException e) {
            assertThat(e.getMessage()).doesNotContain(Fixtures.KEY);
          }
          try {
            JsonNode body = HTTP.jsonObject("GET /pods/abc", answer.response());
            PODS.pod(body);
            PodJson.gpuTypes(body);
            PodJson.networkVolumes(body);
          } catch (OpenAvatharException e) {
            assertThat(e.getMessage()).doesNotContain(Fixtures.KEY);
          }
          Problem problem = HTTP.problem(answer.response());
          assertThat(problem.toString()).doesNotContain(Fixtures.KEY);
          assertThat(HTTP.failure("GET /pods", answer.response()).getMessage())
              .doesNotContain(Fixtures.KEY);
        });
  }

  /**
   * Found by the property above: a key with one letter as a JSON escape passed the scrub of the raw
   * text.
   */
  @Test
  void aKeyEchoedWithAJsonEscapeIsMaskedToo() {
    String echoed = "{\"detail\":\"bad key rpa_\\u0053ECRETKEY4TESTS0123456789ABCDEFGHIJ\"}";
    Response response = new Answer(400, echoed, null).response();

    String message = HTTP.failure("GET /pods", response).getMessage();

    assertThat(message)
        .contains("RunPod answered HTTP 400: bad key rpa_")
        .doesNotContain(Fixtures.KEY);
  }

  @Test
  void whateverAPodIsCalledItsComfyUiUrlStaysOnTheProxyHost() {
    Fuzz.forAll(
        500,
        random -> random.nextBoolean() ? Fuzz.text(random) : "abc" + Fuzz.text(random) + "x",
        id -> {
          ObjectNode pod = POD.deepCopy();
          pod.put("id", id);
          if (id.isEmpty()) {
            return;
          }
          PODS.pod(pod)
              .comfyUiUrl()
              .ifPresent(
                  url -> {
                    assertThat(url.getHost()).endsWith(".proxy.runpod.net");
                    assertThat(url.getRawPath()).isEmpty();
                    assertThat(url.getRawQuery()).isNull();
                    assertThat(url.getRawUserInfo()).isNull();
                  });
        });
  }

  /**
   * Found by the property above: an id with a dot and slash moved the URL to another host; "-1"
   * gave no host.
   */
  @Test
  void aPodIdThatIsNoHostLabelGivesNoComfyUiUrl() {
    for (String id : List.of("evil.example/x", "-1", "abc\u5f0dx", "a@b")) {
      ObjectNode pod = POD.deepCopy();
      pod.put("id", id);
      assertThat(PODS.pod(pod).comfyUiUrl()).as(id).isEmpty();
    }
  }

  /**
   * A status, a body (mostly a mutated RunPod shape, sometimes echoing the key), a Retry-After
   * header.
   */
  private record Answer(int status, String body, String retryAfter) {
    Response response() {
      Response.Builder b =
          new Response.Builder()
              .request(new Request.Builder().url(ROOT).build())
              .protocol(Protocol.HTTP_1_1)
              .code(status)
              .message("x")
              .body(ResponseBody.create(body, MediaType.get("application/json")));
      if (retryAfter != null) {
        b.header("Retry-After", retryAfter);
      }
      return b.build();
    }
  }

  private static Answer answer(Random random) {
    int status =
        random.nextInt(8) == 0
            ? 100 + random.nextInt(500)
            : STATUSES[random.nextInt(STATUSES.length)];
    String body = Fuzz.jsonText(random, TEMPLATES.get(random.nextInt(TEMPLATES.size())));
    if (random.nextInt(4) == 0) {
      body = echoKey(random, body);
    }
    String retryAfter =
        switch (random.nextInt(5)) {
          case 0 -> Integer.toString(random.nextInt(100_000) - 10);
          case 1 -> Fuzz.text(random).replaceAll("[^\\x20-\\x7e]", "");
          case 2 -> "Wed, 21 Oct 2015 07:28:00 GMT";
          default -> null;
        };
    return new Answer(status, body, retryAfter);
  }

  /**
   * The body with the key put into a JSON string, as it is or with one letter written as a \\u
   * escape.
   */
  private static String echoKey(Random random, String body) {
    String key = Fixtures.KEY;
    if (random.nextBoolean()) {
      int at = 4 + random.nextInt(key.length() - 4);
      key =
          key.substring(0, at)
              + String.format("\\u%04x", (int) key.charAt(at))
              + key.substring(at + 1);
    }
    int quote = body.indexOf("\":\"");
    return quote < 0
        ? "{\"detail\":\"bad key " + key + "\",\"title\":\"" + key + "\"}"
        : body.substring(0, quote + 3) + key + " " + body.substring(quote + 3);
  }
}
