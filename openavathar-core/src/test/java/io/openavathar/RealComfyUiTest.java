package io.openavathar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.comfy.SystemStats;
import io.openavathar.internal.Json;
import io.openavathar.testkit.comfy.StandInWorkflow;
import io.openavathar.workflow.WorkflowBinding;
import io.openavathar.workflow.WorkflowTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's checks against a real ComfyUI (upstream 0.3.64 on the CPU, core nodes only), started
 * from {@code ../shared/real-comfyui/} (see its README). Opt-in, never in CI:
 *
 * <pre>
 * ../shared/real-comfyui/start.sh 8199 --clean
 * mvn -B -ntp -Preal-comfyui -Dopenavathar.realComfyUrl=http://127.0.0.1:8199 -pl openavathar-core -am verify
 * </pre>
 *
 * <p>The same points run on the testkit's simulator in the ordinary suite ({@code
 * StudioCancelTest}, {@code StudioMissingNodesTest}, {@code UserWorkflowJobTest}, {@code
 * ProgressModelTest}); these prove the simulator right.
 */
@Tag("real-comfyui")
class RealComfyUiTest {
  static final URI SERVER =
      URI.create(System.getProperty("openavathar.realComfyUrl", "http://127.0.0.1:8188"));
  static final Duration WAIT = Duration.ofMinutes(5);

  @TempDir Path dir;

  @org.junit.jupiter.api.BeforeAll
  static void serverIsUp() throws Exception {
    try (ComfyUiClient client = ComfyUiClient.create(SERVER)) {
      client.probe().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError(
          "No ComfyUI at "
              + SERVER
              + " (-Dopenavathar.realComfyUrl). Start one with"
              + " ../shared/real-comfyui/start.sh, see its README.",
          e);
    }
  }

  static WorkflowTemplate standIn(String json) {
    try {
      return WorkflowTemplate.builder()
          .graph((ObjectNode) Json.mapper().readTree(json))
          .bind(WorkflowBinding.IMAGE, "1", "image")
          .bind(WorkflowBinding.AUDIO, "2", "audio")
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  AvatarStudio studio(WorkflowTemplate workflow, JobListener listener) {
    AvatarStudio.Builder b =
        AvatarStudio.builder().comfyUrls(SERVER).outputDirectory(dir).listener(listener);
    if (workflow != null) {
      b.workflow(workflow);
    }
    return b.build();
  }

  /**
   * Inputs with names no earlier run uploaded, so that "nothing was uploaded" can be checked on the
   * server.
   */
  GenerationRequest request() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    return GenerationRequest.builder()
        .image(Inputs.png(dir, "portrait-" + run + ".png", 512, 768))
        .audio(Inputs.wav(dir, "speech-" + run + ".wav", 2.0))
        .build();
  }

  @Test
  void systemStats_reportsTheCpuDevice() throws Exception {
    try (ComfyUiClient client = ComfyUiClient.create(SERVER)) {
      SystemStats stats = client.systemStats().get(30, TimeUnit.SECONDS);
      assertThat(stats.devices()).extracting(SystemStats.Device::type).contains("cpu");
    }
  }

  @Test
  void standInWorkflow_makesTheMp4_andProgressFollowsTheNodes() {
    RecordingListener listener = new RecordingListener();
    try (AvatarStudio studio = studio(standIn(StandInWorkflow.json()), listener)) {
      GeneratedVideo video = studio.generate(request()).await(WAIT);

      assertThat(video.file()).exists().isNotEmptyFile();
      assertThat(video.remoteFile()).endsWith("_00001_.mp4").doesNotContain("%");
      assertThat(video.width()).isEqualTo(480);
      assertThat(video.height()).isEqualTo(832);
      // Core nodes send progress_state only: the stage still names the node that runs.
      assertThat(listener.progress)
          .extracting(JobProgress::stage)
          .anySatisfy(stage -> assertThat(stage).contains("(node "));
    }
  }

  @Test
  void bundledInfiniteTalk_onAStockServer_failsBeforeAnyUpload_namingEveryMissingClass()
      throws Exception {
    GenerationRequest request = request();
    try (AvatarStudio studio = studio(null, JobListener.NONE)) {
      GenerationJob job = studio.generate(request);

      assertThatThrownBy(() -> job.await(WAIT))
          .isInstanceOfSatisfying(
              MissingNodesException.class,
              e -> {
                assertThat(e.missingClasses())
                    .hasSizeGreaterThanOrEqualTo(18)
                    .contains("INTConstant");
                assertThat(e.nodePacks())
                    .extracting(MissingNodesException.NodePack::name)
                    .contains(
                        "ComfyUI-WanVideoWrapper",
                        "ComfyUI-KJNodes",
                        "ComfyUI-MelBandRoFormer",
                        "ComfyUI-VideoHelperSuite");
              });
    }
    String portrait = request.image().getFileName().toString();
    java.net.http.HttpResponse<Void> view =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        SERVER.resolve("/view?type=input&filename=" + portrait))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
    assertThat(view.statusCode()).as("the portrait was uploaded anyway").isEqualTo(404);
  }

  @Test
  void cancelOfARunningPrompt_isDoneWhenTheServerStoppedIt_andAPendingOneIsDequeued()
      throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch submitted = new CountDownLatch(2);
    JobListener listener =
        new JobListener() {
          @Override
          public void onProgress(GenerationJob job, JobProgress progress) {
            if (progress.stage().contains("(node ")) {
              running.countDown();
            }
          }

          @Override
          public void onStateChanged(GenerationJob job, JobState from, JobState to) {
            if (to == JobState.SUBMITTED) {
              submitted.countDown();
            }
          }
        };
    try (AvatarStudio studio = studio(standIn(StandInWorkflow.slowJson()), listener)) {
      GenerationJob first = studio.generate(request());
      assertThat(running.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      GenerationJob second = studio.generate(request());
      assertThat(submitted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      second.cancel();
      assertThat(second.cancellation().get(60, TimeUnit.SECONDS).kind())
          .isEqualTo(CancelOutcome.Kind.DEQUEUED);
      first.cancel();
      // The real server stops at the next node boundary (seconds on a slow node): done only once it
      // did.
      assertThat(first.cancellation().get(120, TimeUnit.SECONDS).kind())
          .isEqualTo(CancelOutcome.Kind.INTERRUPTED);
    }
  }
}
