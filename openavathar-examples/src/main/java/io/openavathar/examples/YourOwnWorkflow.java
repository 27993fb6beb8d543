package io.openavathar.examples;

import io.openavathar.AvatarStudio;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationJob;
import io.openavathar.GenerationRequest;
import io.openavathar.JobListener;
import io.openavathar.JobProgress;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.media.SampleMedia;
import io.openavathar.workflow.NodeInput;
import io.openavathar.workflow.WorkflowBinding;
import io.openavathar.workflow.WorkflowTemplate;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Your own ComfyUI graph instead of the bundled InfiniteTalk one: export it with "Save (API
 * Format)" and tell the SDK which node input takes what (the bindings). The bundled {@code
 * my-workflow-api.json} uses ComfyUI core nodes only (it loads the image and the audio, repeats the
 * image into frames and saves them as an MP4 with the audio), so it runs on a stock ComfyUI, even
 * on a CPU; it is the graph the project checks against a real ComfyUI 0.3.64.
 *
 * <pre>
 * java -cp openavathar.jar io.openavathar.examples.YourOwnWorkflow http://127.0.0.1:8188 portrait.png speech.wav \
 *     [my-workflow-api.json]
 * java -cp openavathar.jar io.openavathar.examples.YourOwnWorkflow   # a simulated stock ComfyUI, the sample media
 * </pre>
 *
 * <p>With a graph of your own, edit {@link #BINDINGS} to its node ids and input names first.
 */
public final class YourOwnWorkflow {
  private YourOwnWorkflow() {}

  /**
   * Which node input receives what, by node id ("1") and input name ("image") in the API-format
   * JSON. Only IMAGE and AUDIO are required; a value without a binding is left as the graph has it.
   * Each input must hold a literal value (not a link from another node), or building the template
   * fails naming the binding.
   */
  static final Map<WorkflowBinding, NodeInput> BINDINGS =
      Map.of(
          WorkflowBinding.IMAGE, NodeInput.of("1", "image"), // LoadImage: the uploaded portrait
          WorkflowBinding.AUDIO, NodeInput.of("2", "audio"), // LoadAudio: the uploaded speech
          WorkflowBinding.WIDTH, NodeInput.of("3", "width"), // ImageScale: the video's size
          WorkflowBinding.HEIGHT, NodeInput.of("3", "height"),
          WorkflowBinding.MAX_FRAMES,
              NodeInput.of("4", "amount"), // RepeatImageBatch: frames = audio x fps
          WorkflowBinding.OUTPUT_PREFIX, NodeInput.of("6", "filename_prefix"),
          WorkflowBinding.PROMPT,
              NodeInput.of("7", "value"), // holders the graph does not use: your graph
          WorkflowBinding.SEED,
              NodeInput.of("8", "value")); // would wire them to its text encoder, sampler

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("openavathar-workflow-");
    ComfyUiSimulator simulator = null;
    URI comfy;
    Path portrait;
    Path speech;
    Path graph = work.resolve("my-workflow-api.json");
    if (args.length >= 3) {
      comfy = URI.create(args[0]);
      portrait = Path.of(args[1]);
      speech = Path.of(args[2]);
      if (args.length >= 4) {
        graph = Path.of(args[3]);
      } else {
        copyBundledGraph(graph);
      }
    } else {
      // A stock ComfyUI: core nodes only, no custom node packs, no models. The bundled InfiniteTalk
      // graph would be
      // refused here; this one runs.
      System.out.println("No ComfyUI given: using a simulated stock ComfyUI and the sample media.");
      simulator = ComfyUiSimulator.builder().stockServer().start();
      comfy = simulator.baseUrl();
      portrait = SampleMedia.portrait();
      speech = SampleMedia.speech();
      copyBundledGraph(graph);
    }
    // Checks every binding against the graph now: a wrong node id or input name fails here, not on
    // the server.
    WorkflowTemplate mine = WorkflowTemplate.load(graph, BINDINGS);
    System.out.println(
        "Workflow: "
            + graph.getFileName()
            + ", the video comes from node "
            + mine.outputNodeId().orElse("(the first video any node saves)"));
    try (AvatarStudio studio =
        AvatarStudio.builder()
            .comfyUrls(comfy)
            .workflow(mine) // every job of this studio; GenerationRequest.workflow for one job
            .dataDirectory(work.resolve("data"))
            .outputDirectory(Path.of("").toAbsolutePath())
            .build()) {
      GenerationJob job =
          studio.generate(
              GenerationRequest.builder()
                  .image(portrait)
                  .audio(speech)
                  .prompt("a person is speaking to the camera") // patched into node 7
                  .seed(42) // patched into node 8
                  .build());
      job.addListener(
          new JobListener() {
            private String lastStage = "";

            @Override
            public synchronized void onProgress(GenerationJob j, JobProgress p) {
              // One line per stage, not per byte. Without a sampler node the stages go node by
              // node:
              // "Running Resize (...) (node 3 of 6)", the titles coming from the graph's _meta.
              if (!p.stage().equals(lastStage)) {
                lastStage = p.stage();
                System.out.printf("%3.0f%% %s%n", p.fraction() * 100, p.stage());
              }
            }
          });
      GeneratedVideo video = job.await(Duration.ofHours(1));
      System.out.println(
          "Video: "
              + video.file()
              + " (ComfyUI's "
              + video.remoteFile()
              + ", "
              + video.width()
              + "x"
              + video.height()
              + ")");
    } finally {
      if (simulator != null) {
        simulator.close();
      }
    }
  }

  private static void copyBundledGraph(Path target) throws Exception {
    try (InputStream in = YourOwnWorkflow.class.getResourceAsStream("my-workflow-api.json")) {
      if (in == null) {
        throw new IllegalStateException(
            "my-workflow-api.json is missing from the classpath; rebuild the examples");
      }
      Files.copy(in, target);
    }
  }
}
