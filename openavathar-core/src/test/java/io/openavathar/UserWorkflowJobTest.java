package io.openavathar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.internal.Json;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.comfy.StandInWorkflow;
import io.openavathar.workflow.WorkflowBinding;
import io.openavathar.workflow.WorkflowTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own workflow (the stand-in graph of ComfyUI core nodes, ending in SaveVideo) run as a
 * job, and the job keeping that workflow across a restart and a retry in studios that know only the
 * bundled one.
 */
class UserWorkflowJobTest {
  private static final Duration WAIT = StudioResumeTest.WAIT;

  @TempDir Path dir;
  ComfyUiSimulator sim;
  Path portrait;
  Path speech;

  @BeforeEach
  void setUp() {
    sim = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
    portrait = Inputs.png(dir, "portrait.png", 512, 768);
    speech = Inputs.wav(dir, "speech.wav", 2.0);
  }

  @AfterEach
  void tearDown() {
    sim.close();
  }

  static WorkflowTemplate standIn() {
    try {
      return WorkflowTemplate.builder()
          .graph((ObjectNode) Json.mapper().readTree(StandInWorkflow.json()))
          .bind(WorkflowBinding.IMAGE, "1", "image")
          .bind(WorkflowBinding.AUDIO, "2", "audio")
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A studio on the shared data directory, running the bundled workflow unless given another. */
  AvatarStudio studio(WorkflowTemplate workflow) {
    return studio(workflow, JobListener.NONE);
  }

  AvatarStudio studio(WorkflowTemplate workflow, JobListener listener) {
    AvatarStudio.Builder b =
        AvatarStudio.builder()
            .dataDirectory(dir.resolve("data"))
            .trackerOptions(StudioResumeTest.FAST)
            .comfyUrls(sim.baseUrl())
            .listener(listener);
    if (workflow != null) {
      b.workflow(workflow);
    }
    return b.build();
  }

  GenerationRequest request() {
    return GenerationRequest.builder().image(portrait).audio(speech).seed(3).build();
  }

  @Test
  void aStudioWithAUserWorkflow_downloadsTheMp4OfItsSaveVideo() {
    try (AvatarStudio s = studio(standIn())) {
      GeneratedVideo video = s.generate(request()).await(WAIT);

      assertThat(video.remoteFile()).isEqualTo("output/standin/ComfyUI_00001_.mp4");
      assertThat(video.file()).exists().isNotEmptyFile();
    }
  }

  @Test
  void withoutASampler_progressAdvancesNodeByNode() {
    RecordingListener listener = new RecordingListener();
    try (AvatarStudio s = studio(standIn(), listener)) {
      s.generate(request()).await(WAIT);
    }

    java.util.List<JobProgress> running =
        listener.progress.stream().filter(p -> p.stage().startsWith("Running ")).toList();
    assertThat(running)
        .extracting(JobProgress::stage)
        .anySatisfy(
            stage ->
                assertThat(stage)
                    .startsWith(
                        "Running Resize (bindings WIDTH -> width, HEIGHT -> height)" + " (node "));
    assertThat(running)
        .extracting(JobProgress::fraction)
        .isSorted()
        .allSatisfy(f -> assertThat(f).isBetween(0.05, 0.95));
    assertThat(running.get(running.size() - 1).fraction()).isGreaterThanOrEqualTo(0.5);
  }

  @Test
  void restart_whenTheServerLostThePrompt_resubmitsTheJobsOwnWorkflow() throws Exception {
    sim.pauseExecution();
    String id;
    try (AvatarStudio a = studio(standIn())) {
      id = a.generate(request()).id();
      StudioResumeTest.awaitTrue(() -> sim.promptIdsSeen().contains(id));
    }
    sim.restart();
    sim.resumeExecution();

    try (AvatarStudio b = studio(null)) {
      GeneratedVideo video = b.jobs().handle(id).orElseThrow().await(WAIT);

      assertThat(video.remoteFile()).startsWith("output/standin/ComfyUI_").endsWith("_.mp4");
      assertThat(sim.promptIdsSeen()).hasSize(2);
    }
  }

  @Test
  void retry_inAStudioWithTheBundledWorkflow_runsTheRequestsWorkflowAgain() {
    String id;
    try (AvatarStudio a = studio(null)) {
      sim.failNextExecution("6", "ExternalError", "libx264 refused width 481");
      GenerationJob job = a.generate(request().toBuilder().workflow(standIn()).build());
      id = job.id();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> job.await(WAIT))
          .isInstanceOf(GenerationFailedException.class);
    }
    try (AvatarStudio b = studio(null)) {
      GeneratedVideo video = b.jobs().retry(id).await(WAIT);

      assertThat(video.remoteFile()).startsWith("output/standin/ComfyUI_");
    }
  }
}
