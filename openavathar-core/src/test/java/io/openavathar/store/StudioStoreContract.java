package io.openavathar.store;

import static io.openavathar.store.StoreFixtures.T0;
import static io.openavathar.store.StoreFixtures.fullJob;
import static io.openavathar.store.StoreFixtures.job;
import static io.openavathar.store.StoreFixtures.video;
import static io.openavathar.store.StoreFixtures.videoOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.openavathar.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link StudioStore} must do; subclasses say which store. */
abstract class StudioStoreContract {
  static final Duration LEASE = Duration.ofMinutes(1);

  StudioStore store;

  abstract StudioStore newStore();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  // --- jobs ---

  @Test
  void insertJob_thenJob_returnsAnEqualRecordWithEveryField() {
    JobRecord job = fullJob("j1");
    store.insertJob(job);

    JobRecord read = store.job("j1").orElseThrow();
    assertThat(read).isEqualTo(job);
    assertThat(read.updatedAt()).isEqualTo(T0.plusMillis(1500).plusNanos(1));
    assertThat(read.errorMessage()).contains("pod-1 stopped answering; ünïcödé and 'quotes'");
  }

  @Test
  void insertJob_withoutOptionalFields_readsThemAsEmpty() {
    store.insertJob(job("j1", T0));

    JobRecord read = store.job("j1").orElseThrow();
    assertThat(read).isEqualTo(job("j1", T0));
    assertThat(read.podId()).isEmpty();
    assertThat(read.promptId()).isEmpty();
    assertThat(read.errorType()).isEmpty();
  }

  @Test
  void insertJob_whenIdExists_failsAndKeepsTheFirst() {
    store.insertJob(job("j1", T0));

    assertThatThrownBy(() -> store.insertJob(fullJob("j1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("job j1 is already in the store");
    assertThat(store.job("j1")).contains(job("j1", T0));
  }

  @Test
  void updateJob_replacesTheRecord() {
    store.insertJob(job("j1", T0));
    JobRecord changed =
        job("j1", T0).toBuilder()
            .state(JobState.GENERATING)
            .attempt(1)
            .podId("pod-9")
            .promptId("p-9")
            .updatedAt(T0.plusSeconds(5))
            .build();

    store.updateJob(changed);

    assertThat(store.job("j1")).contains(changed);
  }

  @Test
  void updateJob_whenMissing_fails() {
    assertThatThrownBy(() -> store.updateJob(job("ghost", T0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("job ghost is not in the store");
    assertThat(store.job("ghost")).isEmpty();
  }

  @Test
  void job_whenMissing_isEmpty() {
    assertThat(store.job("nope")).isEmpty();
  }

  @Test
  void jobs_areNewestFirst_withTiesOrderedById() {
    store.insertJob(job("b", T0));
    store.insertJob(job("old", T0.minusSeconds(60)));
    store.insertJob(job("new", T0.plusNanos(1)));
    store.insertJob(job("a", T0));

    assertThat(ids(store.jobs(JobQuery.newest(10)))).containsExactly("new", "b", "a", "old");
  }

  @Test
  void jobs_filterByState() {
    store.insertJob(job("q", T0));
    store.insertJob(job("g", T0.plusSeconds(1)).toBuilder().state(JobState.GENERATING).build());
    store.insertJob(job("c", T0.plusSeconds(2)).toBuilder().state(JobState.COMPLETED).build());
    store.insertJob(job("f", T0.plusSeconds(3)).toBuilder().state(JobState.FAILED).build());

    assertThat(ids(store.jobs(JobQuery.unfinished()))).containsExactly("g", "q");
    assertThat(ids(store.jobs(new JobQuery(EnumSet.of(JobState.FAILED, JobState.QUEUED), 0, 10))))
        .containsExactly("f", "q");
    assertThat(ids(store.jobs(new JobQuery(Set.of(JobState.CANCELLED), 0, 10)))).isEmpty();
  }

  @Test
  void jobs_pageByOffsetAndLimit() {
    IntStream.range(0, 25)
        .forEach(i -> store.insertJob(job(String.format("j%02d", i), T0.plusSeconds(i))));

    assertThat(ids(store.jobs(new JobQuery(Set.of(), 0, 10)))).first().isEqualTo("j24");
    assertThat(ids(store.jobs(new JobQuery(Set.of(), 10, 10))))
        .containsExactly("j14", "j13", "j12", "j11", "j10", "j09", "j08", "j07", "j06", "j05");
    assertThat(ids(store.jobs(new JobQuery(Set.of(), 20, 10))))
        .containsExactly("j04", "j03", "j02", "j01", "j00");
    assertThat(store.jobs(new JobQuery(Set.of(), 25, 10))).isEmpty();
  }

  // --- claims ---

  @Test
  void claimJob_whenFree_succeeds_andASecondOwnerIsRefusedWhileTheLeaseLasts() {
    store.insertJob(job("j1", T0));

    assertThat(store.claimJob("j1", "process-a", T0, LEASE)).isTrue();
    assertThat(store.claimJob("j1", "process-b", T0.plusSeconds(59), LEASE)).isFalse();
  }

  @Test
  void claimJob_afterTheLeaseExpires_goesToAnotherOwner() {
    store.insertJob(job("j1", T0));
    store.claimJob("j1", "process-a", T0, LEASE);

    assertThat(store.claimJob("j1", "process-b", T0.plus(LEASE), LEASE)).isTrue();
    assertThat(store.claimJob("j1", "process-a", T0.plus(LEASE).plusSeconds(1), LEASE)).isFalse();
  }

  @Test
  void claimJob_bySameOwner_renewsTheLease() {
    store.insertJob(job("j1", T0));
    store.claimJob("j1", "process-a", T0, LEASE);

    assertThat(store.claimJob("j1", "process-a", T0.plusSeconds(50), LEASE)).isTrue();
    // the renewed lease runs to T0 + 110 s, so another owner is still refused after the first would
    // have ended
    assertThat(store.claimJob("j1", "process-b", T0.plusSeconds(100), LEASE)).isFalse();
    assertThat(store.claimJob("j1", "process-b", T0.plusSeconds(110), LEASE)).isTrue();
  }

  @Test
  void releaseJob_byTheOwner_freesIt_byAnotherOwner_doesNothing() {
    store.insertJob(job("j1", T0));
    store.claimJob("j1", "process-a", T0, LEASE);

    store.releaseJob("j1", "process-b");
    assertThat(store.claimJob("j1", "process-b", T0, LEASE)).isFalse();

    store.releaseJob("j1", "process-a");
    assertThat(store.claimJob("j1", "process-b", T0, LEASE)).isTrue();
  }

  @Test
  void claimJob_survivesUpdateJob() {
    store.insertJob(job("j1", T0));
    store.claimJob("j1", "process-a", T0, LEASE);

    store.updateJob(job("j1", T0).toBuilder().state(JobState.UPLOADING).build());

    assertThat(store.claimJob("j1", "process-b", T0, LEASE)).isFalse();
  }

  @Test
  void claimUnfinished_takesFreeAndExpiredUnfinishedJobs_oldestFirst_upToMax() {
    store.insertJob(job("new", T0.plusSeconds(3)));
    store.insertJob(job("old", T0));
    store.insertJob(job("held", T0.plusSeconds(1)));
    store.insertJob(job("expired", T0.plusSeconds(2)));
    store.insertJob(job("done", T0.minusSeconds(1)).toBuilder().state(JobState.COMPLETED).build());
    store.insertJob(
        job("generating", T0.plusSeconds(4)).toBuilder().state(JobState.GENERATING).build());
    store.claimJob("held", "process-b", T0, LEASE.multipliedBy(2));
    store.claimJob("expired", "process-b", T0.minus(LEASE), LEASE);

    List<JobRecord> first = store.claimUnfinished("process-a", 2, T0, LEASE);
    List<JobRecord> rest = store.claimUnfinished("process-a", 10, T0, LEASE);

    assertThat(first).extracting(JobRecord::id).containsExactly("old", "expired");
    assertThat(rest).extracting(JobRecord::id).containsExactly("new", "generating");
    assertThat(store.claim("expired")).contains(new JobClaim("process-a", T0.plus(LEASE)));
    assertThat(store.claim("held").orElseThrow().owner()).isEqualTo("process-b");
    assertThat(store.claimUnfinished("process-c", 10, T0.plusSeconds(59), LEASE)).isEmpty();
    assertThat(store.claimUnfinished("process-c", 10, T0.plus(LEASE), LEASE))
        .extracting(JobRecord::id)
        .containsExactly("old", "expired", "new", "generating");
  }

  @Test
  void claimPendingTrack_oneOwnerAtATime_untilTheLeaseEnds() {
    store.addPendingTrack("j1", T0);

    assertThat(store.claimPendingTrack("j1", "process-a", T0, LEASE)).isTrue();
    assertThat(store.claimPendingTrack("j1", "process-b", T0.plusSeconds(59), LEASE)).isFalse();
    assertThat(store.claimPendingTrack("j1", "process-a", T0.plusSeconds(30), LEASE)).isTrue();
    assertThat(store.claimPendingTrack("j1", "process-b", T0.plusSeconds(89), LEASE)).isFalse();
    assertThat(store.claimPendingTrack("j1", "process-b", T0.plusSeconds(90), LEASE)).isTrue();
    assertThat(store.pendingTrackEntries()).containsExactly(new PendingTrack("j1", T0));

    store.removePendingTrack("j1");
    assertThat(store.claimPendingTrack("j1", "process-a", T0.plusSeconds(200), LEASE)).isFalse();
  }

  @Test
  void releasePendingTrack_byItsOwner_freesItAtOnce_byAnotherOwner_doesNothing() {
    store.addPendingTrack("j1", T0);
    store.claimPendingTrack("j1", "process-a", T0, LEASE);

    store.releasePendingTrack("j1", "process-b");
    assertThat(store.claimPendingTrack("j1", "process-b", T0.plusSeconds(1), LEASE)).isFalse();

    store.releasePendingTrack("j1", "process-a");
    store.releasePendingTrack("ghost", "process-a");
    assertThat(store.claimPendingTrack("j1", "process-b", T0.plusSeconds(1), LEASE)).isTrue();
    assertThat(store.pendingTrackEntries()).containsExactly(new PendingTrack("j1", T0));
  }

  @Test
  void claimJob_whenJobMissing_returnsFalse() {
    assertThat(store.claimJob("ghost", "process-a", T0, LEASE)).isFalse();
  }

  @Test
  void claimJob_withAnEndlessLease_holds() {
    store.insertJob(job("j1", T0));

    assertThat(store.claimJob("j1", "process-a", T0, Duration.ofSeconds(Long.MAX_VALUE))).isTrue();
    assertThat(store.claimJob("j1", "process-b", T0.plus(Duration.ofDays(365 * 1000)), LEASE))
        .isFalse();
  }

  @Test
  void claimJob_withANonPositiveLease_isRejected() {
    assertThatThrownBy(() -> store.claimJob("j1", "a", T0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lease must be positive");
  }

  @Test
  void claim_saysWhoHoldsAJobAndUntilWhen_expiredOrNot() {
    store.insertJob(job("j1", T0));
    assertThat(store.claim("j1")).isEmpty();
    assertThat(store.claim("ghost")).isEmpty();

    store.claimJob("j1", "process-a", T0, LEASE);
    assertThat(store.claim("j1")).contains(new JobClaim("process-a", T0.plus(LEASE)));

    store.claimJob("j1", "process-b", T0.plus(LEASE), LEASE);
    assertThat(store.claim("j1")).contains(new JobClaim("process-b", T0.plus(LEASE).plus(LEASE)));

    store.releaseJob("j1", "process-b");
    assertThat(store.claim("j1")).isEmpty();
  }

  @Test
  void takeOverJob_fromTheOwnerThatHoldsIt_succeedsBeforeTheLeaseExpires_andOnlyOnce() {
    store.insertJob(job("j1", T0));
    store.claimJob("j1", "crashed", T0, LEASE);

    assertThat(store.takeOverJob("j1", "crashed", "process-b", T0.plusSeconds(1), LEASE)).isTrue();
    assertThat(store.claim("j1"))
        .contains(new JobClaim("process-b", T0.plusSeconds(1).plus(LEASE)));
    // a second studio that also saw "crashed" loses the race
    assertThat(store.takeOverJob("j1", "crashed", "process-c", T0.plusSeconds(1), LEASE)).isFalse();
    assertThat(store.claimJob("j1", "process-c", T0.plusSeconds(2), LEASE)).isFalse();
  }

  @Test
  void takeOverJob_whenNamedOwnerDoesNotHoldIt_orJobMissing_isRefused() {
    store.insertJob(job("j1", T0));
    assertThat(store.takeOverJob("j1", "crashed", "process-b", T0, LEASE)).as("free job").isFalse();
    assertThat(store.claim("j1")).isEmpty();
    assertThat(store.takeOverJob("ghost", "crashed", "process-b", T0, LEASE)).isFalse();
    assertThatThrownBy(() -> store.takeOverJob("j1", "a", "b", T0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lease must be positive");
  }

  // --- a job's outcome ---

  @Test
  void completeJob_writesTheVideoAndTheCompletedRecordTogether_keepingTheClaim() {
    store.insertJob(job("j1", T0).toBuilder().state(JobState.DOWNLOADING).build());
    store.claimJob("j1", "process-a", T0, LEASE);
    JobRecord completed =
        job("j1", T0).toBuilder().state(JobState.COMPLETED).updatedAt(T0.plusSeconds(9)).build();

    store.completeJob(completed, videoOf("j1", T0.plusSeconds(9)));

    assertThat(store.job("j1")).contains(completed);
    assertThat(store.video("j1")).contains(videoOf("j1", T0.plusSeconds(9)));
    assertThat(store.claim("j1")).map(JobClaim::owner).contains("process-a");
  }

  @Test
  void completeJob_whenTheVideoCannotBeInserted_writesNothing() {
    JobRecord downloading = job("j1", T0).toBuilder().state(JobState.DOWNLOADING).build();
    store.insertJob(downloading);
    VideoRecord other = video("j1", T0); // same id, made by job "job-j1"
    store.insertVideo(other);

    assertThatThrownBy(
            () ->
                store.completeJob(
                    downloading.toBuilder().state(JobState.COMPLETED).build(),
                    videoOf("j1", T0.plusSeconds(1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("video j1 is already in the store");

    assertThat(store.job("j1")).contains(downloading);
    assertThat(store.video("j1")).contains(other);
  }

  @Test
  void completeJob_whenTheJobIsMissing_insertsNoVideo() {
    assertThatThrownBy(
            () ->
                store.completeJob(
                    job("ghost", T0).toBuilder().state(JobState.COMPLETED).build(),
                    videoOf("ghost", T0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("job ghost is not in the store");

    assertThat(store.video("ghost")).isEmpty();
  }

  @Test
  void completeJob_whenThisJobsVideoIsAlreadyStored_keepsItAndCompletes() {
    // What an older SDK left when it crashed between inserting the video and recording the job's
    // end.
    store.insertJob(job("j1", T0).toBuilder().state(JobState.DOWNLOADING).build());
    store.insertVideo(videoOf("j1", T0));
    JobRecord completed = job("j1", T0).toBuilder().state(JobState.COMPLETED).build();

    store.completeJob(completed, videoOf("j1", T0.plusSeconds(5)));

    assertThat(store.job("j1")).contains(completed);
    assertThat(store.video("j1")).contains(videoOf("j1", T0));
    assertThat(store.videos(0, 10)).hasSize(1);
  }

  @Test
  void completeJob_withAnotherStateOrAnotherJobsVideo_isRejected() {
    store.insertJob(job("j1", T0));

    assertThatThrownBy(() -> store.completeJob(job("j1", T0), videoOf("j1", T0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not QUEUED");
    assertThatThrownBy(
            () ->
                store.completeJob(
                    job("j1", T0).toBuilder().state(JobState.COMPLETED).build(), videoOf("j2", T0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("belongs to job 'j2'");
    assertThat(store.job("j1")).contains(job("j1", T0));
    assertThat(store.videos(0, 10)).isEmpty();
  }

  // --- job log ---

  @Test
  void appendJobLog_keepsTheNewest200LinesOldestFirst() {
    for (int i = 1; i <= 205; i++) {
      store.appendJobLog("j1", T0.plusSeconds(i), "line " + i);
    }
    store.appendJobLog("j2", T0, "other job");

    List<String> log = store.jobLog("j1");
    assertThat(log).hasSize(200);
    assertThat(log.get(0)).isEqualTo("line 6");
    assertThat(log.get(199)).isEqualTo("line 205");
    assertThat(store.jobLog("j2")).containsExactly("other job");
    assertThat(store.jobLog("none")).isEmpty();
  }

  // --- videos ---

  @Test
  void insertVideo_thenVideo_returnsAnEqualRecord() {
    VideoRecord v = video("v1", T0);
    store.insertVideo(v);

    assertThat(store.video("v1")).contains(v);
    assertThat(store.video("v2")).isEmpty();
  }

  @Test
  void insertVideo_whenIdExists_fails() {
    store.insertVideo(video("v1", T0));

    assertThatThrownBy(() -> store.insertVideo(video("v1", T0.plusSeconds(1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("video v1 is already in the store");
  }

  @Test
  void videos_areNewestFirstAndPaged() {
    store.insertVideo(video("v1", T0));
    store.insertVideo(video("v3", T0.plusSeconds(2)));
    store.insertVideo(video("v2", T0.plusSeconds(1)));
    store.insertVideo(video("v0", T0));

    assertThat(store.videos(0, 10))
        .extracting(VideoRecord::id)
        .containsExactly("v3", "v2", "v1", "v0");
    assertThat(store.videos(1, 2)).extracting(VideoRecord::id).containsExactly("v2", "v1");
    assertThat(store.videos(4, 2)).isEmpty();
  }

  @Test
  void deleteVideo_returnsWhetherItExisted() {
    store.insertVideo(video("v1", T0));

    assertThat(store.deleteVideo("v1")).isTrue();
    assertThat(store.deleteVideo("v1")).isFalse();
    assertThat(store.video("v1")).isEmpty();
  }

  @Test
  void insertVideo_withPriceAndCost_readsThemBack_withoutThem_readsThemAsUnknown() {
    VideoRecord priced = withRequestedFrames(video("v1", T0), 200).priced(OptionalDouble.of(0.69));
    store.insertVideo(priced);
    store.insertVideo(video("v2", T0));

    VideoRecord read = store.video("v1").orElseThrow();
    assertThat(read).isEqualTo(priced);
    assertThat(read.pricePerHour()).hasValue(0.69);
    assertThat(read.requestedFrames()).isEqualTo(200);
    assertThat(read.costUsd().getAsDouble()).isCloseTo(87.25 / 3600 * 0.69, within(1e-12));
    assertThat(store.video("v2").orElseThrow().pricePerHour()).isEmpty();
    assertThat(store.video("v2").orElseThrow().costUsd()).isEmpty();
    assertThat(store.video("v2").orElseThrow().requestedFrames()).isZero();
  }

  // --- measurements ---

  @Test
  void recentRuns_areThoseOfTheGpuTypeWithKnownTimeAndFrames_newestFirst_limited() {
    store.insertVideo(video("old", T0));
    store.insertVideo(video("new", T0.plusSeconds(2)));
    store.insertVideo(video("mid", T0.plusSeconds(1)));
    store.insertVideo(withGpu(video("other", T0.plusSeconds(3)), "NVIDIA RTX A6000", 50));
    store.insertVideo(
        withGpu(video("unmeasured", T0.plusSeconds(4)), "NVIDIA GeForce RTX 4090", 0));
    store.insertVideo(withRequestedFrames(video("asked", T0.plusSeconds(2)), 200));

    assertThat(store.recentRuns("NVIDIA GeForce RTX 4090", 2))
        .containsExactly(
            new GpuRun("NVIDIA GeForce RTX 4090", 200, 81, 87.25, T0.plusSeconds(2)),
            new GpuRun("NVIDIA GeForce RTX 4090", 0, 81, 87.25, T0.plusSeconds(2)));
    assertThat(store.recentRuns("NVIDIA GeForce RTX 4090", 10))
        .extracting(GpuRun::finishedAt)
        .containsExactly(T0.plusSeconds(2), T0.plusSeconds(2), T0.plusSeconds(1), T0);
    assertThat(store.recentRuns("NVIDIA RTX A6000", 10))
        .extracting(GpuRun::gpuSeconds)
        .containsExactly(50.0);
    assertThat(store.recentRuns("NVIDIA H100", 10)).isEmpty();
    assertThatThrownBy(() -> store.recentRuns("NVIDIA H100", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void podBooted_isListedPerGpuType_newestReadyFirst_limited() {
    PodBoot first =
        new PodBoot("p1", "NVIDIA GeForce RTX 4090", PodBoot.Kind.DEPLOY, T0, T0.plusSeconds(95));
    PodBoot second =
        new PodBoot(
            "p1",
            "NVIDIA GeForce RTX 4090",
            PodBoot.Kind.START,
            T0.plusSeconds(600),
            T0.plusSeconds(640));
    PodBoot third =
        new PodBoot(
            "p2",
            "NVIDIA GeForce RTX 4090",
            PodBoot.Kind.DEPLOY,
            T0.plusSeconds(700),
            T0.plusSeconds(820));
    store.podBooted(second);
    store.podBooted(first);
    store.podBooted(third);
    store.podBooted(
        new PodBoot("p3", "NVIDIA RTX A6000", PodBoot.Kind.DEPLOY, T0, T0.plusSeconds(100)));

    assertThat(store.recentBoots("NVIDIA GeForce RTX 4090", 10))
        .containsExactly(third, second, first);
    assertThat(store.recentBoots("NVIDIA GeForce RTX 4090", 1)).containsExactly(third);
    assertThat(third.bootTime()).isEqualTo(Duration.ofSeconds(120));
    assertThat(store.recentBoots("NVIDIA H100", 10)).isEmpty();
  }

  private static VideoRecord withRequestedFrames(VideoRecord v, int requestedFrames) {
    return new VideoRecord(
        v.id(),
        v.jobId(),
        v.podId(),
        v.gpuType(),
        v.promptId(),
        v.remoteType(),
        v.remoteSubfolder(),
        v.remoteFilename(),
        v.localFile(),
        v.sizeBytes(),
        v.width(),
        v.height(),
        v.frames(),
        v.durationMillis(),
        v.seed(),
        v.gpuSeconds(),
        v.createdAt(),
        v.pricePerHour(),
        v.costUsd(),
        requestedFrames);
  }

  private static VideoRecord withGpu(VideoRecord v, String gpuType, double gpuSeconds) {
    return new VideoRecord(
        v.id(),
        v.jobId(),
        v.podId(),
        gpuType,
        v.promptId(),
        v.remoteType(),
        v.remoteSubfolder(),
        v.remoteFilename(),
        v.localFile(),
        v.sizeBytes(),
        v.width(),
        v.height(),
        v.frames(),
        v.durationMillis(),
        v.seed(),
        gpuSeconds,
        v.createdAt());
  }

  // --- pods, pending tracks, settings ---

  @Test
  void podStarted_upserts_podActive_updates_podForgotten_removes() {
    store.podStarted(new StartedPod("p2", "runpod", T0.plusSeconds(1), T0.plusSeconds(1)));
    store.podStarted(new StartedPod("p1", "runpod", T0, T0));
    store.podStarted(new StartedPod("p1", "static", T0, T0.plusSeconds(3)));

    store.podActive("p2", T0.plusSeconds(9));
    store.podActive("unknown", T0.plusSeconds(9));

    assertThat(store.startedPods())
        .containsExactly(
            new StartedPod("p1", "static", T0, T0.plusSeconds(3)),
            new StartedPod("p2", "runpod", T0.plusSeconds(1), T0.plusSeconds(9)));

    store.podForgotten("p1");
    store.podForgotten("unknown");
    assertThat(store.startedPods()).extracting(StartedPod::podId).containsExactly("p2");
  }

  @Test
  void podIntended_upserts_podIntentCleared_removes_listIsOldestFirst() {
    store.podIntended(new PodIntent("openavathar-b", "runpod", T0.plusSeconds(1)));
    store.podIntended(new PodIntent("openavathar-a", "runpod", T0.plusSeconds(5)));
    store.podIntended(new PodIntent("openavathar-a", "runpod", T0));

    assertThat(store.podIntents())
        .containsExactly(
            new PodIntent("openavathar-a", "runpod", T0),
            new PodIntent("openavathar-b", "runpod", T0.plusSeconds(1)));

    store.podIntentCleared("openavathar-a");
    store.podIntentCleared("unknown");
    assertThat(store.podIntents())
        .containsExactly(new PodIntent("openavathar-b", "runpod", T0.plusSeconds(1)));
  }

  @Test
  void pendingTracks_addIsIdempotent_keepsTheFirstTime_removeRemoves_listIsOldestFirst() {
    store.addPendingTrack("j2", T0.plusSeconds(1));
    store.addPendingTrack("j1", T0);
    store.addPendingTrack("j2", T0.plusSeconds(5));

    assertThat(store.pendingTracks()).containsExactly("j1", "j2");
    assertThat(store.pendingTrackEntries())
        .containsExactly(new PendingTrack("j1", T0), new PendingTrack("j2", T0.plusSeconds(1)));

    store.removePendingTrack("j1");
    store.removePendingTrack("ghost");
    assertThat(store.pendingTracks()).containsExactly("j2");
  }

  @Test
  void setSetting_upserts() {
    assertThat(store.setting("theme")).isEmpty();

    store.setSetting("theme", "dark");
    store.setSetting("theme", "light");
    store.setSetting("empty", "");

    assertThat(store.setting("theme")).contains("light");
    assertThat(store.setting("empty")).contains("");
  }

  @Test
  void schemaVersion_isTheLatest() {
    assertThat(store.schemaVersion()).isEqualTo(SchemaMigrations.LATEST).isEqualTo(7);
  }

  @Test
  void close_isIdempotent_andLaterCallsFail() {
    store.close();
    store.close();

    assertThatThrownBy(() -> store.job("j1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void times_outsideTheStoredRange_areRejectedBeforeWriting() {
    assertThatThrownBy(() -> store.insertJob(job("j1", Instant.parse("+10000-01-01T00:00:00Z"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("years 0000 to 9999");
    assertThat(store.job("j1")).isEmpty();
  }

  static List<String> ids(List<JobRecord> jobs) {
    return jobs.stream().map(JobRecord::id).toList();
  }
}
