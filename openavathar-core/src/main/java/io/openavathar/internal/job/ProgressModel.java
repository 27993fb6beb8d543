package io.openavathar.internal.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.JobProgress;
import io.openavathar.JobState;
import io.openavathar.comfy.ComfyEvent;
import io.openavathar.comfy.PromptTracker;
import io.openavathar.workflow.WorkflowTemplate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns bytes and ComfyUI events into one monotonic {@link JobProgress}, whose {@link
 * JobProgress#stage() stage} says what ComfyUI is doing even while the fraction stands still
 * (models load for minutes on a fresh GPU pod).
 *
 * <p>With a sampler node (InfiniteTalk): upload 0-5% ("Uploading"), the nodes before the sampler
 * 5-10% ("Loading models (VAE)", "Preparing inputs (Audio embeds)", counted by the sampler's
 * upstream nodes that finished), sampling 10-90% ("Generating window 2 of 4", steps across the
 * frame windows), the nodes after it and the output node 90-95% ("Decoding the video (...)",
 * "Saving the video" with frames), download 95-100%. The sampler's own {@code max} can be too high
 * (it estimates windows as floor(T/72)+1), so windows come from the job's frame count and the
 * node's end, not {@code value == max}, ends sampling.
 *
 * <p>Without one (a graph of core nodes, which sends {@code progress_state} but no {@code
 * progress}), generation (5-95%) moves by the nodes that finished, of those the output node needs,
 * plus the running node's own value of max; the stage names the running node ("Running Repeat Image
 * Batch (node 4 of 6)").
 *
 * <p>A node counts as finished when {@code progress_state} says so, when it was cached, or when
 * another node starts.
 */
final class ProgressModel implements PromptTracker.Listener {
  private static final double UPLOAD_END = 0.05;
  private static final double SAMPLING_START = 0.10;
  private static final double SAMPLING_END = 0.90;
  private static final double ENCODING_END = 0.95;

  private final PreparedJob job;
  private final Sink sink;
  private final Clock clock;
  private final String samplerNode;
  private final String outputNode;
  private final Map<String, String> titles = new HashMap<>();
  private final Map<String, String> classes = new HashMap<>();

  /** The nodes the sampler depends on (empty without a sampler). */
  private final Set<String> beforeSampler;

  /**
   * The nodes ComfyUI runs: the output node and those it depends on (every node when the output is
   * unknown).
   */
  private final Set<String> toRun;

  private volatile Instant executionStarted;

  // Guarded by this.
  private final Set<String> finished = new HashSet<>();

  /**
   * progress_state keys that are not graph ids (nodes inside subgraphs) to the graph node shown for
   * them.
   */
  private final Map<String, String> shownAs = new HashMap<>();

  private boolean started;
  private String running;
  private double runningValue;
  private double runningMax;
  private JobProgress last;

  /**
   * Where the model's progress goes. The model only turns events into progress; what a progress
   * means for the job's state is the backend's call (see {@link Sink#of(JobControl)}).
   */
  interface Sink {
    /** Progress before the workflow generates: uploading, queued, downloading. */
    void progress(JobProgress p);

    /** Progress of the running workflow (the first one is where the job starts generating). */
    void generating(JobProgress p);

    /** The job's own sink: generating progress moves the job to {@link JobState#GENERATING}. */
    static Sink of(JobControl control) {
      return new Sink() {
        @Override
        public void progress(JobProgress p) {
          control.progress(p);
        }

        @Override
        public void generating(JobProgress p) {
          control.transition(JobState.GENERATING, p); // the first one carries the state change
        }
      };
    }
  }

  ProgressModel(PreparedJob job, WorkflowTemplate template, Sink sink, Clock clock) {
    this.clock = clock;
    this.job = job;
    this.sink = sink;
    this.samplerNode = template.samplerNodeId().orElse("");
    this.outputNode = template.outputNodeId().orElse("");
    template
        .graph()
        .properties()
        .forEach(
            e -> {
              String type = e.getValue().path("class_type").asText("");
              String title = e.getValue().path("_meta").path("title").asText("");
              classes.put(e.getKey(), type);
              titles.put(
                  e.getKey(),
                  !title.isEmpty() ? title : !type.isEmpty() ? type : "node " + e.getKey());
            });
    this.beforeSampler = upstreamOf(template.graph(), samplerNode);
    this.toRun =
        new HashSet<>(
            outputNode.isEmpty() ? titles.keySet() : upstreamOf(template.graph(), outputNode));
    if (!outputNode.isEmpty()) {
      toRun.add(outputNode);
    }
  }

  synchronized void uploaded(long done, long total) {
    String stage = "Uploading";
    emit(
        JobProgress.builder(JobState.UPLOADING)
            .fraction(total <= 0 ? 0 : UPLOAD_END * done / total)
            .bytes(done, total)
            .stage(stage)
            .message(String.format(Locale.ROOT, "%s: %s of %s", stage, mb(done), mb(total)))
            .build());
  }

  synchronized void downloaded(long done, long total) {
    double f = total <= 0 ? ENCODING_END : ENCODING_END + (1 - ENCODING_END) * done / total;
    String stage = "Downloading the video";
    emit(
        JobProgress.builder(JobState.DOWNLOADING)
            .fraction(f)
            .bytes(done, total)
            .stage(stage)
            .message(stage + ": " + mb(done) + (total > 0 ? " of " + mb(total) : ""))
            .build());
  }

  @Override
  public synchronized void onQueuePosition(int ahead) {
    if (ahead > 0 && !started) {
      String stage =
          "Queued on ComfyUI (" + ahead + (ahead == 1 ? " prompt" : " prompts") + " ahead)";
      emit(
          JobProgress.builder(JobState.SUBMITTED)
              .fraction(UPLOAD_END)
              .queuePosition(ahead)
              .stage(stage)
              .message(stage)
              .build());
    }
  }

  /**
   * GPU time of the run so far: from ComfyUI's execution start (as this SDK saw it) to {@code now};
   * 0 if unseen.
   */
  double gpuSeconds(Instant now) {
    Instant start = executionStarted;
    return start == null ? 0 : Duration.between(start, now).toMillis() / 1000.0;
  }

  @Override
  public synchronized void onEvent(ComfyEvent event) {
    if (event instanceof ComfyEvent.ExecutionStart) {
      if (executionStarted == null) {
        executionStarted = clock.instant();
      }
      started = true;
    } else if (event instanceof ComfyEvent.ExecutionCached c) {
      finished.addAll(c.nodes());
    } else if (event instanceof ComfyEvent.Executing e && e.node().isPresent()) {
      start(e.node().get());
    } else if (event instanceof ComfyEvent.Progress p) {
      progress(p.node(), p.value(), p.max());
    } else if (event instanceof ComfyEvent.ProgressState s) {
      progressState(s);
    } else {
      return;
    }
    generating();
  }

  private void progressState(ComfyEvent.ProgressState s) {
    String runningNow = null;
    ComfyEvent.NodeProgress runningEntry = null;
    for (Map.Entry<String, ComfyEvent.NodeProgress> e : s.nodes().entrySet()) {
      String node = e.getKey();
      ComfyEvent.NodeProgress p = e.getValue();
      if (!titles.containsKey(node) && p.displayNode().filter(titles::containsKey).isPresent()) {
        shownAs.put(node, p.displayNode().get());
      }
      if (p.state() == ComfyEvent.NodeState.FINISHED) {
        finished.add(node);
      } else if (p.state() == ComfyEvent.NodeState.RUNNING) {
        runningNow = node;
        runningEntry = p;
      }
    }
    if (runningNow != null) {
      progress(runningNow, runningEntry.value(), runningEntry.max());
    }
  }

  /** A node runs now (executing, or progress of a node other than the last one that started). */
  private void start(String node) {
    started = true;
    if (node.equals(running)) {
      return;
    }
    if (running != null) {
      finished.add(running);
    }
    running = node;
    runningValue = 0;
    runningMax = 0;
  }

  private void progress(String node, double value, double max) {
    start(node);
    if (Double.isFinite(value) && Double.isFinite(max)) {
      runningValue = value;
      runningMax = max;
    }
  }

  private void generating() {
    JobProgress.Builder b = JobProgress.builder(JobState.GENERATING).queuePosition(0);
    if (samplerNode.isEmpty()) {
      byNodes(b);
    } else if (running == null) {
      b.fraction(UPLOAD_END).stage("Loading models");
    } else if (shown(running).equals(samplerNode)) {
      sampling(b);
    } else if (shown(running).equals(outputNode)) {
      b.fraction(SAMPLING_END + (ENCODING_END - SAMPLING_END) * ratio()).stage("Saving the video");
      if (runningMax > 1) {
        b.message(
            String.format(
                Locale.ROOT,
                "Saving the video, frame %d of %d",
                (long) runningValue,
                (long) runningMax));
      }
    } else if (finished.contains(samplerNode)) {
      b.fraction(SAMPLING_END).stage("Decoding the video (" + title(running) + ")");
    } else {
      double done = finished.stream().filter(beforeSampler::contains).count();
      b.fraction(
              UPLOAD_END
                  + (SAMPLING_START - UPLOAD_END)
                      * Math.min(1.0, done / Math.max(1, beforeSampler.size())))
          .stage(
              (isLoader(running) ? "Loading models (" : "Preparing inputs (")
                  + title(running)
                  + ")");
    }
    JobProgress p = b.build();
    if (p.message().isEmpty()) {
      p = b.message(p.stage() + nodeDetail()).build();
    }
    if (!p.equals(last)) {
      last = p;
      sink.generating(p);
    }
  }

  /**
   * Without a sampler: nodes finished of the nodes to run, plus the running node's value of max.
   */
  private void byNodes(JobProgress.Builder b) {
    int total = toRun.size();
    long done =
        finished.stream().filter(n -> !n.equals(running) && toRun.contains(shown(n))).count();
    if (running == null) {
      b.fraction(UPLOAD_END).stage("Starting the workflow");
      return;
    }
    double f = Math.min(1.0, (done + (finished.contains(running) ? 1 : ratio())) / total);
    String what =
        shown(running).equals(outputNode) ? "Saving the video" : "Running " + title(running);
    b.fraction(UPLOAD_END + (ENCODING_END - UPLOAD_END) * f)
        .stage(
            String.format(
                Locale.ROOT, "%s (node %d of %d)", what, Math.min(done + 1, total), total));
  }

  private void sampling(JobProgress.Builder b) {
    int steps = Math.max(1, job.steps());
    int windows = Math.max(1, job.windows());
    long total = (long) steps * windows;
    long v = Math.max(0, Math.min((long) runningValue, total));
    if (v == 0) {
      b.fraction(SAMPLING_START)
          .window(1, windows)
          .step(0, steps)
          .stage(String.format(Locale.ROOT, "Generating window 1 of %d", windows))
          .message(
              String.format(
                  Locale.ROOT, "Generating window 1 of %d, starting the sampler", windows));
      return;
    }
    int window = (int) ((v - 1) / steps) + 1;
    int step = (int) ((v - 1) % steps) + 1;
    String stage = String.format(Locale.ROOT, "Generating window %d of %d", window, windows);
    b.fraction(Math.min(SAMPLING_END, SAMPLING_START + (SAMPLING_END - SAMPLING_START) * v / total))
        .window(window, windows)
        .step(step, steps)
        .stage(stage)
        .message(String.format(Locale.ROOT, "%s, step %d of %d", stage, step, steps));
  }

  /** The running node's value of max, 0 to 1 (0 when it reports none). */
  private double ratio() {
    return runningMax > 0 ? Math.max(0, Math.min(1, runningValue / runningMax)) : 0;
  }

  /**
   * ", 3 of 10" for a node that counts something (not the 0 of 1 / 1 of 1 that every node reports).
   */
  private String nodeDetail() {
    return runningMax > 1
        ? String.format(Locale.ROOT, ", %d of %d", (long) runningValue, (long) runningMax)
        : "";
  }

  /**
   * Sends {@code p} unless it says nothing new (progress and progress_state often repeat each
   * other).
   */
  private void emit(JobProgress p) {
    if (!p.equals(last)) {
      last = p;
      sink.progress(p);
    }
  }

  private String shown(String node) {
    return shownAs.getOrDefault(node, node);
  }

  private String title(String node) {
    return titles.getOrDefault(shown(node), "node " + node);
  }

  private boolean isLoader(String node) {
    String type = classes.getOrDefault(shown(node), "").toLowerCase(Locale.ROOT);
    return type.contains("loader") || type.contains("downloadandload");
  }

  /**
   * The nodes {@code node} depends on through links ({@code [id, output]} inputs); empty for no
   * node.
   */
  private static Set<String> upstreamOf(JsonNode graph, String node) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.add(node);
    while (!todo.isEmpty()) {
      for (JsonNode input : graph.path(todo.pop()).path("inputs")) {
        if (input.isArray()
            && input.size() == 2
            && input.get(0).isTextual()
            && input.get(1).isNumber()
            && graph.has(input.get(0).asText())
            && seen.add(input.get(0).asText())) {
          todo.add(input.get(0).asText());
        }
      }
    }
    return seen;
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
  }
}
