package io.openavathar.runpod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.AvatarStudio;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationJob;
import io.openavathar.GenerationRequest;
import io.openavathar.JobListener;
import io.openavathar.JobProgress;
import io.openavathar.JobState;
import io.openavathar.MissingNodesException;
import io.openavathar.PodProvisioningException;
import io.openavathar.pod.CloudType;
import io.openavathar.pod.PodPolicy;
import io.openavathar.pod.PodSpec;
import io.openavathar.testkit.comfy.ComfyUiSimulatorBuilder;
import io.openavathar.testkit.runpod.RunPodSimulator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product's "auto-start" flow end to end: AvatarStudio + RunPodPodProvider + the RunPod
 * simulator.
 */
class RunPodStudioTest {
  static final String KEY = "rpa_TESTKEY0123456789ABCDEFGHIJ";
  static final Duration WAIT = Duration.ofSeconds(30);

  /** A clock the test moves by hand (for idle stop and ready timeouts); starts at the real time. */
  static final class TestClock extends Clock {
    volatile Instant now = Instant.now();

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @TempDir Path dir;
  RunPodSimulator runpod;
  RunPodPodProvider provider;
  AvatarStudio studio;
  final TestClock clock = new TestClock();
  final List<String> messages = new CopyOnWriteArrayList<>();
  Path image;
  Path audio;

  @BeforeEach
  void setUp() throws Exception {
    runpod = fastSimulator();
    provider =
        RunPodPodProvider.builder()
            .apiKey(KEY)
            .apiUrl(runpod.apiUrl())
            .proxyUrlPattern(runpod.proxyUrlPattern())
            .initialBackoff(Duration.ofMillis(10))
            .build();
    image = dir.resolve("face.png");
    audio = dir.resolve("speech.wav");
    writeMedia(image, audio);
  }

  /** A RunPod simulator whose pods boot in a few hundred milliseconds. */
  static RunPodSimulator fastSimulator() {
    return RunPodSimulator.builder()
        .apiKey(KEY)
        .provisioningDelay(Duration.ofMillis(50))
        .startingDelay(Duration.ofMillis(50))
        .runtimeDelay(Duration.ofMillis(50))
        .comfyReadyDelay(Duration.ofMillis(100))
        .comfyStepDelay(Duration.ofMillis(1))
        .start();
  }

  /** A 512x768 PNG portrait and 3 s of silent 16 kHz speech. */
  static void writeMedia(Path image, Path audio) throws java.io.IOException {
    ImageIO.write(new BufferedImage(512, 768, BufferedImage.TYPE_INT_RGB), "png", image.toFile());
    byte[] pcm = new byte[16_000 * 2 * 3];
    AudioFormat f = new AudioFormat(16_000, 16, 1, true, false);
    AudioSystem.write(
        new AudioInputStream(new ByteArrayInputStream(pcm), f, pcm.length / 2),
        AudioFileFormat.Type.WAVE,
        audio.toFile());
  }

  AvatarStudio studio(PodPolicy policy) {
    return AvatarStudio.builder()
        .dataDirectory(dir.resolve("data"))
        .podProvider(provider)
        .podPolicy(policy)
        .clock(clock)
        .outputDirectory(dir.resolve("out"))
        .listener(
            new JobListener() {
              @Override
              public void onProgress(GenerationJob job, JobProgress p) {
                if (p.state() == JobState.WAITING_FOR_POD) {
                  messages.add(p.message());
                }
              }
            })
        .build();
  }

  static PodPolicy.Builder fastPolicy() {
    return PodPolicy.builder()
        .apiPolling(Duration.ofMillis(20), Duration.ofMillis(100))
        .probeInterval(Duration.ofMillis(20));
  }

  /**
   * Pods a test means to leave running (the studio keeps a pod for the next job until idle stop);
   * every other pod must be stopped or terminated when the test ends.
   */
  final List<String> leftRunning = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() {
    if (studio != null) {
      studio.close();
    }
    provider.close();
    try {
      assertThat(runpod.billingPods())
          .as("pods left running (and billing)")
          .containsExactlyInAnyOrderElementsOf(leftRunning);
    } finally {
      runpod.close();
    }
  }

  GenerationRequest request() {
    return GenerationRequest.builder().image(image).audio(audio).build();
  }

  @Test
  void generate_withNoPodRunning_deploysOne_andEndsWithAVideo() {
    studio = studio(fastPolicy().build());

    GeneratedVideo video = studio.generate(request()).await(WAIT);

    assertThat(video.file()).exists();
    assertThat(runpod.createCalls()).isEqualTo(1);
    assertThat(runpod.pods())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.id()).isEqualTo(video.podId());
              assertThat(p.gpuTypeId()).isEqualTo(PodSpec.DEFAULT_GPU_TYPE);
            });
    assertThat(messages).contains("Requesting GPU pod", "Pod is ready");
    assertThat(messages)
        .anyMatch(m -> m.contains("created") && m.contains("waiting for it to start"));
    // What it used and cost: the simulated RTX 4090's time (20 s + 1.6 s per frame) at the pod's
    // community price.
    assertThat(video.gpuType()).isEqualTo(PodSpec.DEFAULT_GPU_TYPE);
    assertThat(video.gpuSeconds()).isGreaterThan(20 * 0.92);
    assertThat(video.pricePerHour()).hasValue(0.34);
    assertThat(video.costUsd().getAsDouble())
        .isCloseTo(video.gpuSeconds() / 3600 * 0.34, org.assertj.core.api.Assertions.within(1e-12));
    // The studio recorded them in its data directory (a second connection to the same SQLite file).
    try (io.openavathar.store.StudioStore store =
        io.openavathar.store.StudioStore.open(dir.resolve("data"))) {
      assertThat(store.video(video.id()).orElseThrow().costUsd()).isEqualTo(video.costUsd());
      assertThat(store.recentRuns(PodSpec.DEFAULT_GPU_TYPE, 10))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.gpuSeconds()).isEqualTo(video.gpuSeconds());
                assertThat(r.requestedFrames())
                    .isEqualTo(75); // 3 s of speech at 25 frames per second
              });
      assertThat(store.recentBoots(PodSpec.DEFAULT_GPU_TYPE, 10))
          .singleElement()
          .satisfies(b -> assertThat(b.kind()).isEqualTo(io.openavathar.store.PodBoot.Kind.DEPLOY));
    }

    // The next job finds the ready pod: no second pod.
    assertThat(studio.generate(request()).await(WAIT).podId()).isEqualTo(video.podId());
    assertThat(runpod.createCalls()).isEqualTo(1);
    leftRunning.add(video.podId()); // kept for the next job
  }

  @Test
  void estimate_beforeAnyPod_includesTheBootAtTheFirstOfferPrice_thenOnTheReadyPod_none()
      throws Exception {
    studio = studio(fastPolicy().build());

    io.openavathar.CostEstimate before =
        studio.estimate(request()).get(30, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(before.podMustStart()).isTrue();
    assertThat(before.gpuType())
        .isEqualTo(PodSpec.DEFAULT_GPU_TYPE); // the plan's 4090 on community first
    assertThat(before.pricePerHour()).hasValue(0.34);
    assertThat(before.bootSeconds().expected()).isPositive();
    assertThat(before.costUsd().orElseThrow().expected())
        .isCloseTo(
            before.billedSeconds().expected() / 3600 * 0.34,
            org.assertj.core.api.Assertions.within(1e-12));
    assertThat(runpod.createCalls()).isZero();

    GeneratedVideo video = studio.generate(request()).await(WAIT);
    io.openavathar.CostEstimate after =
        studio.estimate(request()).get(30, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(after.podMustStart()).isFalse();
    assertThat(after.basis()).isEqualTo(io.openavathar.CostEstimate.Basis.MEASURED);
    // One run of the same length: the estimate is that run's GPU time, its range around it.
    assertThat(after.gpuSeconds().expected())
        .isCloseTo(video.gpuSeconds(), org.assertj.core.api.Assertions.within(1e-6));
    assertThat(after.costUsd().orElseThrow().expected())
        .isCloseTo(video.costUsd().getAsDouble(), org.assertj.core.api.Assertions.within(1e-9));
    leftRunning.add(video.podId());
  }

  @Test
  void dailySpendCap_refusesAJobBeforeAnyPodStarts_untilTheNextUtcDay() {
    clock.now = Instant.parse("2026-12-06T10:00:00Z");
    studio = studio(fastPolicy().build());
    GeneratedVideo first = studio.generate(request()).await(WAIT);
    String pod = first.podId();
    studio.pods().stop(pod).join(); // the next job would have to start it again
    studio.close();
    studio =
        AvatarStudio.builder()
            .dataDirectory(dir.resolve("data"))
            .podProvider(provider)
            .podPolicy(fastPolicy().build())
            .clock(clock)
            .outputDirectory(dir.resolve("out"))
            .dailySpendCapUsd(0.02)
            .build();

    // About $0.015 spent on the first video; the second is estimated at about as much plus a boot.
    assertThatThrownBy(() -> studio.generate(request()).await(WAIT))
        .isInstanceOf(io.openavathar.SpendLimitException.class)
        .hasMessageContaining("of the $0.02 daily cap")
        .satisfies(
            e ->
                assertThat(((io.openavathar.SpendLimitException) e).setting())
                    .hasValue(io.openavathar.Setting.DAILY_SPEND_CAP));
    assertThat(runpod.pod(pod).orElseThrow().status()).isEqualTo("EXITED");
    assertThat(runpod.createCalls()).isEqualTo(1);

    clock.now = Instant.parse("2026-12-07T00:00:01Z"); // a new UTC day: nothing spent yet
    GeneratedVideo next = studio.generate(request()).await(WAIT);
    assertThat(next.podId()).isEqualTo(pod);
    leftRunning.add(pod);
  }

  @Test
  void generate_onAPodWhoseComfyUiLacksTheNodePacks_failsNamingThePod_beforeUploading() {
    provider.close();
    runpod.close();
    runpod =
        RunPodSimulator.builder()
            .apiKey(KEY)
            .provisioningDelay(Duration.ofMillis(50))
            .startingDelay(Duration.ofMillis(50))
            .runtimeDelay(Duration.ofMillis(50))
            .comfyReadyDelay(Duration.ofMillis(100))
            .comfyConfiguration(ComfyUiSimulatorBuilder::stockServer)
            .start();
    provider =
        RunPodPodProvider.builder()
            .apiKey(KEY)
            .apiUrl(runpod.apiUrl())
            .proxyUrlPattern(runpod.proxyUrlPattern())
            .initialBackoff(Duration.ofMillis(10))
            .build();
    studio = studio(fastPolicy().build());

    assertThatThrownBy(() -> studio.generate(request()).await(WAIT))
        .isInstanceOf(MissingNodesException.class)
        .hasMessageStartingWith("The ComfyUI server of pod '" + runpod.pods().get(0).name() + "' (")
        .hasMessageContaining("lacks 18 node classes the workflow uses; nothing was uploaded.")
        .hasMessageContaining("ComfyUI-WanVideoWrapper");
    assertThat(runpod.createCalls()).isEqualTo(1);
    leftRunning.add(
        runpod.pods().get(0).id()); // the user may install the node packs on it; idle stop stops it
  }

  @Test
  void generate_whenTheFirstGpuHasNoCapacity_fallsBackAndSaysWhichWasUsed() {
    runpod.noCapacityFor(PodSpec.DEFAULT_GPU_TYPE);
    studio =
        studio(
            fastPolicy()
                .deploySpec(
                    PodSpec.builder()
                        .gpuTypes(PodSpec.DEFAULT_GPU_TYPE, "NVIDIA RTX A6000")
                        .build())
                .build());

    GeneratedVideo video = studio.generate(request()).await(WAIT);

    assertThat(runpod.pod(video.podId()).orElseThrow().gpuTypeId()).isEqualTo("NVIDIA RTX A6000");
    assertThat(messages).anyMatch(m -> m.contains("NVIDIA RTX A6000"));
    leftRunning.add(video.podId()); // kept for the next job
  }

  @Test
  void generate_whenTheFirstGpuGetsA400InOtherWords_fallsBackAllTheSame() {
    runpod.noCapacityFor(
        PodSpec.DEFAULT_GPU_TYPE, "COMMUNITY", "Something went wrong. Please try again later.");
    studio =
        studio(
            fastPolicy()
                .deploySpec(
                    PodSpec.builder()
                        .gpuTypes(PodSpec.DEFAULT_GPU_TYPE, "NVIDIA RTX A6000")
                        .build())
                .build());

    GeneratedVideo video = studio.generate(request()).await(WAIT);

    assertThat(runpod.pod(video.podId()).orElseThrow().gpuTypeId()).isEqualTo("NVIDIA RTX A6000");
    assertThat(runpod.createCalls()).isEqualTo(2);
    leftRunning.add(video.podId()); // kept for the next job until idle stop
  }

  @Test
  void generate_whenNoGpuAnywhere_failsWithAProvisioningErrorThatSaysWhatToDo() {
    runpod.noCapacityFor(PodSpec.DEFAULT_GPU_TYPE);
    studio =
        studio(
            fastPolicy()
                .deploySpec(
                    PodSpec.builder()
                        .gpuTypes(PodSpec.DEFAULT_GPU_TYPE)
                        .clouds(CloudType.COMMUNITY)
                        .build())
                .build());
    assertThatThrownBy(() -> studio.generate(request()).await(WAIT))
        .isInstanceOf(PodProvisioningException.class)
        .satisfies(
            e -> {
              assertThat(((PodProvisioningException) e).canRetry()).isTrue();
              assertThat(((PodProvisioningException) e).canManual()).isTrue();
            });
    assertThat(runpod.pods()).isEmpty();
  }

  @Test
  void generate_whenTheCreateAnswerIsLost_findsThePodByName_andNeverMakesTwo() {
    provider.close();
    provider =
        RunPodPodProvider.builder()
            .apiKey(KEY)
            .apiUrl(runpod.apiUrl())
            .proxyUrlPattern(runpod.proxyUrlPattern())
            .initialBackoff(Duration.ofMillis(10))
            .readTimeout(Duration.ofMillis(300))
            .build();
    runpod.createTimesOut(Duration.ofSeconds(2));
    studio = studio(fastPolicy().build());

    GeneratedVideo video = studio.generate(request()).await(WAIT);

    assertThat(runpod.podsCreated()).isEqualTo(1);
    assertThat(runpod.pods())
        .singleElement()
        .satisfies(p -> assertThat(p.id()).isEqualTo(video.podId()));
    leftRunning.add(video.podId()); // kept for the next job
  }

  @Test
  void idlePods_theStudioStarted_areStoppedAfterTheIdleTime() {
    studio =
        studio(fastPolicy().idleStop(Duration.ofMinutes(15), PodPolicy.IdleAction.STOP).build());
    String podId = studio.generate(request()).await(WAIT).podId();

    assertThat(studio.pods().stopIdlePods().join()).isEmpty();
    clock.now = clock.now.plus(Duration.ofMinutes(16));
    assertThat(studio.pods().stopIdlePods().join()).containsExactly(podId);

    assertThat(runpod.pod(podId).orElseThrow().status()).isEqualTo("EXITED");
  }

  @Test
  void idleStop_closesTheConnectionsToThePod_andAJobOnTheRestartedPodConnectsAgain() {
    studio =
        studio(fastPolicy().idleStop(Duration.ofMinutes(15), PodPolicy.IdleAction.STOP).build());
    GeneratedVideo first = studio.generate(request()).await(WAIT);
    String podId = first.podId();
    io.openavathar.pod.Pod pod = provider.getPod(podId).join().orElseThrow();
    io.openavathar.comfy.ComfyUiClient before =
        ((io.openavathar.internal.pod.DefaultPodManager) studio.pods()).comfyUi(pod);
    awaitSockets(podId, 1); // the studio's event stream to the pod

    clock.now = clock.now.plus(Duration.ofMinutes(16));
    assertThat(studio.pods().stopIdlePods().join()).containsExactly(podId);

    // The client and its event stream are closed: nothing reconnects to the stopped pod.
    assertThatThrownBy(() -> before.systemStats().join()).hasMessageContaining("closed");
    assertThat(((io.openavathar.internal.pod.DefaultPodManager) studio.pods()).comfyUi(pod))
        .isNotSameAs(before);

    GeneratedVideo second =
        studio
            .generate(
                GenerationRequest.builder().image(image).audio(audio).targetPod(podId).build())
            .await(WAIT);
    assertThat(second.podId()).isEqualTo(podId);
    assertThat(runpod.podsCreated()).isEqualTo(1);
    awaitSockets(podId, 1); // a new event stream to the restarted pod's ComfyUI
    leftRunning.add(
        podId); // started again for the second job, kept for the next one until idle stop
  }

  void awaitSockets(String podId, int n) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (runpod.comfyOf(podId).map(c -> c.connectedWebSockets()).orElse(0) != n
        && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // an observable count, bounded by WAIT
    }
    assertThat(runpod.comfyOf(podId).orElseThrow().connectedWebSockets()).isEqualTo(n);
  }

  @Test
  void idleStop_coversPodsStartedByAnEarlierRun() {
    studio =
        studio(fastPolicy().idleStop(Duration.ofMinutes(15), PodPolicy.IdleAction.STOP).build());
    String podId = studio.generate(request()).await(WAIT).podId();
    studio.close();

    studio =
        studio(fastPolicy().idleStop(Duration.ofMinutes(15), PodPolicy.IdleAction.STOP).build());
    assertThat(studio.pods().podsStartedHere()).containsExactly(podId);
    clock.now = clock.now.plus(Duration.ofMinutes(16));
    assertThat(studio.pods().stopIdlePods().join()).containsExactly(podId);
    assertThat(runpod.pod(podId).orElseThrow().status()).isEqualTo("EXITED");
  }

  @Test
  void aPodThatNeverServesComfy_isTerminated_andTheJobFails() throws Exception {
    runpod.close();
    runpod =
        RunPodSimulator.builder()
            .apiKey(KEY)
            .provisioningDelay(Duration.ZERO)
            .startingDelay(Duration.ZERO)
            .comfyReadyDelay(Duration.ofDays(1))
            .start();
    provider.close();
    provider =
        RunPodPodProvider.builder()
            .apiKey(KEY)
            .apiUrl(runpod.apiUrl())
            .proxyUrlPattern(runpod.proxyUrlPattern())
            .initialBackoff(Duration.ofMillis(10))
            .build();
    studio = studio(fastPolicy().readyTimeout(Duration.ofMinutes(15)).build());
    GenerationJob job = studio.generate(request());
    // Let time pass on the studio's clock, 16 minutes at a step, until the job gives up on the pod.
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!job.future().isDone() && System.nanoTime() < deadline) {
      clock.now = clock.now.plus(Duration.ofMinutes(16));
      Thread.sleep(20); // each step is observed by the waiter's next poll; bounded by WAIT
    }

    assertThatThrownBy(() -> job.await(WAIT))
        .isInstanceOf(PodProvisioningException.class)
        .hasMessageContaining("did not become ready within 15 min");
    assertThat(runpod.pods()).isEmpty();
  }
}
