package io.openavathar.runpod;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.AvatarStudio;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationJob;
import io.openavathar.GenerationRequest;
import io.openavathar.JobState;
import io.openavathar.pod.PodPolicy;
import io.openavathar.store.StudioStore;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.runpod.RunPodSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two studios on one store (each its own store object and clock, as two app instances have) share
 * the pods either starts: the other uses a ready one instead of deploying, stops it once idle, and
 * never while a job of either runs on it.
 */
class RunPodSharedPodsTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final Duration IDLE = Duration.ofMinutes(15);

  @TempDir Path dir;
  RunPodSimulator runpod;
  final List<AutoCloseable> toClose = new ArrayList<>();
  final RunPodStudioTest.TestClock clockA = new RunPodStudioTest.TestClock();
  final RunPodStudioTest.TestClock clockB = new RunPodStudioTest.TestClock();
  Path image;
  Path audio;

  @BeforeEach
  void setUp() throws Exception {
    runpod = RunPodStudioTest.fastSimulator();
    image = dir.resolve("face.png");
    audio = dir.resolve("speech.wav");
    RunPodStudioTest.writeMedia(image, audio);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    runpod.close();
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    toClose.add(c);
    return c;
  }

  AvatarStudio studio(RunPodStudioTest.TestClock clock) {
    StudioStore store = closeLater(StudioStore.open(dir.resolve("data")));
    RunPodPodProvider provider =
        closeLater(
            RunPodPodProvider.builder()
                .apiKey(RunPodStudioTest.KEY)
                .apiUrl(runpod.apiUrl())
                .proxyUrlPattern(runpod.proxyUrlPattern())
                .initialBackoff(Duration.ofMillis(10))
                .build());
    return closeLater(
        AvatarStudio.builder()
            .store(store)
            .podProvider(provider)
            .podPolicy(
                RunPodStudioTest.fastPolicy().idleStop(IDLE, PodPolicy.IdleAction.STOP).build())
            .clock(clock)
            .outputDirectory(dir.resolve("out"))
            .build());
  }

  GenerationRequest request() {
    return GenerationRequest.builder().image(image).audio(audio).build();
  }

  void advanceBoth(Duration d) {
    clockA.now = clockA.now.plus(d);
    clockB.now = clockB.now.plus(d);
  }

  @Test
  void aPodOneStudioStarted_isUsedByTheOther_withoutASecondDeploy() {
    AvatarStudio a = studio(clockA);
    AvatarStudio b = studio(clockB);
    String podId = a.generate(request()).await(WAIT).podId();

    GeneratedVideo video = b.generate(request()).await(WAIT);

    assertThat(video.podId()).isEqualTo(podId);
    assertThat(runpod.createCalls()).isEqualTo(1);
    a.pods().stop(podId).join();
  }

  @Test
  void aPodTheOtherStudioStarted_afterThisOneWasBuilt_isIdleStoppedByThisOne() {
    AvatarStudio b = studio(clockB); // built first: its own books never saw the pod start
    AvatarStudio a = studio(clockA);
    String podId = a.generate(request()).await(WAIT).podId();

    assertThat(b.pods().stopIdlePods().join()).isEmpty();
    advanceBoth(IDLE.plusMinutes(1));
    assertThat(b.pods().stopIdlePods().join()).containsExactly(podId);

    assertThat(runpod.pod(podId).orElseThrow().status()).isEqualTo("EXITED");
  }

  @Test
  void aSharedPod_isNeverStoppedWhileEitherStudioHasAJobOnIt_andIsOnceAllAreIdle() {
    AvatarStudio a = studio(clockA);
    AvatarStudio b = studio(clockB);
    String podId = a.generate(request()).await(WAIT).podId();
    ComfyUiSimulator comfy = runpod.comfyOf(podId).orElseThrow();
    comfy.pauseExecution();
    GenerationJob onB = b.generate(request());
    awaitState(b, onB.id(), JobState.SUBMITTED);

    advanceBoth(IDLE.multipliedBy(3)); // A's own jobs on the pod ended long ago
    assertThat(a.pods().stopIdlePods().join()).as("B's job runs on the pod").isEmpty();
    assertThat(b.pods().stopIdlePods().join()).isEmpty();

    comfy.resumeExecution();
    onB.await(WAIT);
    advanceBoth(IDLE.minusMinutes(1));
    assertThat(a.pods().stopIdlePods().join()).as("B used the pod recently").isEmpty();
    advanceBoth(Duration.ofMinutes(2));
    assertThat(a.pods().stopIdlePods().join()).containsExactly(podId);
    assertThat(runpod.pod(podId).orElseThrow().status()).isEqualTo("EXITED");
  }

  static void awaitState(AvatarStudio s, String id, JobState state) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (s.jobs().get(id).orElseThrow().state() != state) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("job " + id + " never reached " + state);
      }
      Thread.onSpinWait(); // polling an observable state, bounded by WAIT
    }
  }
}
