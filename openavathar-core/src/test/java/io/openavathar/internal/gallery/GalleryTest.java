package io.openavathar.internal.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.AvatarStudio;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationRequest;
import io.openavathar.InvalidInputException;
import io.openavathar.OpenAvatharException;
import io.openavathar.comfy.PromptTracker;
import io.openavathar.gallery.Gallery;
import io.openavathar.internal.pod.DefaultPodManager;
import io.openavathar.store.StudioStore;
import io.openavathar.store.VideoRecord;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gallery against the ComfyUI simulator: videos made by a real studio run, then opened, copied,
 * imported.
 */
class GalleryTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  ComfyUiSimulator sim;
  StudioStore store;
  AvatarStudio studio;
  Gallery gallery;
  Path out;

  @BeforeEach
  void setUp() {
    sim = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
    store = StudioStore.inMemory();
    out = dir.resolve("out");
    studio =
        AvatarStudio.builder()
            .dataDirectory(dir.resolve("data"))
            .outputDirectory(out)
            .store(store)
            .trackerOptions(
                new PromptTracker.Options(
                    Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(5)))
            .comfyUrls(sim.baseUrl())
            .build();
    gallery = new DefaultGallery(store, (DefaultPodManager) studio.pods(), Clock.systemUTC(), out);
  }

  @AfterEach
  void tearDown() {
    studio.close();
    store.close();
    sim.close();
  }

  GeneratedVideo generate(long seed) throws Exception {
    Path image = TestMedia.png(dir, "portrait.png", 512, 768);
    Path audio = TestMedia.wav(dir, "speech.wav", 2.0);
    return studio
        .generate(GenerationRequest.builder().image(image).audio(audio).seed(seed).build())
        .await(WAIT);
  }

  /**
   * The server's copy of a video: {@code output/<subfolder>/<name>} in the simulator's output
   * directory.
   */
  Path serverFile(GeneratedVideo video) {
    return sim.outputDirectory().resolve(video.remoteFile().substring("output/".length()));
  }

  static VideoRecord record(String id, String podId, Path file, Instant at) {
    return new VideoRecord(
        id,
        "job-" + id,
        podId,
        "NVIDIA RTX A6000",
        "prompt-" + id,
        "output",
        "OpenAvathar",
        id + ".mp4",
        file.toAbsolutePath().toString(),
        1234,
        480,
        832,
        50,
        2000,
        7,
        12.5,
        at);
  }

  static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  static Throwable failure(CompletableFuture<?> f) {
    try {
      f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("the future did not complete", e);
    }
    throw new AssertionError("the future succeeded");
  }

  @Test
  void list_returnsNewestFirst_inPages_andGetMapsEveryField() {
    Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
    for (int i = 1; i <= 5; i++) {
      VideoRecord r = record("v" + i, "comfy-1", dir.resolve("v" + i + ".mp4"), t0.plusSeconds(i));
      store.insertVideo(i == 3 ? r.priced(java.util.OptionalDouble.of(0.49)) : r);
    }

    assertThat(gallery.list(0, 2)).extracting(GeneratedVideo::id).containsExactly("v5", "v4");
    assertThat(gallery.list(2, 2)).extracting(GeneratedVideo::id).containsExactly("v3", "v2");
    assertThat(gallery.list(4, 10)).extracting(GeneratedVideo::id).containsExactly("v1");

    GeneratedVideo v = gallery.get("v3").orElseThrow();
    assertThat(v.jobId()).isEqualTo("job-v3");
    assertThat(v.promptId()).isEqualTo("prompt-v3");
    assertThat(v.remoteFile()).isEqualTo("output/OpenAvathar/v3.mp4");
    assertThat(v.file()).isEqualTo(dir.resolve("v3.mp4").toAbsolutePath());
    assertThat(v.width()).isEqualTo(480);
    assertThat(v.height()).isEqualTo(832);
    assertThat(v.frames()).isEqualTo(50);
    assertThat(v.duration()).isEqualTo(Duration.ofSeconds(2));
    assertThat(v.sizeBytes()).isEqualTo(1234);
    assertThat(v.seed()).isEqualTo(7);
    assertThat(v.gpuType()).isEqualTo("NVIDIA RTX A6000");
    assertThat(v.gpuSeconds()).isEqualTo(12.5);
    assertThat(v.pricePerHour()).hasValue(0.49);
    assertThat(v.costUsd().getAsDouble())
        .isCloseTo(12.5 / 3600 * 0.49, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(gallery.get("v2").orElseThrow().costUsd()).isEmpty();
    assertThat(v.createdAt()).isEqualTo(t0.plusSeconds(3));
    assertThat(gallery.get("nope")).isEmpty();
    assertThatThrownBy(() -> gallery.list(0, 0))
        .hasMessageContaining("limit must be between 1 and 1000, was 0");
  }

  @Test
  void open_whenTheFileExists_returnsItWithoutAskingThePod() throws Exception {
    GeneratedVideo video = generate(11);
    int requests = sim.requests().size();

    assertThat(await(gallery.open(video.id()))).isEqualTo(video.file());
    assertThat(sim.requests()).hasSize(requests);
  }

  @Test
  void open_afterTheLocalFileWasDeleted_downloadsItAgainFromThePod() throws Exception {
    GeneratedVideo video = generate(12);
    Files.delete(video.file());

    Path opened = await(gallery.open(video.id()));

    assertThat(opened).isEqualTo(video.file().toAbsolutePath());
    assertThat(Files.readAllBytes(opened)).isEqualTo(Files.readAllBytes(serverFile(video)));
  }

  @Test
  void open_whenTheFileAndThePodAreGone_failsSayingItCannotBeRecovered() {
    Path missing = dir.resolve("gone.mp4");
    store.insertVideo(record("v1", "pod-that-was-terminated", missing, Instant.now()));

    assertThat(failure(gallery.open("v1")))
        .isInstanceOf(OpenAvatharException.class)
        .hasMessageContaining("Video v1's file " + missing.toAbsolutePath() + " is missing")
        .hasMessageContaining(
            "pod pod-that-was-terminated no longer exists; the video cannot be recovered");
  }

  @Test
  void open_whenTheIdIsUnknown_failsWithInvalidInput() {
    assertThat(failure(gallery.open("nope")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no video nope");
  }

  @Test
  void download_copiesTheLocalFile_orFetchesItFromThePodWhenGone() throws Exception {
    GeneratedVideo video = generate(13);
    byte[] expected = Files.readAllBytes(serverFile(video));

    Path copy = await(gallery.download(video.id(), dir.resolve("copies/one.mp4")));
    assertThat(Files.readAllBytes(copy)).isEqualTo(expected);

    Files.delete(video.file());
    Path fetched = await(gallery.download(video.id(), dir.resolve("copies/two.mp4")));
    assertThat(Files.readAllBytes(fetched)).isEqualTo(expected);
    assertThat(video.file()).doesNotExist();
  }

  @Test
  void delete_removesTheFileAndTheRecord() throws Exception {
    GeneratedVideo video = generate(14);

    assertThat(gallery.delete(video.id())).isTrue();

    assertThat(video.file()).doesNotExist();
    assertThat(gallery.get(video.id())).isEmpty();
    assertThat(gallery.delete(video.id())).isFalse();
  }

  @Test
  void importFromPod_importsTheFinishedPromptsOnce() throws Exception {
    GeneratedVideo first = generate(21);
    GeneratedVideo second = generate(22);
    StudioStore other = StudioStore.inMemory();
    Gallery fresh =
        new DefaultGallery(
            other, (DefaultPodManager) studio.pods(), Clock.systemUTC(), dir.resolve("imported"));

    List<GeneratedVideo> imported = await(fresh.importFromPod("comfy-1"));

    assertThat(imported)
        .extracting(GeneratedVideo::promptId)
        .containsExactly(first.promptId(), second.promptId());
    assertThat(imported).extracting(GeneratedVideo::seed).containsExactly(21L, 22L);
    for (int i = 0; i < 2; i++) {
      GeneratedVideo made = List.of(first, second).get(i);
      GeneratedVideo got = imported.get(i);
      assertThat(got.jobId()).isEmpty();
      assertThat(got.podId()).isEqualTo("comfy-1");
      assertThat(got.remoteFile()).isEqualTo(made.remoteFile());
      assertThat(got.width()).isEqualTo(made.width());
      assertThat(got.height()).isEqualTo(made.height());
      assertThat(got.frames()).isEqualTo(made.frames());
      // Read from the downloaded MP4 (the simulator's 3 s sample), not from the history's 2 s of
      // frames.
      assertThat(got.duration()).isEqualTo(made.duration()).isEqualTo(Duration.ofSeconds(3));
      assertThat(got.file()).startsWith(dir.resolve("imported").toAbsolutePath());
      assertThat(Files.readAllBytes(got.file())).isEqualTo(Files.readAllBytes(serverFile(made)));
      assertThat(got.sizeBytes()).isEqualTo(Files.size(got.file()));
      // Both read ComfyUI's own account of the run from its history.
      assertThat(got.gpuSeconds()).isEqualTo(made.gpuSeconds()).isPositive();
      assertThat(got.costUsd()).isEmpty();
    }
    assertThat(fresh.list(0, 10)).hasSize(2);

    assertThat(await(fresh.importFromPod("comfy-1"))).isEmpty();
    assertThat(fresh.list(0, 10)).hasSize(2);
    assertThat(await(gallery.importFromPod("comfy-1")))
        .as("the studio's own videos are known")
        .isEmpty();
  }

  @Test
  void importFromPod_whenThePodIsUnknown_failsWithInvalidInput() {
    assertThat(failure(gallery.importFromPod("comfy-9")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Pod comfy-9 is not known to the static pod provider");
  }
}
