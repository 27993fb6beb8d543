package io.openavathar.internal.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.JobProgress;
import io.openavathar.JobState;
import io.openavathar.Orientation;
import io.openavathar.comfy.ComfyEvent;
import io.openavathar.internal.Json;
import io.openavathar.workflow.InfiniteTalkWorkflow;
import io.openavathar.workflow.WorkflowBinding;
import io.openavathar.workflow.WorkflowTemplate;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Scripted ComfyUI event sequences in, the job's progress out: the stage must move even when the
 * fraction does not.
 */
class ProgressModelTest {
  private static final String PROMPT = "p-1";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private final Recorder control = new Recorder();

  /** 3 windows of 4 steps; the sampler's progress counts steps across windows. */
  @Test
  void infiniteTalkRun_saysLoadingModels_thenWindowByWindow_thenSaving() {
    ProgressModel model =
        new ProgressModel(job(3, 4), InfiniteTalkWorkflow.template(), control, CLOCK);

    model.onQueuePosition(2);
    model.onEvent(new ComfyEvent.ExecutionStart(PROMPT));
    model.onEvent(new ComfyEvent.ExecutionCached(PROMPT, List.of()));
    model.onEvent(executing("10")); // WanVideoVAELoader "VAE"
    model.onEvent(executing("15")); // MultiTalkWav2VecEmbeds "Audio embeds"
    model.onEvent(executing("20")); // WanVideoModelLoader "Wan 2.1 I2V 14B"
    model.onEvent(executing(InfiniteTalkWorkflow.SAMPLER_NODE));
    for (int v = 1; v <= 12; v++) {
      model.onEvent(
          new ComfyEvent.Progress(Optional.of(PROMPT), InfiniteTalkWorkflow.SAMPLER_NODE, v, 16));
    }
    model.onEvent(executing("23"));
    model.onEvent(executing(InfiniteTalkWorkflow.OUTPUT_NODE));
    model.onEvent(
        new ComfyEvent.Progress(Optional.of(PROMPT), InfiniteTalkWorkflow.OUTPUT_NODE, 100, 225));

    assertThat(control.stages())
        .containsExactly(
            "Queued on ComfyUI (2 prompts ahead)",
            "Loading models",
            "Loading models (VAE)",
            "Preparing inputs (Audio embeds)",
            "Loading models (Wan 2.1 I2V 14B)",
            "Generating window 1 of 3",
            "Generating window 2 of 3",
            "Generating window 3 of 3",
            "Decoding the video (Frames)",
            "Saving the video");
    assertThat(control.messages())
        .contains(
            "Generating window 1 of 3, starting the sampler",
            "Generating window 2 of 3, step 1 of 4",
            "Generating window 3 of 3, step 4 of 4",
            "Saving the video, frame 100 of 225");
    JobProgress window2 = control.find("Generating window 2 of 3, step 3 of 4");
    assertThat(window2.window()).isEqualTo(2);
    assertThat(window2.windows()).isEqualTo(3);
    assertThat(window2.step()).isEqualTo(3);
    assertThat(window2.steps()).isEqualTo(4);
    assertThat(control.transitions).containsOnly(JobState.GENERATING);
    assertRisesWithin(0.05, 0.95);
  }

  /**
   * While models load, each finished upstream node of the sampler moves the bar a little (5% to
   * 10%).
   */
  @Test
  void infiniteTalkRun_nodesBeforeTheSampler_moveTheFractionBetween5And10Percent() {
    ProgressModel model =
        new ProgressModel(job(1, 4), InfiniteTalkWorkflow.template(), control, CLOCK);

    model.onEvent(new ComfyEvent.ExecutionStart(PROMPT));
    model.onEvent(executing("1"));
    double first = control.last().fraction();
    model.onEvent(executing("2"));
    model.onEvent(executing("3"));

    assertThat(first).isEqualTo(0.05);
    assertThat(control.last().fraction()).isGreaterThan(first).isLessThan(0.10);
  }

  /**
   * A real server sends both progress and progress_state for the sampler: the same step is reported
   * once.
   */
  @Test
  void progressAndProgressStateOfTheSameStep_areReportedOnce() {
    ProgressModel model =
        new ProgressModel(job(2, 4), InfiniteTalkWorkflow.template(), control, CLOCK);
    String sampler = InfiniteTalkWorkflow.SAMPLER_NODE;

    model.onEvent(executing(sampler));
    model.onEvent(new ComfyEvent.Progress(Optional.of(PROMPT), sampler, 5, 8));
    model.onEvent(state(sampler, 5, 8, ComfyEvent.NodeState.RUNNING));

    assertThat(control.messages())
        .containsExactly(
            "Generating window 1 of 2, starting the sampler",
            "Generating window 2 of 2, step 1 of 4");
  }

  /**
   * A graph of core nodes (as measured on ComfyUI 0.3.64): no progress frames, only progress_state
   * and executing. Nodes 7 and 8 feed nothing and never run, so they do not count.
   */
  @Test
  void coreNodesRun_withOnlyProgressState_risesByNodes_andNamesTheRunningNode() {
    ProgressModel model = new ProgressModel(job(1, 4), coreTemplate(), control, CLOCK);

    model.onEvent(new ComfyEvent.ExecutionStart(PROMPT));
    model.onEvent(new ComfyEvent.ExecutionCached(PROMPT, List.of("2")));
    List<String> order = List.of("1", "3", "4", "5", "6");
    Map<String, ComfyEvent.NodeProgress> nodes = new LinkedHashMap<>();
    for (String node : order) {
      model.onEvent(executing(node));
      nodes.put(
          node, new ComfyEvent.NodeProgress(0, 1, ComfyEvent.NodeState.RUNNING, Optional.of(node)));
      model.onEvent(new ComfyEvent.ProgressState(PROMPT, nodes));
      if (node.equals("4")) {
        nodes.put(
            node,
            new ComfyEvent.NodeProgress(40, 80, ComfyEvent.NodeState.RUNNING, Optional.of(node)));
        model.onEvent(new ComfyEvent.ProgressState(PROMPT, nodes));
      }
      nodes.put(
          node,
          new ComfyEvent.NodeProgress(1, 1, ComfyEvent.NodeState.FINISHED, Optional.of(node)));
      model.onEvent(new ComfyEvent.ProgressState(PROMPT, nodes));
    }

    assertThat(control.stages())
        .containsExactly(
            "Starting the workflow",
            "Running Load Image (node 2 of 6)",
            "Running Resize (node 3 of 6)",
            "Running Frames (node 4 of 6)",
            "Running Create Video (node 5 of 6)",
            "Saving the video (node 6 of 6)");
    assertThat(control.messages()).contains("Running Frames (node 4 of 6), 40 of 80");
    assertThat(control.find("Running Frames (node 4 of 6), 40 of 80").fraction())
        .isCloseTo(0.05 + 0.90 * 3.5 / 6, offset(1e-9));
    assertThat(control.last().fraction()).isCloseTo(0.95, offset(1e-9));
    assertRisesWithin(0.05, 0.95);
  }

  /**
   * Without executing events (a socket that missed them), the running entry of progress_state names
   * the node.
   */
  @Test
  void coreNodesRun_progressStateAlone_namesTheRunningNode() {
    ProgressModel model = new ProgressModel(job(1, 4), coreTemplate(), control, CLOCK);

    model.onEvent(state("5", 0, 1, ComfyEvent.NodeState.RUNNING));

    assertThat(control.last().stage()).isEqualTo("Running Create Video (node 1 of 6)");
  }

  @Test
  void uploadAndDownload_keepOneStageWhileTheBytesMove() {
    ProgressModel model =
        new ProgressModel(job(1, 4), InfiniteTalkWorkflow.template(), control, CLOCK);

    model.uploaded(40_000, 100_000);
    model.uploaded(100_000, 100_000);
    model.downloaded(1_000_000, 2_000_000);

    assertThat(control.stages()).containsExactly("Uploading", "Downloading the video");
    assertThat(control.messages())
        .containsExactly(
            "Uploading: 0.0 MB of 0.1 MB",
            "Uploading: 0.1 MB of 0.1 MB",
            "Downloading the video: 1.0 MB of 2.0 MB");
  }

  private void assertRisesWithin(double from, double to) {
    double last = 0;
    for (JobProgress p : control.progress) {
      assertThat(p.fraction()).as(p.toString()).isGreaterThanOrEqualTo(last).isBetween(from, to);
      last = p.fraction();
    }
  }

  private static ComfyEvent.Executing executing(String node) {
    return new ComfyEvent.Executing(Optional.of(PROMPT), Optional.of(node));
  }

  private static ComfyEvent.ProgressState state(
      String node, double value, double max, ComfyEvent.NodeState s) {
    return new ComfyEvent.ProgressState(
        PROMPT, Map.of(node, new ComfyEvent.NodeProgress(value, max, s, Optional.of(node))));
  }

  private static PreparedJob job(int windows, int steps) {
    return new PreparedJob(
        "job-1",
        null,
        null,
        null,
        Orientation.PORTRAIT,
        81 + 72 * (windows - 1),
        windows,
        steps,
        1L,
        "out",
        Path.of("out.mp4"),
        CLOCK.instant(),
        InfiniteTalkWorkflow.template());
  }

  /**
   * The stand-in graph of core nodes used against the real server (7 and 8 hold bound values but
   * feed nothing).
   */
  private static WorkflowTemplate coreTemplate() {
    ObjectNode graph = Json.mapper().createObjectNode();
    node(graph, "1", "LoadImage", "Load Image").put("image", "face.png");
    node(graph, "2", "LoadAudio", "Load Audio").put("audio", "speech.wav");
    ObjectNode scale =
        node(graph, "3", "ImageScale", "Resize").put("width", 480).put("height", 832);
    scale.putArray("image").add("1").add(0);
    ObjectNode repeat = node(graph, "4", "RepeatImageBatch", "Frames").put("amount", 80);
    repeat.putArray("image").add("3").add(0);
    ObjectNode video = node(graph, "5", "CreateVideo", "Create Video").put("fps", 25);
    video.putArray("images").add("4").add(0);
    video.putArray("audio").add("2").add(0);
    ObjectNode save = node(graph, "6", "SaveVideo", "Save Video").put("filename_prefix", "x");
    save.putArray("video").add("5").add(0);
    node(graph, "7", "PrimitiveStringMultiline", "Prompt holder").put("value", "a person");
    node(graph, "8", "PrimitiveInt", "Seed holder").put("value", 2);
    return WorkflowTemplate.builder()
        .graph(graph)
        .bind(WorkflowBinding.IMAGE, "1", "image")
        .bind(WorkflowBinding.AUDIO, "2", "audio")
        .bind(WorkflowBinding.WIDTH, "3", "width")
        .bind(WorkflowBinding.HEIGHT, "3", "height")
        .bind(WorkflowBinding.MAX_FRAMES, "4", "amount")
        .bind(WorkflowBinding.OUTPUT_PREFIX, "6", "filename_prefix")
        .bind(WorkflowBinding.PROMPT, "7", "value")
        .bind(WorkflowBinding.SEED, "8", "value")
        .outputNode("6")
        .build();
  }

  private static ObjectNode node(ObjectNode graph, String id, String type, String title) {
    ObjectNode node = graph.putObject(id);
    node.put("class_type", type);
    node.putObject("_meta").put("title", title);
    return node.putObject("inputs");
  }

  /** A JobControl that records what the model said. */
  private static final class Recorder implements ProgressModel.Sink {
    final List<JobProgress> progress = new ArrayList<>();
    final List<JobState> transitions = new ArrayList<>();

    @Override
    public void progress(JobProgress p) {
      progress.add(p);
    }

    /** What {@link ProgressModel.Sink#of} does with it: the job moves to GENERATING. */
    @Override
    public void generating(JobProgress p) {
      transitions.add(JobState.GENERATING);
      progress.add(p);
    }

    /** The stages in order, a repeat of the one before left out. */
    List<String> stages() {
      List<String> stages = new ArrayList<>();
      for (JobProgress p : progress) {
        if (stages.isEmpty() || !stages.get(stages.size() - 1).equals(p.stage())) {
          stages.add(p.stage());
        }
      }
      return stages;
    }

    List<String> messages() {
      return progress.stream().map(JobProgress::message).toList();
    }

    JobProgress find(String message) {
      return progress.stream().filter(p -> p.message().equals(message)).findFirst().orElseThrow();
    }

    JobProgress last() {
      return progress.get(progress.size() - 1);
    }
  }
}
