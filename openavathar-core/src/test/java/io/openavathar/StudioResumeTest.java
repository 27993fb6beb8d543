package io.openavathar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.comfy.PromptTracker;
import io.openavathar.store.JobQuery;
import io.openavathar.store.JobRecord;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash and restart, pod death, two studios on one data directory. */
class StudioResumeTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final PromptTracker.Options FAST =
      new PromptTracker.Options(
          Duration.ofMillis(50),
          Duration.ofMillis(200),
          Duration.ofSeconds(5),
          Duration.ofSeconds(1));

  @TempDir Path dir;
  ComfyUiSimulator sim;
  Path portrait;
  Path speech;

  @BeforeEach
  void setUp() {
    sim = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
    portrait = Inputs.png(dir, "portrait.png", 512, 768);
    speech = Inputs.wav(dir, "speech.wav", 4.0);
  }

  @AfterEach
  void tearDown() {
    sim.close();
  }

  AvatarStudio studio(ComfyUiSimulator... sims) {
    return AvatarStudio.builder()
        .dataDirectory(dir.resolve("data"))
        .trackerOptions(FAST)
        .comfyUrls(java.util.Arrays.stream(sims).map(ComfyUiSimulator::baseUrl).toList())
        .build();
  }

  GenerationRequest request() {
    return GenerationRequest.builder().image(portrait).audio(speech).seed(3).build();
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(5); // polling an observable condition, bounded by WAIT
    }
  }

  /**
   * Submits with execution paused, so the job is SUBMITTED with its prompt pending, then "crashes"
   * the studio.
   */
  String submitThenCrash() throws Exception {
    sim.pauseExecution();
    String id;
    try (AvatarStudio a = studio(sim)) {
      GenerationJob job = a.generate(request());
      id = job.id();
      awaitTrue(() -> sim.promptIdsSeen().contains(id));
    }
    return id;
  }

  boolean historyHas(String promptId) {
    try (okhttp3.Response r =
        new okhttp3.OkHttpClient()
            .newCall(
                new okhttp3.Request.Builder().url(sim.baseUrl() + "/history/" + promptId).build())
            .execute()) {
      return r.body().string().contains(promptId);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  long historyPolls(String promptId) {
    return sim.requests().stream()
        .filter(r -> r.method().equals("GET") && r.path().equals("/history/" + promptId))
        .count();
  }

  JobRecord record(AvatarStudio s, String id) {
    return s.store().job(id).orElseThrow();
  }

  @Test
  void restart_whilePending_reattachesByPromptId_andNeverSubmitsTwice() throws Exception {
    String id = submitThenCrash();
    try (AvatarStudio b = studio(sim)) {
      GenerationJob resumed = b.jobs().handle(id).orElseThrow();
      sim.resumeExecution();
      GeneratedVideo video = resumed.await(WAIT);

      assertThat(video.file()).exists();
      assertThat(sim.promptIdsSeen()).containsExactly(id);
      assertThat(record(b, id).state()).isEqualTo(JobState.COMPLETED);
      assertThat(record(b, id).attempt()).isEqualTo(1);
    }
  }

  @Test
  void restart_listensUnderTheClientIdThePromptWasSentWith_soSamplerStepsAreSeenAgain()
      throws Exception {
    String id = submitThenCrash();
    long pollsBefore = historyPolls(id);
    try (AvatarStudio b = studio(sim)) {
      GenerationJob resumed = b.jobs().handle(id).orElseThrow();
      java.util.List<JobProgress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      resumed.addListener(
          new JobListener() {
            @Override
            public void onProgress(GenerationJob job, JobProgress progress) {
              seen.add(progress);
            }
          });
      // ComfyUI sends a prompt's progress only to the client id it was submitted with.
      awaitTrue(() -> sim.connectedWebSockets() == 1);
      // The tracker polls the prompt's history right after it subscribes to the socket: from then
      // on
      // it hears every event (events sent before it follows the prompt are not replayed).
      awaitTrue(() -> historyPolls(id) > pollsBefore);
      sim.resumeExecution();
      resumed.await(WAIT);

      assertThat(record(b, id).clientId()).isPresent();
      assertThat(seen)
          .as("sampler steps of the resumed job")
          .anyMatch(p -> p.state() == JobState.GENERATING && p.step() > 0);
    }
  }

  @Test
  void restart_whenThePromptFinishesBetweenTheLookups_reattachesInsteadOfSubmittingAgain()
      throws Exception {
    String id = submitThenCrash();
    // The prompt finishes just after the server answered the resumed job's history lookup: asked
    // history first and
    // the queue second, it is in neither, and the job would be run (and paid for) twice.
    sim.afterNextAnswer(
        "GET",
        "/history/" + id,
        () -> {
          sim.resumeExecution();
          try {
            awaitTrue(() -> historyHas(id));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    try (AvatarStudio b = studio(sim)) {
      GeneratedVideo video = b.jobs().handle(id).orElseThrow().await(WAIT);
      assertThat(video.file()).exists();
      assertThat(sim.promptIdsSeen()).containsExactly(id);
      assertThat(record(b, id).attempt()).isEqualTo(1);
    }
  }

  @Test
  void restart_afterThePromptFinishedUnseen_downloadsItFromHistory() throws Exception {
    String id = submitThenCrash();
    sim.resumeExecution();
    awaitTrue(() -> historyHas(id));
    try (AvatarStudio b = studio(sim)) {
      GeneratedVideo video = b.jobs().handle(id).orElseThrow().await(WAIT);
      assertThat(video.file()).exists();
      assertThat(sim.promptIdsSeen()).containsExactly(id);
    }
  }

  @Test
  void restart_whenTheServerLostThePrompt_submitsItAgainOnce() throws Exception {
    String id = submitThenCrash();
    sim.restart();
    sim.resumeExecution();
    try (AvatarStudio b = studio(sim)) {
      GeneratedVideo video = b.jobs().handle(id).orElseThrow().await(WAIT);
      assertThat(video.file()).exists();
      assertThat(sim.promptIdsSeen()).hasSize(2).startsWith(id);
      assertThat(record(b, id).attempt()).isEqualTo(2);
      assertThat(record(b, id).promptId()).contains(sim.promptIdsSeen().get(1));
    }
  }

  @Test
  void restart_whenThePodIsGone_movesTheJobToAnotherPod() throws Exception {
    ComfyUiSimulator second = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
    try {
      sim.pauseExecution();
      String id;
      try (AvatarStudio a = studio(sim, second)) {
        GenerationJob job = a.generate(request());
        id = job.id();
        awaitTrue(() -> sim.promptIdsSeen().contains(id));
      }
      sim.close(); // comfy-1 died while no studio ran
      try (AvatarStudio b = studio(sim, second)) {
        GeneratedVideo video = b.jobs().handle(id).orElseThrow().await(WAIT);
        assertThat(video.podId()).isEqualTo("comfy-2");
        assertThat(second.promptIdsSeen()).hasSize(1);
        assertThat(record(b, id).attempt()).isEqualTo(2);
      }
    } finally {
      second.close();
    }
  }

  @Test
  void restart_atEachStateBeforeSubmission_startsOver() throws Exception {
    for (JobState state : List.of(JobState.QUEUED, JobState.WAITING_FOR_POD, JobState.UPLOADING)) {
      String id = "crashed-in-" + state;
      try (AvatarStudio a = studio(sim)) {
        // What a crash in this state leaves behind: the record, no prompt id.
        a.store()
            .insertJob(
                JobRecord.builder(id)
                    .state(state)
                    .requestJson(
                        "{\"v\":1,\"image\":\""
                            + portrait.toAbsolutePath()
                            + "\",\"audio\":\""
                            + speech.toAbsolutePath()
                            + "\",\"prompt\":\"a person is speaking\",\"orientation\":\"AUTO\"}")
                    .seed(11)
                    .outputFile(dir.resolve(id + ".mp4").toString())
                    .createdAt(Instant.now())
                    .updatedAt(Instant.now())
                    .build());
      }
      try (AvatarStudio b = studio(sim)) {
        GeneratedVideo video = b.jobs().handle(id).orElseThrow().await(WAIT);
        assertThat(video.file()).isEqualTo(dir.resolve(id + ".mp4"));
        assertThat(video.seed()).isEqualTo(11);
        assertThat(record(b, id).state()).isEqualTo(JobState.COMPLETED);
      }
    }
  }

  @Test
  void restart_whenAnInputFileIsGone_failsTheJobSayingSo() throws Exception {
    String id = submitThenCrash();
    sim.restart();
    java.nio.file.Files.delete(speech);
    try (AvatarStudio b = studio(sim)) {
      assertThat(b.jobs().handle(id)).isEmpty();
      JobRecord r = record(b, id);
      assertThat(r.state()).isEqualTo(JobState.FAILED);
      assertThat(r.errorMessage().orElseThrow())
          .contains("Could not resume")
          .contains("speech.wav");
    }
  }

  @Test
  void podDeathMidJob_movesTheJobToAnotherPod() throws Exception {
    ComfyUiSimulator second = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
    try (AvatarStudio s = studio(sim, second)) {
      sim.pauseExecution();
      GenerationJob job = s.generate(request());
      awaitTrue(() -> sim.promptIdsSeen().contains(job.id()));
      sim.close(); // the pod dies with the prompt on it

      GeneratedVideo video = job.await(WAIT);

      assertThat(video.podId()).isEqualTo("comfy-2");
      assertThat(second.promptIdsSeen()).hasSize(1).doesNotContain(job.id());
      assertThat(record(s, job.id()).attempt()).isEqualTo(2);
      assertThat(s.jobs().log(job.id())).anyMatch(l -> l.contains("moving the job to another pod"));
    } finally {
      second.close();
    }
  }

  @Test
  void podDeath_withNoOtherPod_failsAfterTheRetryBudget() throws Exception {
    try (AvatarStudio s = studio(sim)) {
      sim.pauseExecution();
      GenerationJob job = s.generate(request());
      awaitTrue(() -> sim.promptIdsSeen().contains(job.id()));
      sim.close();
      assertThatThrownBy(() -> job.await(WAIT)).isInstanceOf(RemoteUnavailableException.class);
      assertThat(record(s, job.id()).state()).isEqualTo(JobState.FAILED);
    }
  }

  @Test
  void twoStudiosOnOneDataDirectory_neverRunTheSameJob() throws Exception {
    sim.pauseExecution();
    try (AvatarStudio a = studio(sim)) {
      GenerationJob job = a.generate(request());
      awaitTrue(() -> sim.promptIdsSeen().contains(job.id()));
      try (AvatarStudio b = studio(sim)) {
        assertThat(b.jobs().handle(job.id())).isEmpty();
        assertThat(b.jobs().get(job.id())).isPresent();
        assertThat(b.jobs().cancel(job.id())).isFalse();
      }
      sim.resumeExecution();
      job.await(WAIT);
      assertThat(sim.promptIdsSeen()).containsExactly(job.id());
    }
  }

  @Test
  void jobs_listFilterPage_cancelStored_andRetry() throws Exception {
    try (AvatarStudio s = studio(sim)) {
      GenerationJob done = s.generate(request());
      done.await(WAIT);
      sim.failNextExecution("22", "RuntimeException", "boom");
      // Another seed: an identical graph would be served from ComfyUI's cache, without running node
      // 22.
      GenerationJob failed = s.generate(request().toBuilder().seed(4).build());
      assertThatThrownBy(() -> failed.await(WAIT)).isInstanceOf(GenerationFailedException.class);

      assertThat(s.jobs().list(JobQuery.newest(10)))
          .extracting(io.openavathar.job.JobInfo::id)
          .containsExactly(failed.id(), done.id());
      assertThat(s.jobs().list(new JobQuery(Set.of(JobState.FAILED), 0, 10)))
          .extracting(io.openavathar.job.JobInfo::id)
          .containsExactly(failed.id());
      assertThat(s.jobs().list(new JobQuery(Set.of(), 1, 1)))
          .extracting(io.openavathar.job.JobInfo::id)
          .containsExactly(done.id());

      GenerationJob again = s.jobs().retry(failed.id());
      assertThat(again.seed()).isEqualTo(failed.seed());
      assertThat(again.await(WAIT).file()).exists();
      assertThatThrownBy(() -> s.jobs().retry(done.id()))
          .hasMessageContaining("only FAILED or CANCELLED");
    }
    String stale = submitThenCrash();
    try (AvatarStudio c =
        AvatarStudio.builder()
            .dataDirectory(dir.resolve("data"))
            .resumeOnStart(false)
            .comfyUrls(sim.baseUrl())
            .build()) {
      assertThat(c.jobs().cancel(stale)).isTrue();
      assertThat(c.jobs().get(stale).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
    }
  }
}
