package io.openavathar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.comfy.PromptTracker;
import io.openavathar.internal.Json;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.comfy.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AvatarStudioTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final PromptTracker.Options FAST_POLLS =
      new PromptTracker.Options(
          Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(5));

  @TempDir Path dir;
  ComfyUiSimulator sim;
  AvatarStudio studio;
  Path portrait;
  Path speech;

  @BeforeEach
  void setUp() {
    sim = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
    studio = studio(sim);
    portrait = Inputs.png(dir, "portrait.png", 512, 768);
    speech = Inputs.wav(dir, "speech.wav", 4.0);
  }

  AvatarStudio studio(ComfyUiSimulator... sims) {
    return studio(JobListener.NONE, sims);
  }

  AvatarStudio studio(JobListener listener, ComfyUiSimulator... sims) {
    return AvatarStudio.builder()
        .dataDirectory(dir.resolve("data"))
        .outputDirectory(dir.resolve("out"))
        .trackerOptions(FAST_POLLS)
        .listener(listener)
        .comfyUrls(java.util.Arrays.stream(sims).map(ComfyUiSimulator::baseUrl).toList())
        .build();
  }

  /**
   * A fresh studio on the same simulator, with a listener that sees every job from its first state.
   */
  RecordingListener listen(RecordingListener rec) {
    studio.close();
    studio = studio(rec, sim);
    return rec;
  }

  @AfterEach
  void tearDown() {
    studio.close();
    sim.close();
  }

  GenerationRequest.Builder request() {
    return GenerationRequest.builder().image(portrait).audio(speech);
  }

  @Test
  void generate_endToEnd_writesTheMp4_andWalksTheLifecycle() throws Exception {
    RecordingListener rec = listen(new RecordingListener(JobState.COMPLETED, j -> {}));
    GenerationJob job = studio.generate(request().seed(42).build());

    GeneratedVideo video = job.await(WAIT);

    assertThat(job.state()).isEqualTo(JobState.COMPLETED);
    assertThat(video.file()).exists().hasParent(dir.resolve("out"));
    byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(video.file()), 12);
    assertThat(new String(head, 4, 4, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("ftyp");
    assertThat(video.sizeBytes()).isEqualTo(Files.size(video.file()));
    assertThat(video.seed()).isEqualTo(42);
    // Read from the MP4 (the simulator's 3 s sample), not derived from the 4 s request.
    assertThat(video.width()).isEqualTo(480);
    assertThat(video.height()).isEqualTo(832);
    assertThat(video.frames()).isEqualTo(75);
    assertThat(video.duration()).isEqualTo(Duration.ofSeconds(3));
    assertThat(video.podId()).isEqualTo("comfy-1");
    // Listeners hear of the end just after the future completes (so that they can read it): wait
    // for them.
    assertThat(rec.triggered.await(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
        .isTrue();
    assertThat(rec.states)
        .containsExactly(
            JobState.WAITING_FOR_POD,
            JobState.UPLOADING,
            JobState.SUBMITTED,
            JobState.GENERATING,
            JobState.DOWNLOADING,
            JobState.COMPLETED);
  }

  @Test
  void generate_persistsEveryTransition_theSubmission_andTheVideo() {
    GenerationJob job = studio.generate(request().seed(9).build());
    GeneratedVideo video = job.await(WAIT);

    io.openavathar.store.JobRecord record = studio.store().job(job.id()).orElseThrow();
    assertThat(record.state()).isEqualTo(JobState.COMPLETED);
    assertThat(record.seed()).isEqualTo(9);
    assertThat(record.podId()).contains("comfy-1");
    assertThat(record.promptId()).contains(job.id());
    assertThat(record.attempt()).isEqualTo(1);
    assertThat(record.outputFile()).contains(video.file().toAbsolutePath().toString());
    assertThat(studio.store().jobLog(job.id()))
        .containsSubsequence(
            "WAITING_FOR_POD", "UPLOADING", "SUBMITTED", "GENERATING", "DOWNLOADING", "COMPLETED");
    io.openavathar.store.VideoRecord stored = studio.store().video(video.id()).orElseThrow();
    assertThat(stored.remoteFilename()).endsWith("-audio.mp4");
    assertThat(stored.sizeBytes()).isEqualTo(video.sizeBytes());
    assertThat(stored.frames()).isEqualTo(75);
    assertThat(stored.durationMillis()).isEqualTo(3000);
    assertThat(studio.videos().get(video.id()).orElseThrow().duration())
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(stored.gpuSeconds()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void generate_onAStaticServer_recordsComfyUisOwnGpuSeconds_theGpuNameOfSystemStats_andNoPrice() {
    try (ComfyUiSimulator timed =
        ComfyUiSimulator.builder()
            .stepDelay(Duration.ofMillis(1))
            .gpu(
                io.openavathar.testkit.comfy.SimulatedGpu.of("NVIDIA GeForce RTX 3090", 123.5, 0)
                    .withJitter(0))
            .start()) {
      studio.close();
      studio = studio(timed);

      GeneratedVideo video = studio.generate(request().build()).await(WAIT);

      // The history says 123.5 s although the run took milliseconds: the server's account wins over
      // the SDK's clock.
      assertThat(video.gpuSeconds()).isEqualTo(123.5);
      assertThat(video.gpuType()).isEqualTo("NVIDIA GeForce RTX 3090");
      // 4 s of speech at 25 frames per second: what an estimate of the next request starts from.
      assertThat(studio.store().recentRuns("NVIDIA GeForce RTX 3090", 5))
          .singleElement()
          .satisfies(r -> assertThat(r.requestedFrames()).isEqualTo(100));
      assertThat(video.pricePerHour()).isEmpty();
      assertThat(video.costUsd()).isEmpty();
      assertThat(studio.store().video(video.id()).orElseThrow().toGeneratedVideo())
          .isEqualTo(video);
    }
  }

  @Test
  void generate_whenItFails_persistsTheErrorTypeAndMessage() {
    sim.failNextExecution(
        "22", "torch.OutOfMemoryError", "Allocation on device 0 would exceed allowed memory.");
    GenerationJob job = studio.generate(request().build());
    assertThatThrownBy(() -> job.await(WAIT)).isInstanceOf(GenerationFailedException.class);
    io.openavathar.store.JobRecord record = studio.store().job(job.id()).orElseThrow();
    assertThat(record.state()).isEqualTo(JobState.FAILED);
    assertThat(record.errorType()).contains("GenerationFailedException");
    assertThat(record.errorMessage().orElseThrow()).contains("out of memory");
  }

  @Test
  void generate_reportsRealProgress_bytesWindowsAndSteps() {
    RecordingListener rec = listen(new RecordingListener());
    GenerationJob job = studio.generate(request().build());
    job.await(WAIT);

    // 4 s of audio = 100 frames = 2 windows of 6 steps.
    assertThat(rec.progress)
        .anySatisfy(
            p -> {
              assertThat(p.state()).isEqualTo(JobState.GENERATING);
              assertThat(p.window()).isEqualTo(2);
              assertThat(p.windows()).isEqualTo(2);
              assertThat(p.step()).isEqualTo(6);
              assertThat(p.message()).contains("window 2 of 2, step 6 of 6");
              assertThat(p.stage()).isEqualTo("Generating window 2 of 2");
            });
    long total = uncheckedSize(portrait) + uncheckedSize(speech);
    assertThat(rec.progress).anySatisfy(p -> assertThat(p.bytesDone()).isEqualTo(total));
    assertThat(rec.progress).anySatisfy(p -> assertThat(p.state()).isEqualTo(JobState.DOWNLOADING));
    double last = 0;
    for (JobProgress p : rec.progress) {
      assertThat(p.fraction()).isGreaterThanOrEqualTo(last);
      last = p.fraction();
    }
    assertThat(job.progress().fraction()).isEqualTo(1.0);
  }

  @Test
  void generate_theFirstGeneratingProgress_saysWhatRuns_notABareGenerating() {
    RecordingListener rec = listen(new RecordingListener());
    studio.generate(request().build()).await(WAIT);

    List<JobProgress> generating =
        rec.progress.stream().filter(p -> p.state() == JobState.GENERATING).toList();
    assertThat(generating).isNotEmpty();
    assertThat(generating).extracting(JobProgress::message).doesNotContain("Generating");
    assertThat(generating.get(0).stage()).startsWith("Loading models");
  }

  @Test
  void generate_patchesTheWorkflow_withUploadedNamesSizeFramesSeedAndUniquePrefix()
      throws Exception {
    Path wide = Inputs.png(dir, "wide.png", 900, 600);
    GenerationJob job =
        studio.generate(request().image(wide).prompt("a man explains").seed(7).build());
    job.await(WAIT);

    JsonNode graph = historyGraph(job.id());
    assertThat(graph.get("1").get("inputs").get("image").asText()).isEqualTo("wide.png");
    assertThat(graph.get("2").get("inputs").get("audio").asText()).isEqualTo("speech.wav");
    assertThat(graph.get("3").get("inputs").get("value").asInt()).isEqualTo(832);
    assertThat(graph.get("4").get("inputs").get("value").asInt()).isEqualTo(480);
    assertThat(graph.get("5").get("inputs").get("value").asInt()).isEqualTo(100);
    assertThat(graph.get("21").get("inputs").get("positive_prompt").asText())
        .isEqualTo("a man explains");
    assertThat(graph.get("22").get("inputs").get("seed").asLong()).isEqualTo(7);
    assertThat(graph.get("24").get("inputs").get("filename_prefix").asText())
        .isEqualTo("OpenAvathar/" + job.id());
  }

  @Test
  void generate_usesTheNameTheServerReturns_whenItRenames() throws Exception {
    studio.generate(request().build()).await(WAIT);
    Path other = Inputs.png(dir.resolve("x"), "portrait.png", 600, 800);
    GenerationJob second = studio.generate(request().image(other).build());
    second.await(WAIT);
    assertThat(historyGraph(second.id()).get("1").get("inputs").get("image").asText())
        .isEqualTo("portrait (1).png");
  }

  @Test
  void generate_randomSeedIsRecorded_andDiffersBetweenJobs() {
    GenerationJob a = studio.generate(request().build());
    GenerationJob b = studio.generate(request().build());
    assertThat(a.await(WAIT).seed()).isEqualTo(a.seed());
    assertThat(b.await(WAIT).seed()).isNotEqualTo(a.seed());
  }

  @Test
  void generate_whenInputIsBad_throwsBeforeAnythingIsSent() {
    Path fake = Inputs.text(dir, "fake.png");
    assertThatThrownBy(() -> studio.generate(request().image(fake).build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("fake.png");
    Path tiny = Inputs.png(dir, "tiny.png", 200, 180);
    assertThatThrownBy(() -> studio.generate(request().image(tiny).build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("256");
    assertThat(sim.requests()).isEmpty();
  }

  @Test
  void generate_whenAudioExceedsTheFrameCap_refusesUnlessRaised() throws Exception {
    Path longSpeech = Inputs.wav(dir, "long.wav", 6.0);
    assertThatThrownBy(() -> studio.generate(request().audio(longSpeech).maxFrames(100).build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("long.wav")
        .hasMessageContaining("150 frames")
        .hasMessageContaining("raise the request's maxFrames to 150.")
        .satisfies(
            e -> assertThat(((InvalidInputException) e).setting()).contains(Setting.MAX_FRAMES))
        .satisfies(
            e ->
                assertThat(((InvalidInputException) e).getMessage(s -> "--max-frames"))
                    .endsWith("Shorten the audio or raise --max-frames to 150.")
                    .doesNotContain("maxFrames"));
    assertThat(sim.requests()).isEmpty();
    GeneratedVideo video =
        studio.generate(request().audio(longSpeech).maxFrames(150).build()).await(WAIT);
    assertThat(historyGraph(video.promptId()).path("5").path("inputs").path("value").asInt())
        .isEqualTo(150);
  }

  @Test
  void generate_whenComfyRejectsTheWorkflow_failsWithTheNodeErrors() {
    sim.rejectNextPrompt(
        "20",
        "WanVideoModelLoader",
        "value_not_in_list",
        "Value not in list",
        "model: 'WanVideo/wan2.1_i2v_480p_14B_fp8_scaled.safetensors' not in (list of length 27)");
    GenerationJob job = studio.generate(request().build());
    assertThatThrownBy(() -> job.await(WAIT))
        .isInstanceOf(WorkflowRejectedException.class)
        .hasMessageContaining("20")
        .hasMessageContaining("WanVideoModelLoader")
        .hasMessageContaining("not in (list of length 27)")
        .satisfies(
            e ->
                assertThat(((WorkflowRejectedException) e).nodeErrors())
                    .extracting(WorkflowRejectedException.NodeError::nodeId)
                    .containsExactly("20"));
    assertThat(job.state()).isEqualTo(JobState.FAILED);
  }

  @Test
  void generate_whenExecutionRunsOutOfMemory_failsWithAdvice() {
    sim.failNextExecution(
        "22", "torch.OutOfMemoryError", "Allocation on device 0 would exceed allowed memory.");
    GenerationJob job = studio.generate(request().build());
    assertThatThrownBy(() -> job.await(WAIT))
        .isInstanceOf(GenerationFailedException.class)
        .hasMessageContaining("out of memory")
        .hasMessageContaining("shorter audio")
        .satisfies(e -> assertThat(((OpenAvatharException) e).isRetryable()).isFalse());
  }

  @Test
  void cancel_whileGenerating_interruptsThePromptOnTheServer() throws Exception {
    sim.close();
    sim = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(50)).start();
    studio.close();
    studio = studio(sim);
    listen(new RecordingListener(JobState.GENERATING, GenerationJob::cancel));
    GenerationJob job = studio.generate(request().build());

    assertThatThrownBy(() -> job.await(WAIT)).isInstanceOf(JobCancelledException.class);
    assertThat(job.state()).isEqualTo(JobState.CANCELLED);
    RecordedRequest interrupt = awaitRequest("/interrupt");
    assertThat(interrupt.method()).isEqualTo("POST");
  }

  @Test
  void cancel_whilePending_removesThePromptFromTheQueue() throws Exception {
    sim.pauseExecution();
    GenerationJob job = studio.generate(request().build());
    awaitTrue(() -> sim.promptIdsSeen().contains(job.id()));

    assertThat(job.future().cancel(true)).isTrue();

    assertThat(job.state()).isEqualTo(JobState.CANCELLED);
    assertThatThrownBy(() -> job.await(WAIT)).isInstanceOf(JobCancelledException.class);
    awaitTrue(this::queueIsEmpty);
    sim.resumeExecution();
    assertThat(historyIsEmpty(job.id())).isTrue();
  }

  @Test
  void generate_whenTheSocketDrops_stillFinishes() {
    sim.dropWebSocketsAfter(3);
    GenerationJob job = studio.generate(request().build());
    assertThat(job.await(WAIT).file()).exists();
  }

  @Test
  void generate_whenTheSocketGoesSilent_finishesByPolling() {
    sim.silenceWebSockets(true);
    GenerationJob job = studio.generate(request().build());
    assertThat(job.await(WAIT).file()).exists();
  }

  @Test
  void generate_whenTheDownloadBreaks_resumesAndWritesTheWholeFile() throws Exception {
    sim.breakNextDownloadAfter(1000);
    GeneratedVideo video = studio.generate(request().build()).await(WAIT);
    Path served =
        Files.walk(sim.outputDirectory())
            .filter(p -> p.toString().endsWith("-audio.mp4"))
            .findFirst()
            .orElseThrow();
    assertThat(Files.readAllBytes(video.file())).isEqualTo(Files.readAllBytes(served));
    assertThat(sim.requests())
        .filteredOn(r -> r.path().endsWith("/view"))
        .hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void generate_whenNoServerAnswers_failsWithRemoteUnavailable() {
    sim.close();
    GenerationJob job = studio.generate(request().build());
    assertThatThrownBy(() -> job.await(WAIT))
        .isInstanceOf(RemoteUnavailableException.class)
        .hasMessageContaining("No ComfyUI server is ready")
        .hasMessageContaining(sim.baseUrl().toString());
  }

  @Test
  void generate_withUnknownTargetPod_failsNamingTheKnownPods() {
    GenerationJob job = studio.generate(request().targetPod("gpu-9").build());
    assertThatThrownBy(() -> job.await(WAIT))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("gpu-9")
        .hasMessageContaining("comfy-1");
  }

  @Test
  void generate_spreadsJobsOverServers_andHonoursTargetPod() throws Exception {
    try (ComfyUiSimulator second =
        ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start()) {
      studio.close();
      studio = studio(sim, second);
      sim.pauseExecution();
      second.pauseExecution();
      GenerationJob a = studio.generate(request().build());
      awaitTrue(() -> seen(a.id(), sim, second));
      GenerationJob b = studio.generate(request().build());
      awaitTrue(() -> seen(b.id(), sim, second));
      sim.resumeExecution();
      second.resumeExecution();
      assertThat(List.of(a.await(WAIT).podId(), b.await(WAIT).podId()))
          .containsExactlyInAnyOrder("comfy-1", "comfy-2");
      assertThat(studio.generate(request().targetPod("comfy-2").build()).await(WAIT).podId())
          .isEqualTo("comfy-2");
    }
  }

  @Test
  void generate_worksBehindAPathPrefix() {
    try (ComfyUiSimulator prefixed =
            ComfyUiSimulator.builder()
                .pathPrefix("/some/prefix")
                .stepDelay(Duration.ofMillis(1))
                .start();
        AvatarStudio s = studio(prefixed)) {
      assertThat(prefixed.baseUrl().getPath()).isEqualTo("/some/prefix");
      assertThat(s.generate(request().build()).await(WAIT).file()).exists();
    }
  }

  // --- helpers
  // ------------------------------------------------------------------------------------------------

  private JsonNode historyGraph(String promptId) throws Exception {
    try (Response r =
        new OkHttpClient()
            .newCall(new Request.Builder().url(sim.baseUrl() + "/history/" + promptId).build())
            .execute()) {
      return Json.mapper().readTree(r.body().string()).get(promptId).get("prompt").get(2);
    }
  }

  private boolean queueIsEmpty() throws Exception {
    try (Response r =
        new OkHttpClient()
            .newCall(new Request.Builder().url(sim.baseUrl() + "/queue").build())
            .execute()) {
      JsonNode q = Json.mapper().readTree(r.body().string());
      return q.get("queue_pending").isEmpty() && q.get("queue_running").isEmpty();
    }
  }

  private RecordedRequest awaitRequest(String pathSuffix) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      RecordedRequest r = sim.takeRequest(Duration.ofMillis(500));
      if (r != null && r.path().endsWith(pathSuffix) && r.method().equals("POST")) {
        return r;
      }
    }
    throw new AssertionError("no POST " + pathSuffix + " within " + WAIT);
  }

  private static boolean seen(String id, ComfyUiSimulator... sims) {
    return java.util.Arrays.stream(sims).anyMatch(s -> s.promptIdsSeen().contains(id));
  }

  /** Waits for an observable condition (bounded by WAIT), checking every few milliseconds. */
  private static void awaitTrue(Check condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(5);
    }
  }

  @FunctionalInterface
  private interface Check {
    boolean holds() throws Exception;
  }

  private boolean historyIsEmpty(String promptId) throws Exception {
    try (Response r =
        new OkHttpClient()
            .newCall(new Request.Builder().url(sim.baseUrl() + "/history/" + promptId).build())
            .execute()) {
      return Json.mapper().readTree(r.body().string()).isEmpty();
    }
  }

  private static long uncheckedSize(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
