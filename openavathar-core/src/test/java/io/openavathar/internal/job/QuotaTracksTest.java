package io.openavathar.internal.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.RemoteUnavailableException;
import io.openavathar.license.LicenseClientStub;
import io.openavathar.store.StudioStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Quota tracks: sent once at a time with the job id, confirmed before removal, dropped when their
 * day has passed.
 */
class QuotaTracksTest {
  static final Instant NOW = Instant.parse("2026-03-10T01:00:00Z");

  /**
   * Answers each track with the next future of {@link #answers} (completed with 1 when there is
   * none).
   */
  static final class ScriptedLicense extends LicenseClientStub {
    final List<String> requestIds = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Integer>> answers = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Integer> track(String requestId) {
      requestIds.add(requestId);
      return answers.isEmpty() ? CompletableFuture.completedFuture(1) : answers.remove(0);
    }
  }

  final StudioStore store = StudioStore.inMemory();
  final ScriptedLicense license = new ScriptedLicense();
  final QuotaTracks tracks =
      new QuotaTracks(store, license, Clock.fixed(NOW, ZoneOffset.UTC), "studio-a");

  @AfterEach
  void tearDown() {
    store.close();
  }

  @Test
  void track_sendsTheJobIdAsKey_andRemovesThePendingTrackOnlyWhenAnswered() {
    CompletableFuture<Integer> answer = new CompletableFuture<>();
    license.answers.add(answer);

    tracks.track("job-1");
    assertThat(license.requestIds).containsExactly("job-1");
    assertThat(store.pendingTracks()).containsExactly("job-1");
    assertThat(tracks.pendingToday()).isEqualTo(1);

    answer.complete(1);
    assertThat(store.pendingTracks()).isEmpty();
  }

  @Test
  void aTrackInFlight_isNotSentAgainByARetry_butAFailedOneIs() {
    CompletableFuture<Integer> first = new CompletableFuture<>();
    license.answers.add(first);
    tracks.track("job-1");

    tracks.retryPending();
    assertThat(license.requestIds).containsExactly("job-1");

    first.completeExceptionally(new RemoteUnavailableException("down (test)", null));
    assertThat(store.pendingTracks()).containsExactly("job-1");
    tracks.retryPending();
    assertThat(license.requestIds).containsExactly("job-1", "job-1");
    assertThat(store.pendingTracks()).isEmpty();
  }

  @Test
  void twoStudiosOnOneStore_sendEachPendingTrackOnce_untilTheSendersClaimExpires() {
    CompletableFuture<Integer> slow = new CompletableFuture<>();
    license.answers.add(slow);
    tracks.track("job-1"); // studio A sends it; the server has not answered yet
    QuotaTracks other =
        new QuotaTracks(store, license, Clock.fixed(NOW, ZoneOffset.UTC), "studio-b");

    other.retryPending();
    assertThat(license.requestIds).as("B leaves A's track alone").containsExactly("job-1");

    QuotaTracks later =
        new QuotaTracks(
            store,
            license,
            Clock.fixed(NOW.plus(QuotaTracks.SEND_LEASE).plusSeconds(1), ZoneOffset.UTC),
            "studio-b");
    later.retryPending(); // A died without an answer: once its claim expired, B sends it
    assertThat(license.requestIds).containsExactly("job-1", "job-1");
    assertThat(store.pendingTracks()).isEmpty();
  }

  @Test
  void aTrackWhoseSendFailed_isHandedBack_soAnotherStudioSendsItAtOnce() {
    CompletableFuture<Integer> failing = new CompletableFuture<>();
    license.answers.add(failing);
    tracks.track("job-1");
    failing.completeExceptionally(new RemoteUnavailableException("down (test)", null));

    new QuotaTracks(store, license, Clock.fixed(NOW.plusSeconds(1), ZoneOffset.UTC), "studio-b")
        .retryPending();
    assertThat(license.requestIds).containsExactly("job-1", "job-1");
    assertThat(store.pendingTracks()).isEmpty();
  }

  @Test
  void aPendingTrackOfAnEarlierUtcDay_isDroppedWithAnInfoLine_andNotSent() {
    store.addPendingTrack("yesterday", Instant.parse("2026-03-09T23:59:59Z"));
    store.addPendingTrack("today", Instant.parse("2026-03-10T00:00:00Z"));
    assertThat(tracks.pendingToday()).isEqualTo(1);

    String log = capturingStandardError(tracks::retryPending);

    assertThat(license.requestIds).containsExactly("today");
    assertThat(store.pendingTracks()).isEmpty();
    assertThat(log).contains("INFO", "yesterday", "2026-03-09", "day has passed");
  }

  @Test
  void stop_waitsForAnswersInFlight() {
    CompletableFuture<Integer> answer = new CompletableFuture<>();
    license.answers.add(answer);
    tracks.track("job-1");
    CompletableFuture.runAsync(
        () -> answer.complete(1),
        CompletableFuture.delayedExecutor(200, java.util.concurrent.TimeUnit.MILLISECONDS));

    assertThat(tracks.stop(Duration.ofSeconds(30))).isZero();
    assertThat(store.pendingTracks()).isEmpty();
  }

  @Test
  void stop_givesUpAfterItsBound_leavesTheTrackPending_andSendsNothingMore() {
    CompletableFuture<Integer> never = new CompletableFuture<>();
    license.answers.add(never);
    tracks.track("job-1");

    long start = System.nanoTime();
    assertThat(tracks.stop(Duration.ofMillis(200))).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(store.pendingTracks()).containsExactly("job-1");

    tracks.track("job-2");
    tracks.retryPending();
    assertThat(license.requestIds).containsExactly("job-1");
    assertThat(store.pendingTracks()).containsExactly("job-1", "job-2");

    store.close();
    never.complete(1); // a late answer after the store closed is harmless
  }

  static String capturingStandardError(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
