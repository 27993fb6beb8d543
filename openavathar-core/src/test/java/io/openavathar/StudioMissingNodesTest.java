package io.openavathar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.MissingNodesException.NodePack;
import io.openavathar.MissingNodesException.NodeValue;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.workflow.InfiniteTalkWorkflow;
import io.openavathar.workflow.WorkflowTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Before anything is uploaded, the studio checks the server's /object_info for the workflow's nodes
 * and models.
 */
class StudioMissingNodesTest {
  static final String MODEL = "WanVideo/wan2.1_i2v_480p_14B_fp8_scaled.safetensors";

  @TempDir Path dir;
  ComfyUiSimulator sim;
  AvatarStudio studio;
  Path portrait;
  Path speech;

  @BeforeEach
  void setUp() {
    portrait = Inputs.png(dir, "portrait.png", 512, 768);
    speech = Inputs.wav(dir, "speech.wav", 2.0);
  }

  @AfterEach
  void tearDown() {
    if (studio != null) {
      studio.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  void start(ComfyUiSimulator simulator, WorkflowTemplate workflow) {
    sim = simulator;
    studio =
        AvatarStudio.builder()
            .dataDirectory(dir.resolve("data"))
            .outputDirectory(dir.resolve("out"))
            .trackerOptions(AvatarStudioTest.FAST_POLLS)
            // Retries as by default (4 attempts) but without waiting seconds between them: the
            // lost-pod test timed out under load waiting on real-time backoff.
            .retryOptions(
                RetryOptions.builder()
                    .initialBackoff(Duration.ofMillis(5))
                    .maxBackoff(Duration.ofMillis(20))
                    .build())
            .workflow(workflow)
            .comfyUrls(sim.baseUrl())
            .build();
  }

  GenerationJob generate() {
    return studio.generate(GenerationRequest.builder().image(portrait).audio(speech).build());
  }

  long objectInfoRequests() {
    return sim.requests().stream().filter(r -> r.route().equals("/object_info")).count();
  }

  @Test
  void generate_onAStockServer_failsBeforeUploading_withEveryMissingClassAndItsPack() {
    start(ComfyUiSimulator.builder().stockServer().start(), InfiniteTalkWorkflow.template());

    GenerationJob job = generate();

    assertThatThrownBy(() -> job.await(AvatarStudioTest.WAIT))
        .isInstanceOf(MissingNodesException.class)
        .hasMessageStartingWith(
            "The ComfyUI server "
                + sim.baseUrl()
                + " lacks 18 node classes the workflow uses; "
                + "nothing was uploaded.")
        .satisfies(
            e -> {
              MissingNodesException m = (MissingNodesException) e;
              assertThat(m.missingClasses())
                  .hasSize(18)
                  .contains(
                      "INTConstant",
                      "WanVideoSampler",
                      "VHS_VideoCombine",
                      "MelBandRoFormerModelLoader");
              assertThat(m.nodePacks())
                  .extracting(NodePack::name)
                  .containsExactlyInAnyOrder(
                      "ComfyUI-WanVideoWrapper",
                      "ComfyUI-KJNodes",
                      "ComfyUI-MelBandRoFormer",
                      "ComfyUI-VideoHelperSuite");
              assertThat(m.missingModels()).isEmpty();
            });
    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(sim.uploadCount()).isZero();
    assertThat(sim.promptIdsSeen()).isEmpty();
    assertThat(sim.requests())
        .noneMatch(r -> r.route().equals("/upload/image") || r.route().equals("/prompt"));
    assertThat(studio.store().job(job.id()).orElseThrow().errorType())
        .contains("MissingNodesException");
  }

  @Test
  void generate_whenTheServerLacksAModelFile_namesTheFileAndTheInput() {
    start(
        ComfyUiSimulator.builder().withoutModelFiles(MODEL).start(),
        InfiniteTalkWorkflow.template());

    GenerationJob job = generate();

    assertThatThrownBy(() -> job.await(AvatarStudioTest.WAIT))
        .isInstanceOf(MissingNodesException.class)
        .hasMessageContaining("lacks 1 model file; nothing was uploaded.")
        .hasMessageContaining("'" + MODEL + "' (node 20 WanVideoModelLoader, input model)")
        .satisfies(
            e ->
                assertThat(((MissingNodesException) e).missingModels())
                    .containsExactly(new NodeValue("20", "WanVideoModelLoader", "model", MODEL)));
    assertThat(sim.uploadCount()).isZero();
    assertThat(sim.promptIdsSeen()).isEmpty();
  }

  @Test
  void generate_asksObjectInfoOncePerServer() {
    start(ComfyUiSimulator.builder().start(), InfiniteTalkWorkflow.template());

    generate().await(AvatarStudioTest.WAIT);
    generate().await(AvatarStudioTest.WAIT);

    assertThat(objectInfoRequests()).isEqualTo(1);
    assertThat(sim.promptIdsSeen()).hasSize(2);
  }

  @Test
  void
      generate_whenThePromptIsRefusedForAClassTheCacheListed_asksAgain_andNamesEveryMissingClass() {
    start(ComfyUiSimulator.builder().start(), InfiniteTalkWorkflow.template());
    generate().await(AvatarStudioTest.WAIT);
    // The node packs are removed while the studio still holds the old answer.
    sim.setInstalledNodeClasses(ComfyUiSimulator.coreNodeClasses());

    GenerationJob second = generate();

    assertThatThrownBy(() -> second.await(AvatarStudioTest.WAIT))
        .isInstanceOf(MissingNodesException.class)
        .hasMessageContaining("lacks 18 node classes the workflow uses.")
        .hasMessageNotContaining("nothing was uploaded")
        .satisfies(e -> assertThat(((MissingNodesException) e).missingClasses()).hasSize(18));
    assertThat(objectInfoRequests()).isEqualTo(2);

    // The fresh answer is kept: the next job fails before uploading, without asking again.
    int uploads = sim.uploadCount();
    assertThatThrownBy(() -> generate().await(AvatarStudioTest.WAIT))
        .isInstanceOf(MissingNodesException.class)
        .hasMessageContaining("nothing was uploaded");
    assertThat(sim.uploadCount()).isEqualTo(uploads);
    assertThat(objectInfoRequests()).isEqualTo(2);
  }

  @Test
  void generate_whenObjectInfoCannotBeRead_submitsAnyway_andAsksAgainNextTime() {
    start(ComfyUiSimulator.builder().start(), InfiniteTalkWorkflow.template());
    sim.failNextRequests("GET", "/object_info", 404, 1);

    generate().await(AvatarStudioTest.WAIT);
    generate().await(AvatarStudioTest.WAIT);

    assertThat(objectInfoRequests()).isEqualTo(2);
  }

  @Test
  void generate_onAStockServerWithCredentialsInItsUrl_neverPrintsThem() {
    sim = ComfyUiSimulator.builder().stockServer().start();
    java.net.URI withSecret =
        java.net.URI.create("http://someone:s3cr3t-pass@127.0.0.1:" + sim.port());
    studio =
        AvatarStudio.builder()
            .dataDirectory(dir.resolve("data"))
            .outputDirectory(dir.resolve("out"))
            .trackerOptions(AvatarStudioTest.FAST_POLLS)
            .comfyUrls(withSecret)
            .build();

    assertThatThrownBy(() -> generate().await(AvatarStudioTest.WAIT))
        .isInstanceOf(MissingNodesException.class)
        .hasMessageStartingWith("The ComfyUI server http://127.0.0.1:" + sim.port() + " lacks")
        .hasMessageNotContaining("s3cr3t")
        .satisfies(e -> assertThat(((MissingNodesException) e).server()).doesNotContain("s3cr3t"));
  }

  @Test
  void
      generate_whenObjectInfoFailsLikeADeadServer_triesAgainAsAfterALostPod_withoutUploadingFirst() {
    start(ComfyUiSimulator.builder().start(), InfiniteTalkWorkflow.template());
    sim.failNextRequests(
        "GET", "/object_info", 503, 4); // every attempt of the client's retry policy

    GeneratedVideo video = generate().await(AvatarStudioTest.WAIT);

    assertThat(video.file()).exists();
    assertThat(objectInfoRequests()).isEqualTo(5);
    assertThat(sim.uploadCount()).isEqualTo(2);
    assertThat(sim.promptIdsSeen()).hasSize(1);
  }

  @Test
  void generate_withAUserTemplateWhoseClassesAllExist_runs() {
    WorkflowTemplate bundled = InfiniteTalkWorkflow.template();
    com.fasterxml.jackson.databind.node.ObjectNode graph = bundled.graph();
    ((com.fasterxml.jackson.databind.node.ObjectNode) graph.get("11").get("inputs"))
        .put("colormatch", "mkl");
    WorkflowTemplate mine =
        WorkflowTemplate.builder()
            .graph(graph)
            .bindAll(bundled.bindings())
            .outputNode(InfiniteTalkWorkflow.OUTPUT_NODE)
            .samplerNode(InfiniteTalkWorkflow.SAMPLER_NODE)
            .build();
    start(ComfyUiSimulator.builder().start(), mine);

    GeneratedVideo video = generate().await(AvatarStudioTest.WAIT);

    assertThat(video.file()).exists();
    assertThat(objectInfoRequests()).isEqualTo(1);
    assertThat(List.copyOf(sim.promptIdsSeen())).hasSize(1);
  }
}
