package io.openavathar.gallery;

import io.openavathar.store.JobQuery;
import io.openavathar.store.JobRecord;
import io.openavathar.store.StartedPod;
import io.openavathar.store.StudioStore;
import io.openavathar.store.VideoRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory {@link StudioStore} for gallery tests until the real in-memory store lands: videos, jobs and started
 * pods behave; claims, quota tracking and settings are minimal. Thread-safe (one monitor).
 */
final class FakeStudioStore implements StudioStore {
  private final Map<String, VideoRecord> videos = new LinkedHashMap<>();
  private final Map<String, JobRecord> jobs = new LinkedHashMap<>();
  private final Map<String, List<String>> logs = new LinkedHashMap<>();
  private final Map<String, StartedPod> pods = new LinkedHashMap<>();
  private final Map<String, String> settings = new LinkedHashMap<>();

  @Override
  public synchronized void insertJob(JobRecord job) {
    if (jobs.putIfAbsent(job.id(), job) != null) {
      throw new IllegalStateException("job exists: " + job.id());
    }
  }

  @Override
  public synchronized void updateJob(JobRecord job) {
    if (jobs.replace(job.id(), job) == null) {
      throw new IllegalStateException("no job " + job.id());
    }
  }

  @Override
  public synchronized Optional<JobRecord> job(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  @Override
  public synchronized List<JobRecord> jobs(JobQuery query) {
    return jobs.values().stream()
        .filter(j -> query.states().isEmpty() || query.states().contains(j.state()))
        .sorted(Comparator.comparing(JobRecord::createdAt).reversed())
        .skip(query.offset()).limit(query.limit()).toList();
  }

  @Override
  public boolean claimJob(String jobId, String owner, Instant now, Duration lease) {
    return true;
  }

  @Override
  public void releaseJob(String jobId, String owner) {}

  @Override
  public synchronized void appendJobLog(String jobId, Instant at, String line) {
    logs.computeIfAbsent(jobId, k -> new ArrayList<>()).add(line);
  }

  @Override
  public synchronized List<String> jobLog(String jobId) {
    return List.copyOf(logs.getOrDefault(jobId, List.of()));
  }

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

  /** Newest first; among equal times, the later insert first. */
  @Override
  public synchronized List<VideoRecord> videos(int offset, int limit) {
    List<VideoRecord> all = new ArrayList<>(videos.values());
    java.util.Collections.reverse(all);
    all.sort(Comparator.comparing(VideoRecord::createdAt).reversed());
    return all.stream().skip(offset).limit(limit).toList();
  }

  @Override
  public synchronized boolean deleteVideo(String id) {
    return videos.remove(id) != null;
  }

  @Override
  public synchronized void podStarted(StartedPod pod) {
    pods.put(pod.podId(), pod);
  }

  @Override
  public synchronized void podActive(String podId, Instant at) {
    pods.computeIfPresent(podId, (k, p) -> new StartedPod(p.podId(), p.provider(), p.startedAt(), at));
  }

  @Override
  public synchronized void podForgotten(String podId) {
    pods.remove(podId);
  }

  @Override
  public synchronized List<StartedPod> startedPods() {
    return List.copyOf(pods.values());
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
  public synchronized Optional<String> setting(String key) {
    return Optional.ofNullable(settings.get(key));
  }

  @Override
  public synchronized void setSetting(String key, String value) {
    settings.put(key, value);
  }

  @Override
  public int schemaVersion() {
    return 1;
  }

  @Override
  public void close() {}
}
