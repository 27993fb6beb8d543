package io.openavathar.examples.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.openavathar.store.JobQuery;
import io.openavathar.store.JobRecord;
import io.openavathar.store.StudioStore;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's reproduction: the license server answers {@code track} after 1.5 s. {@code generate}
 * must not exit before that answer (the track would stay pending and the next run would send it
 * again: counted twice).
 */
class TrackOnExitCliTest {
  @RegisterExtension
  static WireMockExtension license =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @TempDir Path dir;
  StringWriter err;

  int run(String... args) {
    err = new StringWriter();
    return Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
  }

  @Test
  void generate_waitsForASlowTrackAnswer_andTheNextRunDoesNotSendItAgain() throws Exception {
    license.stubFor(
        get(urlPathEqualTo("/api/generation/check"))
            .willReturn(
                okJson(
                    "{\"canGenerate\":true,\"isPro\":false,\"limit\":1,\"used\":0,\"resetsIn\":\"5h 0m\"}")));
    license.stubFor(
        post(urlPathEqualTo("/api/generation/track"))
            .willReturn(okJson("{\"success\":true,\"count\":1}").withFixedDelay(1500)));
    Path data = dir.resolve("data");
    Path image = copy(DemoCommand.PORTRAIT, "me.png");
    Path audio = copy(DemoCommand.SPEECH, "me.wav");
    try (ComfyUiSimulator sim =
        ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start()) {
      String[] generate = {
        "generate",
        "--comfy-url",
        sim.baseUrl().toString(),
        "--image",
        image.toString(),
        "--audio",
        audio.toString(),
        "--license-url",
        license.baseUrl(),
        "--data-dir",
        data.toString()
      };

      assertThat(run(LicenseCliTest.concat(generate, "--out", dir.resolve("1.mp4").toString())))
          .as(err.toString())
          .isZero();

      List<String> first = jobIds(data);
      assertThat(first).hasSize(1);
      assertThat(trackedRequestIds()).as("confirmed before the command returned").isEqualTo(first);
      assertThat(pendingTracks(data)).isEmpty();

      // The next run on the same data directory (the server still says 0 used): only its own video
      // is tracked.
      assertThat(
              run(
                  LicenseCliTest.concat(
                      generate, "--out", dir.resolve("2.mp4").toString(), "--seed", "2")))
          .as(err.toString())
          .isZero();
      List<String> both = jobIds(data);
      assertThat(trackedRequestIds()).containsExactlyInAnyOrderElementsOf(both).hasSize(2);
      assertThat(pendingTracks(data)).isEmpty();
    }
  }

  @Test
  void detachedJobs_countAgainstTheQuota_andJobsRunTracksTheirVideos() throws Exception {
    license.stubFor(
        get(urlPathEqualTo("/api/generation/check"))
            .willReturn(
                okJson(
                    "{\"canGenerate\":true,\"isPro\":false,\"limit\":1,\"used\":0,\"resetsIn\":\"5h 0m\"}")));
    license.stubFor(
        post(urlPathEqualTo("/api/generation/track"))
            .willReturn(okJson("{\"success\":true,\"count\":1}")));
    Path data = dir.resolve("data");
    Path image = copy(DemoCommand.PORTRAIT, "me.png");
    Path audio = copy(DemoCommand.SPEECH, "me.wav");
    String[] detach = {
      "generate",
      "--detach",
      "--image",
      image.toString(),
      "--audio",
      audio.toString(),
      "--license-url",
      license.baseUrl(),
      "--data-dir",
      data.toString()
    };

    assertThat(run(LicenseCliTest.concat(detach, "--out", dir.resolve("1.mp4").toString())))
        .as(err.toString())
        .isZero();
    // The free video of the day is already queued: a second one is refused now, not made and then
    // refused.
    assertThat(run(LicenseCliTest.concat(detach, "--out", dir.resolve("2.mp4").toString())))
        .isEqualTo(3);
    assertThat(err.toString()).contains("1 in progress");
    List<String> queued = jobIds(data);
    assertThat(queued).hasSize(1);

    try (ComfyUiSimulator sim =
        ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start()) {
      assertThat(
              run(
                  "jobs",
                  "run",
                  "--comfy-url",
                  sim.baseUrl().toString(),
                  "--license-url",
                  license.baseUrl(),
                  "--data-dir",
                  data.toString()))
          .as(err.toString())
          .isZero();
    }
    assertThat(trackedRequestIds()).as("the video jobs run made is counted").isEqualTo(queued);
    assertThat(pendingTracks(data)).isEmpty();
  }

  static List<String> trackedRequestIds() {
    JsonMapper json = JsonMapper.builder().build();
    return license.findAll(postRequestedFor(urlPathEqualTo("/api/generation/track"))).stream()
        .map(LoggedRequest::getBodyAsString)
        .map(
            body -> {
              try {
                return json.readTree(body).path("requestId").asText("");
              } catch (java.io.IOException e) {
                throw new AssertionError("track body is not JSON: " + body, e);
              }
            })
        .toList();
  }

  static List<String> jobIds(Path data) {
    try (StudioStore store = StudioStore.open(data)) {
      return store.jobs(JobQuery.newest(10)).stream().map(JobRecord::id).toList();
    }
  }

  static List<String> pendingTracks(Path data) {
    try (StudioStore store = StudioStore.open(data)) {
      return store.pendingTracks();
    }
  }

  Path copy(String resource, String name) throws Exception {
    try (InputStream in = getClass().getResourceAsStream(resource)) {
      Path p = dir.resolve(name);
      Files.copy(in, p);
      return p;
    }
  }
}
