package io.openavathar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.internal.Json;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.comfy.NodeHold;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cancel is done only when ComfyUI confirmed it; close() does not cut a cancel off. */
class StudioCancelTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  /**
   * The frames node (WanVideoPassImagesFromSamples) runs between the sampler and the video node,
   * without ticks.
   */
  static final String FRAMES_NODE = "23";

  @TempDir Path dir;
  ComfyUiSimulator sim;
  AvatarStudio studio;
  Path portrait;
  Path speech;

  @BeforeEach
  void setUp() {
    sim = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
    studio = studio(JobListener.NONE, Duration.ofSeconds(20));
    portrait = Inputs.png(dir, "portrait.png", 512, 768);
    speech = Inputs.wav(dir, "speech.wav", 2.0);
  }

  AvatarStudio studio(JobListener listener, Duration cancelTimeout) {
    return AvatarStudio.builder()
        .dataDirectory(dir.resolve("data"))
        .outputDirectory(dir.resolve("out"))
        .trackerOptions(AvatarStudioTest.FAST_POLLS)
        .listener(listener)
        .cancelTimeout(cancelTimeout)
        .comfyUrls(sim.baseUrl())
        .build();
  }

  @AfterEach
  void tearDown() {
    studio.close();
    sim.close();
  }

  GenerationJob generate() {
    return studio.generate(GenerationRequest.builder().image(portrait).audio(speech).build());
  }

  @Test
  void cancel_ofARunningPrompt_isInterruptedOnlyWhenTheServerStoppedIt() throws Exception {
    NodeHold frames = sim.holdNode(FRAMES_NODE);
    CountDownLatch interruptAnswered = new CountDownLatch(1);
    sim.afterNextAnswer("POST", "/interrupt", interruptAnswered::countDown);
    GenerationJob job = generate();
    frames.awaitReached(WAIT);

    assertThat(job.cancel()).isTrue();

    assertThat(job.state()).isEqualTo(JobState.CANCELLED);
    assertThatThrownBy(() -> job.await(WAIT)).isInstanceOf(JobCancelledException.class);
    assertThat(interruptAnswered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    // The server got the interrupt, but the prompt runs on until its node ends: not confirmed yet.
    assertThat(job.cancellation()).isNotDone();
    assertThat(queue().get("queue_running")).hasSize(1);

    frames.release();
    CancelOutcome outcome = job.cancellation().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(outcome.kind()).isEqualTo(CancelOutcome.Kind.INTERRUPTED);
    assertThat(outcome.isConfirmed()).isTrue();
    assertThat(outcome.promptId()).contains(job.id());
    assertThat(outcome.podId()).contains("comfy-1");
    assertThat(outcome.message()).contains("interrupted prompt " + job.id());
    assertThat(historyStatus(job.id()).get(0).asText()).isEqualTo("execution_interrupted");
    assertThat(queue().get("queue_running")).isEmpty();
    assertThat(mp4sOnTheServer()).isEmpty();
    assertThat(studio.store().jobLog(job.id()))
        .anyMatch(line -> line.contains("Cancel INTERRUPTED"));
    assertThat(job.cancel()).isFalse();
  }

  @Test
  void cancel_ofAPendingPrompt_deletesIt_andItNeverRuns() throws Exception {
    GenerationJob job = generatePending();

    assertThat(job.cancel()).isTrue();
    CancelOutcome outcome = job.cancellation().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(outcome.kind()).isEqualTo(CancelOutcome.Kind.DEQUEUED);
    assertThat(queue().get("queue_pending")).isEmpty();
    assertThat(sim.requests()).noneMatch(r -> r.route().equals("/interrupt"));
    // Let the worker go: a later prompt runs to its end, the deleted one never ran.
    sim.resumeExecution();
    GenerationJob next = generate();
    next.await(WAIT);
    assertThat(historyOf(job.id())).isEqualTo("{}");
    assertThat(mp4sOnTheServer()).hasSize(1);
  }

  @Test
  void close_rightAfterCancellingARunningPrompt_waitsUntilTheServerStoppedIt() throws Exception {
    NodeHold frames = sim.holdNode(FRAMES_NODE);
    sim.afterNextAnswer(
        "POST", "/interrupt", frames::release); // the node ends once the interrupt is in
    GenerationJob job = generate();
    frames.awaitReached(WAIT);

    job.cancel();
    studio.close();

    assertThat(job.cancellation()).isDone(); // close() returned only once the server confirmed
    assertThat(job.cancellation().join().kind()).isEqualTo(CancelOutcome.Kind.INTERRUPTED);
    List<String> seen = sim.requests().stream().map(r -> r.method() + " " + r.route()).toList();
    assertThat(seen).contains("POST /interrupt");
    assertThat(historyStatus(job.id()).get(0).asText()).isEqualTo("execution_interrupted");
    assertThat(mp4sOnTheServer()).isEmpty();
  }

  @Test
  void close_rightAfterCancellingAPendingPrompt_deletesItFirst() throws Exception {
    GenerationJob job = generatePending();

    job.cancel();
    studio.close();

    assertThat(job.cancellation()).isDone();
    assertThat(job.cancellation().join().kind()).isEqualTo(CancelOutcome.Kind.DEQUEUED);
    assertThat(sim.requests())
        .anyMatch(r -> r.method().equals("POST") && r.route().equals("/queue"));
    assertThat(queue().get("queue_pending")).isEmpty();
    sim.resumeExecution();
    assertThat(historyOf(job.id())).isEqualTo("{}");
    assertThat(mp4sOnTheServer()).isEmpty();
  }

  @Test
  void cancel_whenTheServerIsGone_isUnconfirmed_andSaysHowToStopThePrompt() throws Exception {
    studio.close();
    studio = studio(JobListener.NONE, Duration.ofMillis(300));
    NodeHold frames = sim.holdNode(FRAMES_NODE);
    GenerationJob job = generate();
    frames.awaitReached(WAIT);
    String server = sim.baseUrl().toString();
    sim.close(); // the server stops answering

    assertThat(job.cancel()).isTrue();
    CancelOutcome outcome = job.cancellation().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(outcome.kind()).isEqualTo(CancelOutcome.Kind.UNCONFIRMED);
    assertThat(outcome.isConfirmed()).isFalse();
    assertThat(outcome.server()).contains(server);
    assertThat(outcome.message())
        .contains("may still be queued or running on ComfyUI at " + server + " (pod comfy-1)")
        .containsAnyOf("did not answer within 300 ms", "could not be reached within 300 ms")
        .contains("POST " + server + "/interrupt")
        .contains(job.id());
    assertThat(studio.store().jobLog(job.id()))
        .anyMatch(line -> line.contains("Cancel UNCONFIRMED"));
  }

  @Test
  void cancel_beforeSubmission_reachesNothing() throws Exception {
    studio.close();
    RecordingListener rec = new RecordingListener(JobState.UPLOADING, GenerationJob::cancel);
    studio = studio(rec, Duration.ofSeconds(20));
    GenerationJob job = generate();

    CancelOutcome outcome = job.cancellation().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(outcome.kind()).isEqualTo(CancelOutcome.Kind.NOT_SUBMITTED);
    assertThat(outcome.promptId()).isEmpty();
    studio.close();
    assertThat(sim.promptIdsSeen()).doesNotContain(job.id());
    assertThat(sim.requests()).noneMatch(r -> r.route().equals("/interrupt"));
  }

  @Test
  void cancel_ofAJobNoStudioRuns_stopsThePromptAnEarlierRunSubmitted() throws Exception {
    NodeHold frames = sim.holdNode(FRAMES_NODE);
    GenerationJob job = generate();
    frames.awaitReached(WAIT);
    studio.close(); // the job stays unfinished in the store; its prompt runs on
    studio =
        AvatarStudio.builder()
            .dataDirectory(dir.resolve("data"))
            .resumeOnStart(false)
            .comfyUrls(java.net.URI.create("http://127.0.0.1:9"))
            .build(); // like `openavathar jobs cancel`
    sim.afterNextAnswer("POST", "/interrupt", frames::release);

    assertThat(studio.jobs().cancel(job.id())).isTrue();
    studio.close();

    try (io.openavathar.store.StudioStore store =
        io.openavathar.store.StudioStore.open(dir.resolve("data"))) {
      assertThat(store.jobLog(job.id())).anyMatch(line -> line.contains("Cancel INTERRUPTED"));
    }
    assertThat(historyStatus(job.id()).get(0).asText()).isEqualTo("execution_interrupted");
    assertThat(mp4sOnTheServer()).isEmpty();
  }

  @Test
  void cancel_ofAResumedJob_beforeItReachesItsServer_stopsThePromptAnEarlierRunSubmitted()
      throws Exception {
    NodeHold frames = sim.holdNode(FRAMES_NODE);
    GenerationJob job = generate();
    frames.awaitReached(WAIT);
    studio.close(); // the job stays unfinished in the store; its prompt runs on
    sim.afterNextAnswer("POST", "/interrupt", frames::release);
    CompletableFuture<CompletableFuture<CancelOutcome>> cancelled = new CompletableFuture<>();

    // The next studio resumes the job and cancels it as it starts looking for its pod, before it
    // re-attached to its prompt.
    studio =
        studio(
            new RecordingListener(
                JobState.WAITING_FOR_POD,
                resumed -> {
                  resumed.cancel();
                  cancelled.complete(resumed.cancellation());
                }),
            Duration.ofSeconds(20));
    CancelOutcome outcome =
        cancelled
            .get(WAIT.toMillis(), TimeUnit.MILLISECONDS)
            .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(outcome.kind()).isEqualTo(CancelOutcome.Kind.INTERRUPTED);
    assertThat(outcome.promptId()).contains(job.id());
    assertThat(historyStatus(job.id()).get(0).asText()).isEqualTo("execution_interrupted");
    assertThat(studio.store().jobLog(job.id()))
        .anyMatch(line -> line.contains("Cancel INTERRUPTED"));
    assertThat(studio.store().job(job.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
    assertThat(mp4sOnTheServer()).isEmpty();
  }

  @Test
  void cancel_afterTheJobEnded_isFinishedFirst() throws Exception {
    GenerationJob job = generate();
    job.await(WAIT);

    assertThat(job.cancel()).isFalse();

    assertThat(job.cancellation().get(WAIT.toMillis(), TimeUnit.MILLISECONDS).kind())
        .isEqualTo(CancelOutcome.Kind.FINISHED_FIRST);
  }

  @Test
  void cancelOutcome_isAValue() {
    CancelOutcome a =
        CancelOutcome.builder("j", CancelOutcome.Kind.DEQUEUED)
            .message("m")
            .promptId("p")
            .server("http://h")
            .podId("pod")
            .build();
    assertThat(a).isEqualTo(a.toBuilder().build()).hasSameHashCodeAs(a.toBuilder().build());
    assertThat(a).isNotEqualTo(a.toBuilder().podId(null).build());
    assertThat(a.toString()).contains("DEQUEUED", "pod", "http://h", "m");
    assertThatThrownBy(() -> CancelOutcome.builder("j", CancelOutcome.Kind.DEQUEUED).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("message");
  }

  private JsonNode queue() throws Exception {
    return Json.mapper().readTree(get("/queue"));
  }

  private String historyOf(String id) throws Exception {
    return get("/history/" + id);
  }

  /** The last status message of a prompt's history entry. */
  private JsonNode historyStatus(String id) throws Exception {
    JsonNode messages = Json.mapper().readTree(historyOf(id)).get(id).get("status").get("messages");
    return messages.get(messages.size() - 1);
  }

  private String get(String path) throws Exception {
    try (Response r =
        new OkHttpClient()
            .newCall(new Request.Builder().url(sim.baseUrl() + path).build())
            .execute()) {
      return r.body().string();
    }
  }

  private List<Path> mp4sOnTheServer() throws Exception {
    try (Stream<Path> files = Files.walk(sim.outputDirectory())) {
      return files.filter(f -> f.toString().endsWith(".mp4")).toList();
    }
  }

  /** Starts a job while the worker is paused and returns once ComfyUI has accepted its prompt. */
  private GenerationJob generatePending() throws InterruptedException {
    sim.pauseExecution();
    CountDownLatch accepted = new CountDownLatch(1);
    sim.afterNextAnswer("POST", "/prompt", accepted::countDown);
    GenerationJob job = generate();
    assertThat(accepted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    return job;
  }
}
