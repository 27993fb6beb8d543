package io.openavathar.store;

import io.openavathar.GeneratedVideo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A video in the gallery as the store keeps it. A record: the store's row shape, versioned with the
 * schema; the public gallery value is {@link io.openavathar.GeneratedVideo}.
 *
 * @param id the video id
 * @param jobId the job that made it (empty for videos imported from a pod's history)
 * @param podId the pod that generated it
 * @param gpuType the pod's GPU type, empty if unknown
 * @param promptId the ComfyUI prompt id
 * @param remoteType the file's ComfyUI type ({@code output}), for downloading it again
 * @param remoteSubfolder the file's subfolder on the server
 * @param remoteFilename the file's name on the server
 * @param localFile the MP4 on local disk (it may have been deleted since)
 * @param sizeBytes the file size
 * @param width width in pixels
 * @param height height in pixels
 * @param frames frames generated
 * @param durationMillis the video's length
 * @param seed the sampler seed
 * @param gpuSeconds GPU time spent on it (execution start to end), 0 if unknown
 * @param createdAt when it was finished
 * @param pricePerHour USD per hour of the pod it ran on, as the provider reported it when the job
 *     started; empty if unknown (a static ComfyUI URL, an imported video)
 * @param costUsd what it cost: {@code gpuSeconds / 3600 x pricePerHour}; empty if either is unknown
 * @param requestedFrames the frames the job asked the workflow for (from the audio, 25 per second,
 *     capped by the request's maximum), which with the GPU type sets its GPU time; 0 if unknown
 *     (imported, or before schema 5)
 */
public record VideoRecord(
    String id,
    String jobId,
    String podId,
    String gpuType,
    String promptId,
    String remoteType,
    String remoteSubfolder,
    String remoteFilename,
    String localFile,
    long sizeBytes,
    int width,
    int height,
    int frames,
    long durationMillis,
    long seed,
    double gpuSeconds,
    Instant createdAt,
    OptionalDouble pricePerHour,
    OptionalDouble costUsd,
    int requestedFrames) {
  /**
   * Checks that no value is null.
   *
   * @param id the video id
   * @param jobId the job that made it, empty if imported
   * @param podId the pod that generated it
   * @param gpuType the pod's GPU type, empty if unknown
   * @param promptId the ComfyUI prompt id
   * @param remoteType the file's ComfyUI type
   * @param remoteSubfolder the file's subfolder on the server
   * @param remoteFilename the file's name on the server
   * @param localFile the MP4 on local disk
   * @param sizeBytes the file size in bytes
   * @param width width in pixels
   * @param height height in pixels
   * @param frames frames generated
   * @param durationMillis the video's length in milliseconds
   * @param seed the sampler seed
   * @param gpuSeconds GPU time spent, 0 if unknown
   * @param createdAt when it was finished
   * @param pricePerHour USD per hour, or empty
   * @param costUsd what it cost in USD, or empty
   * @param requestedFrames the frames the job asked for, 0 if unknown
   */
  public VideoRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(podId, "podId");
    Objects.requireNonNull(gpuType, "gpuType");
    Objects.requireNonNull(promptId, "promptId");
    Objects.requireNonNull(remoteType, "remoteType");
    Objects.requireNonNull(remoteSubfolder, "remoteSubfolder");
    Objects.requireNonNull(remoteFilename, "remoteFilename");
    Objects.requireNonNull(localFile, "localFile");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(pricePerHour, "pricePerHour");
    Objects.requireNonNull(costUsd, "costUsd");
  }

  /**
   * A row whose price and cost are unknown (the shape before schema 5).
   *
   * @param id the video id
   * @param jobId the job that made it, empty if imported
   * @param podId the pod that generated it
   * @param gpuType the pod's GPU type, empty if unknown
   * @param promptId the ComfyUI prompt id
   * @param remoteType the file's ComfyUI type
   * @param remoteSubfolder the file's subfolder on the server
   * @param remoteFilename the file's name on the server
   * @param localFile the MP4 on local disk
   * @param sizeBytes the file size in bytes
   * @param width width in pixels
   * @param height height in pixels
   * @param frames frames generated
   * @param durationMillis the video's length in milliseconds
   * @param seed the sampler seed
   * @param gpuSeconds GPU time spent, 0 if unknown
   * @param createdAt when it was finished
   */
  public VideoRecord(
      String id,
      String jobId,
      String podId,
      String gpuType,
      String promptId,
      String remoteType,
      String remoteSubfolder,
      String remoteFilename,
      String localFile,
      long sizeBytes,
      int width,
      int height,
      int frames,
      long durationMillis,
      long seed,
      double gpuSeconds,
      Instant createdAt) {
    this(
        id,
        jobId,
        podId,
        gpuType,
        promptId,
        remoteType,
        remoteSubfolder,
        remoteFilename,
        localFile,
        sizeBytes,
        width,
        height,
        frames,
        durationMillis,
        seed,
        gpuSeconds,
        createdAt,
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        0);
  }

  /**
   * This row priced at {@code pricePerHour} USD per hour (empty or not positive: unknown): the cost
   * is {@code gpuSeconds / 3600 x pricePerHour}, unknown while the GPU seconds are.
   *
   * @param pricePerHour USD per hour, or empty
   * @return a copy with the price and the cost
   */
  public VideoRecord priced(OptionalDouble pricePerHour) {
    OptionalDouble price =
        pricePerHour.isPresent() && pricePerHour.getAsDouble() > 0
            ? pricePerHour
            : OptionalDouble.empty();
    OptionalDouble cost =
        price.isPresent() && gpuSeconds() > 0
            ? OptionalDouble.of(gpuSeconds() / 3600.0 * price.getAsDouble())
            : OptionalDouble.empty();
    return new VideoRecord(
        id(),
        jobId(),
        podId(),
        gpuType(),
        promptId(),
        remoteType(),
        remoteSubfolder(),
        remoteFilename(),
        localFile(),
        sizeBytes(),
        width(),
        height(),
        frames(),
        durationMillis(),
        seed(),
        gpuSeconds(),
        createdAt(),
        price,
        cost,
        requestedFrames());
  }

  /**
   * The public gallery value for this row.
   *
   * @return the gallery value
   */
  public GeneratedVideo toGeneratedVideo() {
    String remote =
        remoteType()
            + "/"
            + (remoteSubfolder().isEmpty() ? "" : remoteSubfolder() + "/")
            + remoteFilename();
    return GeneratedVideo.builder()
        .id(id())
        .jobId(jobId())
        .podId(podId())
        .promptId(promptId())
        .remoteFile(remote)
        .file(Path.of(localFile()))
        .sizeBytes(sizeBytes())
        .size(width(), height())
        .frames(frames())
        .duration(Duration.ofMillis(durationMillis()))
        .seed(seed())
        .gpuType(gpuType())
        .gpuSeconds(gpuSeconds())
        .createdAt(createdAt())
        .pricePerHour(pricePerHour())
        .costUsd(costUsd())
        .build();
  }
}
