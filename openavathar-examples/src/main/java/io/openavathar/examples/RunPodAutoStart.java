package io.openavathar.examples;

import io.openavathar.AvatarStudio;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationJob;
import io.openavathar.GenerationRequest;
import io.openavathar.JobListener;
import io.openavathar.JobProgress;
import io.openavathar.JobState;
import io.openavathar.pod.CloudType;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodPolicy;
import io.openavathar.pod.PodSpec;
import io.openavathar.runpod.RunPodPodProvider;
import io.openavathar.testkit.media.SampleMedia;
import io.openavathar.testkit.runpod.RunPodSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * "Click generate with only an API key": the studio finds a ready pod on your RunPod account, or
 * starts one (RTX 4090, else an A6000; community cloud, else secure), waits for ComfyUI, makes the
 * video, and the program stops the pod.
 *
 * <pre>
 * RUNPOD_API_KEY=... java -cp openavathar.jar io.openavathar.examples.RunPodAutoStart portrait.png speech.wav
 * java -cp openavathar.jar io.openavathar.examples.RunPodAutoStart   # a simulated RunPod and the sample media
 * </pre>
 */
public final class RunPodAutoStart {
  private RunPodAutoStart() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("openavathar-runpod-");
    String key = System.getenv("RUNPOD_API_KEY");
    RunPodSimulator simulator = null;
    RunPodPodProvider.Builder provider = RunPodPodProvider.builder();
    Path portrait;
    Path speech;
    if (key != null && args.length >= 2) {
      provider.apiKey(key);
      portrait = Path.of(args[0]);
      speech = Path.of(args[1]);
    } else {
      System.out.println(
          "No RUNPOD_API_KEY and files given: using a simulated RunPod (no GPU, no real video).");
      simulator = RunPodSimulator.start();
      provider
          .apiKey("simulated-key")
          .apiUrl(simulator.apiUrl())
          .proxyUrlPattern(simulator.proxyUrlPattern());
      portrait = SampleMedia.portrait();
      speech = SampleMedia.speech();
    }
    try (RunPodPodProvider runPod = provider.build();
        AvatarStudio studio =
            AvatarStudio.builder()
                .podProvider(runPod)
                .podPolicy(
                    PodPolicy.builder()
                        .deploySpec(
                            PodSpec.builder()
                                .gpuTypes("NVIDIA GeForce RTX 4090", "NVIDIA RTX A6000")
                                .clouds(CloudType.COMMUNITY, CloudType.SECURE)
                                .build())
                        // For a studio that lives on (a server): it stops the pods it started after
                        // 15 idle minutes.
                        .idleStop(Duration.ofMinutes(15), PodPolicy.IdleAction.STOP)
                        .build())
                .dataDirectory(work.resolve("data"))
                .outputDirectory(Path.of("").toAbsolutePath())
                .build()) {
      GenerationJob job =
          studio.generate(GenerationRequest.builder().image(portrait).audio(speech).build());
      job.addListener(
          new JobListener() {
            @Override
            public void onProgress(GenerationJob j, JobProgress p) {
              if (p.state() == JobState.WAITING_FOR_POD || p.state() == JobState.COMPLETED) {
                System.out.println(p.message());
              }
            }
          });
      GeneratedVideo video = job.await(Duration.ofHours(1));
      System.out.println(
          "Video: " + video.file() + " on pod " + video.podId() + " (" + video.gpuType() + ")");

      // The idle timer dies with this process: a program that ends after its video must stop the
      // pod itself, or it
      // runs (and bills) until someone stops it. A stopped pod keeps its disk and starts again
      // faster next time.
      Pod stopped = studio.pods().stop(video.podId()).join();
      System.out.println(
          "Pod " + stopped.id() + " stopped (RunPod says " + stopped.rawStatus() + ")");
    } finally {
      if (simulator != null) {
        // What the simulated account still pays for: nothing, if the pod really stopped.
        System.out.println(
            "Pods still billing on the simulated account: " + simulator.billingPods());
        simulator.close();
      }
    }
  }
}
