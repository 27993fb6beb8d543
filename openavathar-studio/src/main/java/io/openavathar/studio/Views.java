package io.openavathar.studio;

import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationJob;
import io.openavathar.JobProgress;
import io.openavathar.OpenAvatharException;
import io.openavathar.pod.Pod;
import io.openavathar.store.JobRecord;
import io.openavathar.store.StudioStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;

/** The JSON shapes the pages read: jobs, videos and pods, from the SDK's public types. */
final class Views {
  private final Clock clock;
  private final Refusals refusals;

  Views(Clock clock, Refusals refusals) {
    this.clock = clock;
    this.refusals = refusals;
  }

  /** A live job, with its progress and, once it ended, its video or its error. */
  Map<String, Object> job(GenerationJob job, StudioStore store) {
    return job(job, java.util.Optional.of(store));
  }

  /**
   * As above; without a store (while the studio is being built) the pod and poster are left out.
   */
  Map<String, Object> job(GenerationJob job, java.util.Optional<StudioStore> store) {
    JobProgress p = job.progress();
    io.openavathar.JobState state = job.state();
    if (state.isTerminal()) {
      // The job's state turns terminal an instant before its future completes (the engine stores
      // the end, then tells): wait for that instant, so an ended job is never shown without its
      // video or error (the page never takes an ended job back).
      try {
        job.future().handle((v, e) -> null).get(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // shown as it is
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", job.id());
    m.put("state", state.name());
    m.put("terminal", state.isTerminal());
    m.put("fraction", p.fraction());
    m.put("message", p.message());
    m.put("stage", p.stage());
    store
        .flatMap(st -> st.job(job.id()))
        .flatMap(JobRecord::podId)
        .ifPresent(pod -> m.put("podId", pod));
    job.request().targetPod().ifPresent(pod -> m.put("targetPod", pod));
    if (job.future().isDone()) {
      try {
        GeneratedVideo v = job.future().join();
        m.put("videoId", v.id());
        m.put("podId", v.podId());
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        m.put("error", message(e));
        refusals
            .of(e)
            .ifPresent(
                r -> {
                  m.put("error", r.get("message"));
                  m.put("refusal", r);
                });
      }
    }
    store.ifPresent(st -> m.putAll(poster(st, job.id())));
    return m;
  }

  /** A job of an earlier run (or one no longer live here), from its record. */
  Map<String, Object> record(io.openavathar.job.JobInfo r, StudioStore store) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("state", r.state().name());
    m.put("terminal", r.state().isTerminal());
    m.put("fraction", r.state() == io.openavathar.JobState.COMPLETED ? 1.0 : 0.0);
    m.put("message", r.errorMessage().orElse(words(r.state())));
    m.put("stage", words(r.state()));
    r.podId().ifPresent(pod -> m.put("podId", pod));
    r.errorMessage().ifPresent(e -> m.put("error", e));
    m.putAll(poster(store, r.id()));
    return m;
  }

  private static Map<String, Object> poster(StudioStore store, String jobId) {
    Map<String, String> notes = JobNotes.read(store, jobId);
    Map<String, Object> m = new LinkedHashMap<>();
    if (notes.containsKey("image")) {
      m.put("poster", notes.get("image"));
    }
    return m;
  }

  Map<String, Object> video(GeneratedVideo v, StudioStore store) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", v.id());
    m.put("jobId", v.jobId());
    m.put("podId", v.podId());
    m.put("durationMillis", v.duration().toMillis());
    m.put("createdAt", v.createdAt().toString());
    m.put("width", v.width());
    m.put("height", v.height());
    m.put("sizeBytes", v.sizeBytes());
    m.put("gpuType", v.gpuType());
    m.put("gpuSeconds", v.gpuSeconds());
    v.pricePerHour().ifPresent(p -> m.put("pricePerHour", p));
    Costs.ofVideo(v).ifPresent(c -> m.put("costUsd", c));
    if (!v.jobId().isEmpty()) {
      Map<String, String> notes = JobNotes.read(store, v.jobId());
      if (notes.containsKey("image")) {
        m.put("poster", notes.get("image"));
        m.put("canMakeAgain", notes.containsKey("audio"));
      }
    }
    return m;
  }

  /**
   * A pod with its load and, while it runs, the SDK's estimate of what it cost since it started.
   */
  Map<String, Object> pod(Pod p, int load) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", p.id());
    m.put("name", p.name());
    m.put("status", p.status().name());
    m.put("ready", p.isServing(io.openavathar.pod.PodSpec.COMFYUI_PORT));
    m.put("gpu", p.gpuType().orElse(""));
    m.put("cloud", p.cloudType().name());
    m.put("costPerHour", p.costPerHour());
    m.put("managed", p.isManaged());
    m.put("jobs", load);
    p.startedAt().ifPresent(started -> m.put("startedAt", started.toString()));
    p.estimatedCostSinceStart(clock.instant()).ifPresent(c -> m.put("costSoFarUsd", c));
    return m;
  }

  static String message(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof OpenAvatharException || t instanceof IllegalArgumentException) {
      return t.getMessage();
    }
    if (t instanceof java.util.concurrent.CancellationException) {
      return "Cancelled.";
    }
    return "Something went wrong ("
        + t.getClass().getSimpleName()
        + "). Try again; if it keeps failing, restart"
        + " openavathar studio with --verbose and look at its output.";
  }

  static String words(io.openavathar.JobState s) {
    return switch (s) {
      case QUEUED -> "Queued";
      case WAITING_FOR_POD -> "Starting your studio";
      case UPLOADING -> "Uploading";
      case SUBMITTED -> "Submitted";
      case GENERATING -> "Generating";
      case DOWNLOADING -> "Downloading the video";
      case COMPLETED -> "Done";
      case FAILED -> "Failed";
      case CANCELLED -> "Cancelled";
    };
  }
}
