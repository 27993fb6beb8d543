package io.openavathar;

import static io.openavathar.StudioResumeTest.FAST;
import static io.openavathar.StudioResumeTest.WAIT;
import static io.openavathar.StudioResumeTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.job.JobHolder;
import io.openavathar.store.JobRecord;
import io.openavathar.store.StudioStore;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a crash: claims of dead processes, claims held elsewhere, a job's outcome written at once,
 * and resuming on the server the job was submitted to.
 */
class CrashRecoveryTest {
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

  Path data() {
    return dir.resolve("data");
  }

  AvatarStudio.Builder builder(ComfyUiSimulator... sims) {
    return AvatarStudio.builder()
        .dataDirectory(data())
        .trackerOptions(FAST)
        .comfyUrls(java.util.Arrays.stream(sims).map(ComfyUiSimulator::baseUrl).toList());
  }

  GenerationRequest request() {
    return GenerationRequest.builder().image(portrait).audio(speech).seed(3).build();
  }

  /**
   * A job as a crash leaves it, claimed by {@code owner} (the claim's JSON) for an hour from {@code
   * now}.
   */
  String crashedJob(String owner, Instant now) {
    String id;
    try (AvatarStudio a = builder(sim).resumeOnStart(false).build()) {
      id = a.jobs().enqueue(request()).id();
      assertThat(a.store().claimJob(id, owner, now, Duration.ofHours(1))).isTrue();
    }
    return id;
  }

  static String owner(String host, long pid) {
    return "{\"studio\":\"s-1\",\"host\":\"" + host + "\",\"pid\":" + pid + "}";
  }

  static String thisHost() throws Exception {
    return InetAddress.getLocalHost().getHostName();
  }

  static long deadPid() throws Exception {
    Process p =
        new ProcessBuilder(javaBinary(), "-version")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.pid();
  }

  // --- claims ---

  @Test
  void killedStudio_onThisHost_itsJobIsResumedAtOnce_andItsPromptNotSubmittedAgain()
      throws Exception {
    sim.pauseExecution();
    Process child = crashedStudio(data(), sim.baseUrl(), portrait, speech, dir);
    String id;
    try {
      CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> readLine(child));
      id = firstLine.get(60, TimeUnit.SECONDS);
      awaitTrue(() -> sim.promptIdsSeen().contains(id));
    } finally {
      child.destroyForcibly(); // kill -9: no close, the claim stays with its 60 s lease
      child.waitFor(30, TimeUnit.SECONDS);
    }

    try (AvatarStudio b = builder(sim).build()) {
      GenerationJob resumed =
          b.jobs().handle(id).orElseThrow(() -> new AssertionError("not resumed at once"));
      sim.resumeExecution();
      assertThat(resumed.await(WAIT).file()).exists();
      assertThat(sim.promptIdsSeen()).containsExactly(id);
      assertThat(b.jobs().get(id).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    }
  }

  @Test
  void deadOwnerOnThisHost_cancelWorksAtOnce() throws Exception {
    String id = crashedJob(owner(thisHost(), deadPid()), Instant.now());
    try (AvatarStudio s = builder(sim).resumeOnStart(false).build()) {
      assertThat(s.jobs().holder(id)).isEmpty();
      assertThat(s.jobs().cancel(id)).isTrue();
      assertThat(s.jobs().get(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
    }
  }

  @Test
  void liveOwnerOnThisHost_isNotTakenOver() throws Exception {
    long self = ProcessHandle.current().pid();
    String id = crashedJob(owner(thisHost(), self), Instant.now());
    try (AvatarStudio s = builder(sim).build()) {
      assertThat(s.jobs().handle(id)).isEmpty();
      assertThat(s.jobs().cancel(id)).isFalse();
      assertThat(s.jobs().holder(id)).hasValueSatisfying(h -> assertThat(h.pid()).hasValue(self));
    }
  }

  @Test
  void ownerOnAnotherHost_isWaitedFor_andNamedWithItsLeaseEnd() {
    Instant now = Instant.parse("2026-12-06T05:41:10Z");
    String id = crashedJob(owner("gpu-box-7", 4242), now);
    try (AvatarStudio s = builder(sim).clock(Clock.fixed(now, ZoneOffset.UTC)).build()) {
      assertThat(s.jobs().handle(id)).isEmpty();
      assertThat(s.jobs().cancel(id)).isFalse();
      JobHolder holder = s.jobs().holder(id).orElseThrow();
      assertThat(holder.host()).isEqualTo("gpu-box-7");
      assertThat(holder.pid()).hasValue(4242);
      assertThat(holder.until()).isEqualTo(now.plus(Duration.ofHours(1)));
      assertThat(holder.description())
          .isEqualTo("a studio on host gpu-box-7 (pid 4242) until 2026-12-06 06:41:10 UTC");
    }
  }

  @Test
  void aJobItsHolderFinishedJustBeforeItsClaimExpired_isNotRunAgain() {
    String id = crashedJob(owner("gpu-box-7", 4242), Instant.now().minus(Duration.ofHours(2)));
    try (StudioStore real = StudioStore.open(data())) {
      // The holder records the end, then its claim lapses; this studio read the job as unfinished
      // just before.
      StudioStore racing =
          once(
              real,
              "claimJob",
              new AtomicBoolean(true),
              () ->
                  real.updateJob(
                      real.job(id).orElseThrow().toBuilder().state(JobState.COMPLETED).build()));
      try (AvatarStudio s = builder(sim).store(racing).build()) {
        assertThat(s.jobs().handle(id)).isEmpty();
        assertThat(s.jobs().get(id).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(real.claim(id)).isEmpty();
      }
    }
    assertThat(sim.promptIdsSeen()).isEmpty();
  }

  @Test
  void resumeWhenFree_waitsUntilTheOtherHostsLeaseExpires_thenRunsTheJob() throws Exception {
    Instant now = Instant.now();
    String id = crashedJob(owner("gpu-box-7", 4242), now);
    MutableClock clock = new MutableClock(now);
    try (AvatarStudio s = builder(sim).clock(clock).build()) {
      CompletableFuture<Optional<GenerationJob>> waiting = s.jobs().resumeWhenFree(id);
      assertThat(waiting).isNotDone();
      assertThat(s.jobs().handle(id)).isEmpty();

      clock.set(now.plus(Duration.ofHours(1)));
      GenerationJob job = waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS).orElseThrow();

      assertThat(job.id()).isEqualTo(id);
      assertThat(job.await(WAIT).file()).exists();
      assertThat(s.jobs().get(id).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    }
  }

  @Test
  void resumeWhenFree_whenTheOtherStudioFinishesTheJob_completesEmpty() throws Exception {
    Instant now = Instant.now();
    String id = crashedJob(owner("gpu-box-7", 4242), now);
    try (AvatarStudio s = builder(sim).build()) {
      CompletableFuture<Optional<GenerationJob>> waiting = s.jobs().resumeWhenFree(id);
      JobRecord record = s.store().job(id).orElseThrow();
      s.store().updateJob(record.toBuilder().state(JobState.COMPLETED).build());

      assertThat(waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
      assertThat(sim.promptIdsSeen()).isEmpty();
    }
  }

  @Test
  void resumeWhenFree_failsWhenTheStudioCloses_andForAnUnknownJob() throws Exception {
    String id = crashedJob(owner("gpu-box-7", 4242), Instant.now());
    CompletableFuture<Optional<GenerationJob>> waiting;
    try (AvatarStudio s = builder(sim).build()) {
      waiting = s.jobs().resumeWhenFree(id);
      assertThat(s.jobs().resumeWhenFree("ghost"))
          .failsWithin(WAIT)
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withCauseInstanceOf(IllegalArgumentException.class);
    }
    assertThat(waiting)
        .failsWithin(WAIT)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .withMessageContaining("closed");
  }

  // --- one writer for a job's outcome ---

  @Test
  void
      whenRecordingTheVideoFails_theJobIsNeitherCompletedNorHasAVideo_andTheNextStudioFinishesIt() {
    String id;
    try (StudioStore real = StudioStore.open(data())) {
      AtomicBoolean failOnce = new AtomicBoolean(true);
      StudioStore faulty =
          once(
              real,
              "completeJob",
              failOnce,
              () -> {
                throw new OpenAvatharException(
                    "studio.db failed to record the video: disk I/O error (injected)");
              });
      try (AvatarStudio a = builder(sim).store(faulty).build()) {
        GenerationJob job = a.generate(request());
        id = job.id();
        assertThatThrownBy(() -> job.await(WAIT))
            .isInstanceOf(OpenAvatharException.class)
            .hasMessageContaining("could not be recorded")
            .hasMessageContaining("disk I/O error (injected)");
        assertThat(failOnce).isFalse();
        assertThat(real.job(id).orElseThrow().state()).isEqualTo(JobState.DOWNLOADING);
        assertThat(real.video(id)).isEmpty();
      }
    }
    try (AvatarStudio b = builder(sim).build()) {
      GeneratedVideo video = b.jobs().handle(id).orElseThrow().await(WAIT);
      assertThat(b.jobs().get(id).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
      assertThat(b.videos().get(id)).contains(video);
      assertThat(sim.promptIdsSeen()).containsExactly(id);
    }
  }

  @Test
  void aJobsClaimIsGivenUp_beforeAnyoneHearsOfItsEnd() {
    // Whoever sees a job end (and closes this studio to open another) must find it free to take
    // over at once; a
    // claim given up after the future completed raced with that and left the job held by this live
    // process.
    try (StudioStore real = StudioStore.open(data())) {
      java.util.concurrent.atomic.AtomicReference<GenerationJob> handle =
          new java.util.concurrent.atomic.AtomicReference<>();
      java.util.List<Boolean> endSeenAtRelease = new java.util.concurrent.CopyOnWriteArrayList<>();
      AtomicBoolean watch = new AtomicBoolean(true);
      StudioStore watching =
          once(
              real,
              "releaseJob",
              watch,
              () -> endSeenAtRelease.add(handle.get().future().isDone()));
      try (AvatarStudio a = builder(sim).store(watching).build()) {
        GenerationJob job = a.generate(request());
        handle.set(job);
        job.await(WAIT);
        assertThat(real.claim(job.id())).isEmpty();
      }
      assertThat(endSeenAtRelease).containsExactly(false);
    }
  }

  @Test
  void aResumedJobWhoseVideoIsAlreadyStored_completesWithoutDownloadingAgain() {
    String id;
    try (AvatarStudio a = builder(sim).build()) {
      GenerationJob job = a.generate(request());
      id = job.id();
      job.await(WAIT);
      // What an older SDK left when it crashed between inserting the video and recording the job's
      // end.
      JobRecord done = a.store().job(id).orElseThrow();
      a.store().updateJob(done.toBuilder().state(JobState.DOWNLOADING).build());
    }
    long downloads = downloads();

    try (AvatarStudio b = builder(sim).build()) {
      // Nothing to wait for: the stored video completes the job as it resumes.
      JobRecord record = b.store().job(id).orElseThrow();
      assertThat(record.state()).isEqualTo(JobState.COMPLETED);
      assertThat(record.errorMessage()).isEmpty();
      assertThat(b.videos().get(id)).isPresent();
      assertThat(b.jobs().log(id)).last().isEqualTo("COMPLETED");
    }
    assertThat(downloads()).isEqualTo(downloads);
    assertThat(sim.promptIdsSeen()).containsExactly(id);
  }

  long downloads() {
    return sim.requests().stream().filter(r -> r.path().endsWith("/view")).count();
  }

  // --- the server a job was submitted to ---

  @Test
  void restart_withTheComfyUrlsReordered_reattachesToTheServerTheJobWasSubmittedTo()
      throws Exception {
    ComfyUiSimulator second = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
    try {
      sim.pauseExecution();
      second.pauseExecution();
      String id;
      try (AvatarStudio a = builder(sim, second).build()) {
        GenerationJob job = a.generate(request());
        id = job.id();
        awaitTrue(() -> sim.promptIdsSeen().contains(id) || second.promptIdsSeen().contains(id));
        assertThat(a.store().job(id).orElseThrow().comfyUrl())
            .hasValueSatisfying(
                url -> assertThat(url).isIn(sim.baseUrl().toString(), second.baseUrl().toString()));
      }
      ComfyUiSimulator used = sim.promptIdsSeen().contains(id) ? sim : second;
      ComfyUiSimulator other = used == sim ? second : sim;
      sim.resumeExecution();
      second.resumeExecution();

      try (AvatarStudio b = builder(other, used).build()) { // the URLs in the other order
        GeneratedVideo video = b.jobs().handle(id).orElseThrow().await(WAIT);
        assertThat(video.file()).exists();
        assertThat(used.promptIdsSeen()).containsExactly(id);
        assertThat(other.promptIdsSeen()).isEmpty();
        assertThat(b.store().job(id).orElseThrow().comfyUrl()).contains(used.baseUrl().toString());
      }
    } finally {
      second.close();
    }
  }

  // --- helpers ---

  /**
   * {@code store} that runs {@code action} before its first call of {@code method} (while {@code
   * pending} is set).
   */
  static StudioStore once(
      StudioStore store, String method, AtomicBoolean pending, Runnable action) {
    return (StudioStore)
        Proxy.newProxyInstance(
            StudioStore.class.getClassLoader(),
            new Class<?>[] {StudioStore.class},
            (proxy, m, args) -> {
              if (m.getName().equals(method) && pending.compareAndSet(true, false)) {
                action.run();
              }
              try {
                return m.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  static String readLine(Process child) {
    try {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line = in.readLine();
      if (line == null) {
        throw new AssertionError("the child studio ended without printing a job id");
      }
      return line.trim();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * {@link CrashedStudioMain} in a JVM of its own: one job on {@code comfyUrl}, its id on its first
   * line; its stderr in {@code dir}.
   */
  static Process crashedStudio(
      Path data, java.net.URI comfyUrl, Path portrait, Path speech, Path dir)
      throws java.io.IOException {
    return new ProcessBuilder(
            javaBinary(),
            "-cp",
            testClassPath(),
            CrashedStudioMain.class.getName(),
            data.toString(),
            comfyUrl.toString(),
            portrait.toString(),
            speech.toString())
        .redirectError(dir.resolve("child-stderr.txt").toFile())
        .start();
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Surefire's real test class path (java.class.path may be a manifest-only booter jar). */
  static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;

    MutableClock(Instant start) {
      this.now = new AtomicReference<>(start);
    }

    void set(Instant instant) {
      now.set(instant);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }
}
