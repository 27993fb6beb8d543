package io.openavathar.internal.job;

import io.openavathar.JobProgress;
import io.openavathar.JobState;
import io.openavathar.comfy.ComfyEvent;
import io.openavathar.comfy.PromptTracker;
import io.openavathar.workflow.WorkflowTemplate;
import java.util.Locale;

/**
 * Turns bytes and ComfyUI events into one monotonic {@link JobProgress}: upload 0-5%, model loading 5-10%, sampling
 * 10-90% (steps across the frame windows), encoding 90-95%, download 95-100%.
 *
 * <p>The sampler's own {@code max} can be too high (it estimates windows as floor(T/72)+1), so windows come from
 * the job's frame count and the node's end, not {@code value == max}, ends sampling.
 *
 * <p>A workflow without a sampler node (a user's graph of core nodes: ComfyUI sends no step progress for it) advances
 * by node instead: each node that starts moves the job on by its share of the graph's nodes, up to 90%.
 */
final class ProgressModel implements PromptTracker.Listener {
  private static final double UPLOAD_END = 0.05;
  private static final double SAMPLING_START = 0.10;
  private static final double SAMPLING_END = 0.90;
  private static final double ENCODING_END = 0.95;

  private final PreparedJob job;
  private final JobControl control;
  private final String samplerNode;
  private final String outputNode;
  private final java.util.Map<String, String> titles = new java.util.HashMap<>();
  /** Nodes seen starting, for workflows without a sampler. */
  private final java.util.Set<String> nodesStarted = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final java.time.Clock clock;
  private volatile java.time.Instant executionStarted;

  ProgressModel(PreparedJob job, WorkflowTemplate template, JobControl control, java.time.Clock clock) {
    this.clock = clock;
    this.job = job;
    this.control = control;
    this.samplerNode = template.samplerNodeId().orElse("");
    this.outputNode = template.outputNodeId().orElse("");
    template.graph().properties().forEach(e -> {
      String title = e.getValue().path("_meta").path("title").asText("");
      titles.put(e.getKey(), title.isEmpty() ? e.getValue().path("class_type").asText("node " + e.getKey()) : title);
    });
  }

  void uploaded(long done, long total) {
    control.progress(JobProgress.builder(JobState.UPLOADING)
        .fraction(total <= 0 ? 0 : UPLOAD_END * done / total)
        .bytes(done, total)
        .message(String.format(Locale.ROOT, "Uploading: %s of %s", mb(done), mb(total)))
        .build());
  }

  void downloaded(long done, long total) {
    double f = total <= 0 ? ENCODING_END : ENCODING_END + (1 - ENCODING_END) * done / total;
    control.progress(JobProgress.builder(JobState.DOWNLOADING)
        .fraction(f)
        .bytes(done, total)
        .message("Downloading: " + mb(done) + (total > 0 ? " of " + mb(total) : ""))
        .build());
  }

  @Override
  public void onQueuePosition(int ahead) {
    if (ahead > 0) {
      control.progress(JobProgress.builder(JobState.SUBMITTED)
          .fraction(UPLOAD_END)
          .queuePosition(ahead)
          .message("Waiting in ComfyUI's queue: " + ahead + (ahead == 1 ? " job" : " jobs") + " ahead")
          .build());
    }
  }

  /** GPU time of the run so far: from ComfyUI's execution start (as this SDK saw it) to {@code now}; 0 if unseen. */
  double gpuSeconds(java.time.Instant now) {
    java.time.Instant start = executionStarted;
    return start == null ? 0 : java.time.Duration.between(start, now).toMillis() / 1000.0;
  }

  @Override
  public void onEvent(ComfyEvent event) {
    if (event instanceof ComfyEvent.ExecutionStart && executionStarted == null) {
      executionStarted = clock.instant();
    }
    if (event instanceof ComfyEvent.ExecutionStart) {
      generating(JobProgress.builder(JobState.GENERATING).fraction(UPLOAD_END).queuePosition(0)
          .message("Generating: starting"));
    } else if (event instanceof ComfyEvent.Executing e && e.node().isPresent()) {
      String node = e.node().get();
      if (node.equals(outputNode)) {
        generating(JobProgress.builder(JobState.GENERATING).fraction(SAMPLING_END).message("Encoding the video"));
      } else if (samplerNode.isEmpty()) {
        nodesStarted.add(node);
        double done = Math.min(1.0, (nodesStarted.size() - 1) / (double) Math.max(1, titles.size()));
        generating(JobProgress.builder(JobState.GENERATING)
            .fraction(SAMPLING_START + (SAMPLING_END - SAMPLING_START) * done)
            .message("Running: " + title(node)));
      } else if (!node.equals(samplerNode)) {
        generating(JobProgress.builder(JobState.GENERATING).fraction(UPLOAD_END)
            .message("Preparing: " + title(node)));
      }
    } else if (event instanceof ComfyEvent.Progress p) {
      if (p.node().equals(samplerNode)) {
        sampling(p.value());
      } else if (p.node().equals(outputNode) && p.max() > 0) {
        generating(JobProgress.builder(JobState.GENERATING)
            .fraction(SAMPLING_END + (ENCODING_END - SAMPLING_END) * p.value() / p.max())
            .message(String.format(Locale.ROOT, "Encoding the video: frame %d of %d", p.value(), p.max())));
      }
    }
  }

  private void sampling(long value) {
    int steps = Math.max(1, job.steps());
    int windows = Math.max(1, job.windows());
    long total = (long) steps * windows;
    long v = Math.max(1, Math.min(value, total));
    int window = (int) ((v - 1) / steps) + 1;
    int step = (int) ((v - 1) % steps) + 1;
    generating(JobProgress.builder(JobState.GENERATING)
        .fraction(SAMPLING_START + (SAMPLING_END - SAMPLING_START) * v / total)
        .window(window, windows)
        .step(step, steps)
        .message(String.format(Locale.ROOT, "Generating: window %d/%d, step %d/%d", window, windows, step, steps)));
  }

  private void generating(JobProgress.Builder b) {
    control.transition(JobState.GENERATING);
    control.progress(b.build());
  }

  private String title(String node) {
    return titles.getOrDefault(node, "node " + node);
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
  }
}
