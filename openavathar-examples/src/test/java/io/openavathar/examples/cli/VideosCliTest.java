package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.AvatarStudio;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationRequest;
import io.openavathar.store.StudioStore;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code openavathar videos ...} over a store shared with a studio that made videos on the ComfyUI
 * simulator.
 */
class VideosCliTest {
  @TempDir Path dir;
  ComfyUiSimulator sim;
  Path store;
  Path fresh;
  StringWriter out = new StringWriter();
  StringWriter err = new StringWriter();

  @BeforeEach
  void setUp() {
    sim = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
    store = dir.resolve("data");
    fresh = dir.resolve("fresh");
  }

  @AfterEach
  void tearDown() {
    sim.close();
  }

  /** Runs {@code videos <args> --data-dir <data>}: the real store in that data directory. */
  int run(Path data, String... args) {
    out = new StringWriter();
    err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--data-dir", data.toString()));
    CommandLine cli = new CommandLine(new VideosCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(all.toArray(String[]::new));
  }

  List<GeneratedVideo> generate(long... seeds) throws Exception {
    Path image = sample(DemoCommand.PORTRAIT, "me.png");
    Path audio = sample(DemoCommand.SPEECH, "me.wav");
    List<GeneratedVideo> made = new ArrayList<>();
    try (AvatarStudio studio =
        AvatarStudio.builder()
            .dataDirectory(store)
            .outputDirectory(dir.resolve("data/videos"))
            .comfyUrls(sim.baseUrl())
            .build()) {
      for (long seed : seeds) {
        made.add(
            studio
                .generate(GenerationRequest.builder().image(image).audio(audio).seed(seed).build())
                .await(Duration.ofSeconds(20)));
      }
    }
    return made;
  }

  Path sample(String resource, String name) throws Exception {
    Path p = dir.resolve(name);
    if (!Files.exists(p)) {
      try (InputStream in = getClass().getResourceAsStream(resource)) {
        Files.copy(in, p);
      }
    }
    return p;
  }

  @Test
  void list_showsNewestFirst_asTableOrJson() throws Exception {
    assertThat(run(store, "list")).isZero();
    assertThat(out.toString()).contains("No videos.");

    List<GeneratedVideo> made = generate(101, 102);

    assertThat(run(store, "list")).as(err.toString()).isZero();
    String table = out.toString();
    assertThat(table).contains("ID", "SEED", "GPU TIME", "comfy-1", "101", "102");
    assertThat(table.indexOf(made.get(1).id())).isLessThan(table.indexOf(made.get(0).id()));

    assertThat(run(store, "list", "--json")).isZero();
    assertThat(out.toString())
        .contains(
            "\"id\" : \"" + made.get(0).id() + "\"", "\"seed\" : 102", "\"fileExists\" : true");
  }

  @Test
  void delete_removesTheVideo_andAnUnknownIdFails() throws Exception {
    GeneratedVideo video = generate(7).get(0);

    assertThat(run(store, "delete", video.id())).as(err.toString()).isZero();
    assertThat(out.toString()).contains("Deleted " + video.id());
    assertThat(video.file()).doesNotExist();
    try (StudioStore s = StudioStore.open(store)) {
      assertThat(s.video(video.id())).isEmpty();
    }

    assertThat(run(store, "delete", video.id())).isNotZero();
    assertThat(err.toString()).contains("No video " + video.id() + " in the gallery");
  }

  @Test
  void download_copiesIt_andWithoutPodOptionsAMissingFileSaysHowToFetchIt() throws Exception {
    GeneratedVideo video = generate(8).get(0);
    Path copy = dir.resolve("copy.mp4");

    assertThat(run(store, "download", video.id(), "--out", copy.toString()))
        .as(err.toString())
        .isZero();
    assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(video.file()));

    Files.delete(video.file());
    assertThat(run(store, "download", video.id(), "--out", dir.resolve("two.mp4").toString()))
        .isNotZero();
    assertThat(err.toString()).contains("is missing", "--comfy-url");

    assertThat(
            run(
                store,
                "download",
                video.id(),
                "--out",
                dir.resolve("two.mp4").toString(),
                "--comfy-url",
                sim.baseUrl().toString()))
        .as(err.toString())
        .isZero();
    assertThat(Files.readAllBytes(dir.resolve("two.mp4"))).isEqualTo(Files.readAllBytes(copy));
  }

  @Test
  void import_addsThePodsVideosOnce() throws Exception {
    List<GeneratedVideo> made = generate(31, 32);

    assertThat(run(fresh, "import", "--pod", "comfy-1", "--comfy-url", sim.baseUrl().toString()))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("31", "32", "comfy-1");
    try (StudioStore s = StudioStore.open(fresh)) {
      assertThat(s.videos(0, 10))
          .extracting(v -> v.promptId())
          .containsExactlyInAnyOrder(made.get(0).promptId(), made.get(1).promptId());
    }

    assertThat(run(fresh, "import", "--pod", "comfy-1", "--comfy-url", sim.baseUrl().toString()))
        .isZero();
    assertThat(out.toString()).contains("No new videos on pod comfy-1.");
    try (StudioStore s = StudioStore.open(fresh)) {
      assertThat(s.videos(0, 10)).hasSize(2);
    }
  }

  @Test
  void import_withoutComfyUrlOrRunPodKey_failsSayingWhatToPass() {
    // Only meaningful where no RunPod key is in the environment.
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("RUNPOD_API_KEY") == null);

    assertThat(run(store, "import", "--pod", "comfy-1")).isNotZero();
    assertThat(err.toString()).contains("No RunPod API key", "--comfy-url");
  }
}
