package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobsCliTest {
  @TempDir Path dir;
  ComfyUiSimulator sim;
  StringWriter out;
  StringWriter err;

  @BeforeEach
  void setUp() {
    sim = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
  }

  @AfterEach
  void tearDown() {
    sim.close();
  }

  int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  Path copy(String resource, String name) throws Exception {
    try (InputStream in = getClass().getResourceAsStream(resource)) {
      Path p = dir.resolve(name);
      Files.copy(in, p);
      return p;
    }
  }

  @Test
  void detach_thenList_run_show() throws Exception {
    String data = dir.resolve("data").toString();
    Path image = copy(DemoCommand.PORTRAIT, "me.png");
    Path audio = copy(DemoCommand.SPEECH, "me.wav");
    Path target = dir.resolve("v.mp4");

    assertThat(run("generate", "--detach", "--image", image.toString(), "--audio", audio.toString(),
        "--out", target.toString(), "--data-dir", data)).as(err.toString()).isZero();
    String id = out.toString().trim();
    assertThat(err.toString()).contains("Queued job " + id);

    assertThat(run("jobs", "list", "--data-dir", data)).isZero();
    assertThat(out.toString()).contains(id, "QUEUED");

    assertThat(run("jobs", "run", "--comfy-url", sim.baseUrl().toString(), "--data-dir", data))
        .as(err.toString()).isZero();
    assertThat(target).exists();
    assertThat(out.toString()).contains(target.toAbsolutePath().toString());

    assertThat(run("jobs", "list", "--state", "COMPLETED", "--json", "--data-dir", data)).isZero();
    assertThat(out.toString()).contains("\"id\" : \"" + id + "\"");

    assertThat(run("jobs", "show", id, "--data-dir", data)).isZero();
    assertThat(out.toString()).contains("state:    COMPLETED", "pod:      comfy-1", "QUEUED (detached)", "SUBMITTED");

    assertThat(run("jobs", "cancel", id, "--data-dir", data)).isEqualTo(2);
    assertThat(err.toString()).contains("cannot be cancelled");
  }

  @Test
  void retry_runsAFailedJobAgain() throws Exception {
    String data = dir.resolve("data").toString();
    Path image = copy(DemoCommand.PORTRAIT, "me.png");
    Path audio = copy(DemoCommand.SPEECH, "me.wav");
    sim.failNextExecution("22", "RuntimeException", "boom");
    assertThat(run("generate", "--comfy-url", sim.baseUrl().toString(), "--image", image.toString(), "--audio",
        audio.toString(), "--out", dir.resolve("a.mp4").toString(), "--data-dir", data)).isEqualTo(1);
    assertThat(run("jobs", "list", "--state", "FAILED", "--json", "--data-dir", data)).isZero();
    String id = out.toString().replaceAll("(?s).*\"id\" : \"([^\"]+)\".*", "$1");

    assertThat(run("jobs", "retry", id, "--comfy-url", sim.baseUrl().toString(), "--data-dir", data))
        .as(err.toString()).isZero();
    assertThat(dir.resolve("a.mp4")).exists();
  }
}
