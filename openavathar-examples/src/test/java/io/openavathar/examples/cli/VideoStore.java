package io.openavathar.examples.cli;

import io.openavathar.store.JobQuery;
import io.openavathar.store.JobRecord;
import io.openavathar.store.StartedPod;
import io.openavathar.store.StudioStore;
import io.openavathar.store.VideoRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A store that keeps videos in memory and ignores job writes (the engine only writes them), for CLI tests until the
 * real in-memory store lands. Closing it keeps its videos, so several CLI runs can share it.
 */
final class VideoStore implements StudioStore {
  private final Map<String, VideoRecord> videos = new LinkedHashMap<>();

  @Override
  public synchronized void insertVideo(VideoRecord video) {
    if (videos.putIfAbsent(video.id(), video) != null) {
      throw new IllegalStateException("video exists: " + video.id());
    }
  }

  @Override
  public synchronized Optional<VideoRecord> video(String id) {
    return Optional.ofNullable(videos.get(id));
  }

  @Override
  public synchronized List<VideoRecord> videos(int offset, int limit) {
    List<VideoRecord> all = new ArrayList<>(videos.values());
    Collections.reverse(all);
    all.sort(Comparator.comparing(VideoRecord::createdAt).reversed());
    return all.stream().skip(offset).limit(limit).toList();
  }

  @Override
  public synchronized boolean deleteVideo(String id) {
    return videos.remove(id) != null;
  }

  @Override
  public void insertJob(JobRecord job) {}

  @Override
  public void updateJob(JobRecord job) {}

  @Override
  public void appendJobLog(String jobId, Instant at, String line) {}

  @Override
  public Optional<JobRecord> job(String id) {
    return Optional.empty();
  }

  @Override
  public List<JobRecord> jobs(JobQuery query) {
    return List.of();
  }

  @Override
  public boolean claimJob(String jobId, String owner, Instant now, Duration lease) {
    return true;
  }

  @Override
  public void releaseJob(String jobId, String owner) {}

  @Override
  public List<String> jobLog(String jobId) {
    return List.of();
  }

  @Override
  public void podStarted(StartedPod pod) {}

  @Override
  public void podActive(String podId, Instant at) {}

  @Override
  public void podForgotten(String podId) {}

  @Override
  public List<StartedPod> startedPods() {
    return List.of();
  }

  @Override
  public void addPendingTrack(String jobId, Instant at) {}

  @Override
  public void removePendingTrack(String jobId) {}

  @Override
  public List<String> pendingTracks() {
    return List.of();
  }

  @Override
  public Optional<String> setting(String key) {
    return Optional.empty();
  }

  @Override
  public void setSetting(String key, String value) {}

  @Override
  public int schemaVersion() {
    return 1;
  }

  @Override
  public void close() {}
}
