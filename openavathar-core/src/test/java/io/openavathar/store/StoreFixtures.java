package io.openavathar.store;

import io.openavathar.JobState;
import java.time.Instant;

/** Records for store tests. */
final class StoreFixtures {
  /** A time with nanoseconds, to prove times round-trip exactly. */
  static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456789Z");

  private StoreFixtures() {}

  static JobRecord job(String id, Instant createdAt) {
    return JobRecord.builder(id)
        .state(JobState.QUEUED)
        .requestJson("{\"prompt\":\"a person talking\",\"id\":\"" + id + "\"}")
        .seed(42)
        .createdAt(createdAt)
        .updatedAt(createdAt)
        .build();
  }

  static JobRecord fullJob(String id) {
    return job(id, T0).toBuilder()
        .state(JobState.FAILED)
        .seed(-7_000_000_000L)
        .attempt(3)
        .podId("pod-1")
        .promptId("prompt-1")
        .comfyUrl("https://pod-1-8188.proxy.example/prefix")
        .outputFile("/videos/out.mp4")
        .error("RemoteUnavailableException", "pod-1 stopped answering; ünïcödé and 'quotes'")
        .updatedAt(T0.plusMillis(1500).plusNanos(1))
        .build();
  }

  static VideoRecord video(String id, Instant createdAt) {
    return new VideoRecord(
        id,
        "job-" + id,
        "pod-1",
        "NVIDIA GeForce RTX 4090",
        "prompt-" + id,
        "output",
        "infinitetalk",
        id + ".mp4",
        "/videos/" + id + ".mp4",
        12_345_678_901L,
        720,
        1280,
        81,
        3_240,
        123_456_789L,
        87.25,
        createdAt);
  }

  /** The video a job made, as the engine records it: the video id is the job id. */
  static VideoRecord videoOf(String jobId, Instant createdAt) {
    VideoRecord v = video(jobId, createdAt);
    return new VideoRecord(
        jobId,
        jobId,
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
        createdAt);
  }
}
