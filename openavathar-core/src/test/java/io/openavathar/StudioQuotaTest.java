package io.openavathar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.license.LicenseClientStub;
import io.openavathar.license.LicenseStatus;
import io.openavathar.store.StudioStore;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quota: checked as the first step of a job, without blocking generate() (counting jobs in flight),
 * tracked once when it completes.
 */
class StudioQuotaTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  /** A free device with a server-side daily count, like the license server. */
  static final class FakeLicense extends LicenseClientStub {
    final AtomicInteger used = new AtomicInteger();
    final AtomicInteger tracks = new AtomicInteger();
    volatile boolean pro;
    final AtomicBoolean trackFails = new AtomicBoolean();
    volatile boolean down;

    /** When set, checks are answered only when the test completes the futures queued here. */
    volatile boolean hold;

    final java.util.concurrent.BlockingQueue<CompletableFuture<LicenseStatus>> held =
        new java.util.concurrent.LinkedBlockingQueue<>();

    @Override
    public CompletableFuture<LicenseStatus> check() {
      if (hold) {
        CompletableFuture<LicenseStatus> answer = new CompletableFuture<>();
        held.add(answer);
        return answer;
      }
      return status();
    }

    CompletableFuture<LicenseStatus> status() {
      if (down) {
        return CompletableFuture.failedFuture(
            new RemoteUnavailableException("license server unreachable (test)", null));
      }
      return CompletableFuture.completedFuture(
          pro
              ? LicenseStatus.pro(Optional.empty())
              : new LicenseStatus(
                  false,
                  used.get() < 1,
                  used.get(),
                  1,
                  Duration.ofHours(3).plusMinutes(54),
                  Optional.empty()));
    }

    final java.util.List<String> requestIds = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * When set, every track gets this answer (a future that never completes: a server that never
     * answers).
     */
    volatile CompletableFuture<Integer> answer;

    @Override
    public CompletableFuture<Integer> track(String requestId) {
      requestIds.add(requestId);
      return answer != null ? answer : track();
    }

    @Override
    public CompletableFuture<Integer> track() {
      tracks.incrementAndGet();
      if (trackFails.get()) {
        return CompletableFuture.failedFuture(new RemoteUnavailableException("down (test)", null));
      }
      return CompletableFuture.completedFuture(used.incrementAndGet());
    }

    @Override
    public Optional<String> upgradeUrl() {
      return Optional.of("https://openavathar.example/pro");
    }
  }

  @TempDir Path dir;
  ComfyUiSimulator sim;
  FakeLicense license = new FakeLicense();
  AvatarStudio studio;
  Path portrait;
  Path speech;

  @BeforeEach
  void setUp() {
    sim = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
    studio =
        AvatarStudio.builder()
            .dataDirectory(dir.resolve("data"))
            .comfyUrls(sim.baseUrl())
            .licenseClient(license)
            .build();
    portrait = Inputs.png(dir, "portrait.png", 512, 768);
    speech = Inputs.wav(dir, "speech.wav", 4.0);
  }

  @AfterEach
  void tearDown() {
    studio.close();
    sim.close();
  }

  GenerationRequest request() {
    return GenerationRequest.builder().image(portrait).audio(speech).build();
  }

  @Test
  void freeDevice_twoQuickSubmits_cannotBothTakeTheLastFreeVideo() {
    sim.pauseExecution();
    GenerationJob first = studio.generate(request());
    GenerationJob second = studio.generate(request());

    assertThatThrownBy(() -> second.await(WAIT))
        .isInstanceOf(QuotaExceededException.class)
        .hasMessageContaining("1 in progress")
        .hasMessageContaining("resets in 3h 54m")
        .hasMessageContaining("https://openavathar.example/pro")
        .satisfies(
            e ->
                assertThat(((QuotaExceededException) e).resetsIn())
                    .isEqualTo(Duration.ofMinutes(234)));

    sim.resumeExecution();
    first.await(WAIT);
    assertThat(license.tracks.get()).isEqualTo(1);
    assertThat(license.requestIds)
        .as("the job id is the track's idempotency key")
        .containsExactly(first.id());
    assertThat(studio.store().pendingTracks()).isEmpty();
    assertThatThrownBy(() -> studio.generate(request()).await(WAIT))
        .isInstanceOf(QuotaExceededException.class)
        .hasMessageContaining("1 used");
  }

  @Test
  void
      generate_returnsWithoutWaitingForTheLicenseServer_andAJobOverTheQuotaFailsBeforeAnythingIsSent()
          throws Exception {
    license.hold = true;
    license.used.set(1); // today's free video is used up

    GenerationJob job =
        studio.generate(request()); // returns although the license server has not answered

    assertThat(job.future()).isNotDone();
    CompletableFuture<LicenseStatus> check = license.held.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    check.complete(license.status().join());
    assertThatThrownBy(() -> job.await(WAIT))
        .isInstanceOf(QuotaExceededException.class)
        .hasMessageContaining("1 used");
    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(sim.requests()).as("nothing uploaded or queued").isEmpty();
  }

  @Test
  void twoSubmitsWaitingForTheLicenseServer_onlyTheFirstAnsweredTakesTheLastFreeVideo()
      throws Exception {
    license.hold = true;
    sim.pauseExecution();
    GenerationJob a = studio.generate(request());
    GenerationJob b = studio.generate(request().toBuilder().seed(3).build());
    CompletableFuture<LicenseStatus> checkA = license.held.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    CompletableFuture<LicenseStatus> checkB = license.held.poll(WAIT.toSeconds(), TimeUnit.SECONDS);

    checkB.complete(license.status().join()); // both saw 0 used; the first answered is admitted
    checkA.complete(license.status().join());

    assertThatThrownBy(() -> a.await(WAIT))
        .isInstanceOf(QuotaExceededException.class)
        .hasMessageContaining("1 in progress");
    sim.resumeExecution();
    assertThat(b.await(WAIT).file()).exists();
  }

  @Test
  void aFailedGeneration_doesNotUseUpTheFreeVideo() {
    sim.failNextExecution("22", "RuntimeException", "boom");
    GenerationJob failed = studio.generate(request());
    assertThatThrownBy(() -> failed.await(WAIT)).isInstanceOf(GenerationFailedException.class);
    assertThat(license.tracks.get()).isZero();
    assertThat(studio.generate(request().toBuilder().seed(5).build()).await(WAIT).file()).exists();
    assertThat(license.tracks.get()).isEqualTo(1);
  }

  @Test
  void aFailedTrack_staysPending_andIsSentAgainOnce() {
    license.trackFails.set(true);
    studio.generate(request()).await(WAIT);
    assertThat(studio.store().pendingTracks()).hasSize(1);
    // In flight for the quota too: the device cannot start another free video meanwhile.
    assertThatThrownBy(() -> studio.generate(request()).await(WAIT))
        .isInstanceOf(QuotaExceededException.class);

    license.trackFails.set(false);
    studio.close();
    studio =
        AvatarStudio.builder()
            .dataDirectory(dir.resolve("data"))
            .comfyUrls(sim.baseUrl())
            .licenseClient(license)
            .build(); // a new studio retries pending tracks when it starts
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!studio.store().pendingTracks().isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(studio.store().pendingTracks()).isEmpty();
    assertThat(license.used.get()).isEqualTo(1);
  }

  @Test
  void close_waitsForAnUnansweredTrack_onlyUpToItsBound_andTheTrackStaysPendingForTheNextStudio() {
    studio.close();
    Duration bound = Duration.ofMillis(300);
    studio =
        AvatarStudio.builder()
            .dataDirectory(dir.resolve("data"))
            .comfyUrls(sim.baseUrl())
            .licenseClient(license)
            .closeTrackTimeout(bound)
            .build();
    license.answer = new CompletableFuture<>(); // the server never answers
    GenerationJob job = studio.generate(request());
    job.await(WAIT);

    long start = System.nanoTime();
    studio.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).isGreaterThanOrEqualTo(bound).isLessThan(Duration.ofSeconds(5));
    try (StudioStore store = StudioStore.open(dir.resolve("data"))) {
      assertThat(store.pendingTracks()).containsExactly(job.id());
    }
  }

  @Test
  void aPendingTrackOfAnEarlierUtcDay_doesNotCountAgainstToday() {
    studio.close();
    try (StudioStore store = StudioStore.open(dir.resolve("data"))) {
      store.addPendingTrack("yesterday", java.time.Instant.now().minus(Duration.ofDays(1)));
    }
    studio =
        AvatarStudio.builder()
            .dataDirectory(dir.resolve("data"))
            .comfyUrls(sim.baseUrl())
            .licenseClient(license)
            .resumeOnStart(false)
            .build(); // nothing dropped it yet

    assertThat(studio.generate(request()).await(WAIT).file()).exists();
    assertThat(license.requestIds).hasSize(1).doesNotContain("yesterday");
  }

  @Test
  void closeTrackTimeout_mustNotBeNegative() {
    assertThatThrownBy(() -> AvatarStudio.builder().closeTrackTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("closeTrackTimeout");
  }

  @Test
  void proDevices_areNotCounted() {
    license.pro = true;
    studio.generate(request()).await(WAIT);
    studio.generate(request().toBuilder().seed(8).build()).await(WAIT);
    assertThat(studio.license()).isSameAs(license);
  }

  @Test
  void licenseServerUnreachable_failsBeforeAnythingIsSent() {
    license.down = true;
    GenerationJob job = studio.generate(request());
    assertThatThrownBy(() -> job.await(WAIT))
        .isInstanceOf(RemoteUnavailableException.class)
        .hasMessageContaining("license server unreachable");
    assertThat(sim.requests()).isEmpty();
  }
}
