package io.openavathar.examples.cli;

import io.openavathar.AvatarStudio;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationRequest;
import io.openavathar.pod.PodPolicy;
import io.openavathar.runpod.RunPodPodProvider;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code openavathar generate}: one video from a portrait and a speech recording on your ComfyUI
 * server(s).
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Generate a talking-avatar MP4 on a ComfyUI server with the InfiniteTalk nodes.")
final class GenerateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--comfy-url",
      paramLabel = "URL",
      description =
          "ComfyUI base URL, e.g. http://127.0.0.1:8188 (repeat for several servers). Without it, the"
              + " job runs on RunPod, starting a pod if none is ready.")
  List<String> comfyUrls = new ArrayList<>();

  @Mixin RunPodOptions runpod = new RunPodOptions();

  @Mixin GpuOptions gpu = new GpuOptions();

  @Mixin LicenseOptions license = new LicenseOptions();

  @Option(
      names = "--image",
      required = true,
      paramLabel = "FILE",
      description = "Portrait: PNG, JPEG or WebP.")
  Path image;

  @Option(
      names = "--audio",
      required = true,
      paramLabel = "FILE",
      description = "Speech: WAV, MP3, FLAC, OGG or M4A.")
  Path audio;

  @Mixin GenerationOptions options = new GenerationOptions();

  @Mixin SpendOptions spend = new SpendOptions();

  @Option(
      names = "--max-cost",
      paramLabel = "USD",
      description =
          "Refuse the job, before any pod starts or file is uploaded, if its estimated cost is over this"
              + " many USD (see --estimate).")
  Double maxCost;

  @Option(
      names = "--estimate",
      description =
          "Print what the video would take and cost (GPU, boot, GPU time, USD, as ranges) and exit;"
              + " starts and uploads nothing.")
  boolean estimate;

  @Option(
      names = "--stop-pod",
      description =
          "On RunPod: once the video is done, stop the pod it was made on if OpenAvathar started it (now or"
              + " in an earlier run) and no other job uses it (default: keep it for the next video, and print how to stop"
              + " it).")
  boolean stopPod;

  @Option(
      names = "--detach",
      description =
          "Check and queue the job, print its id, and exit; `openavathar jobs run` runs it later.")
  boolean detach;

  @Option(names = "--verbose", description = "Show debug logs and stack traces.")
  boolean verbose;

  @Override
  public Integer call() {
    List<URI> urls = new ArrayList<>();
    for (String u : comfyUrls) {
      urls.add(parseUrl(u));
    }
    GenerationRequest.Builder requestBuilder =
        options.apply(GenerationRequest.builder().image(image).audio(audio));
    if (maxCost != null) {
      requestBuilder.maxCostUsd(SpendOptions.positive("--max-cost", maxCost));
    }
    GenerationRequest request = requestBuilder.build();
    if (detach) {
      Path dataDir = options.dataDir(DataDirs.HOME_DEFAULT);
      // The quota is checked now (counting jobs already queued), not when `jobs run` makes the
      // video.
      try (AvatarStudio store =
          options
              .store
              .apply(AvatarStudio.builder())
              .dataDirectory(dataDir)
              .licenseClient(license.client(dataDir))
              .resumeOnStart(false)
              .comfyUrls(URI.create("http://127.0.0.1:8188"))
              .outputDirectory(Path.of("").toAbsolutePath())
              .build()) {
        String id = store.jobs().enqueue(request).id();
        spec.commandLine()
            .getErr()
            .println("Queued job " + id + "; run it with: openavathar jobs run");
        spec.commandLine().getOut().println(id);
        spec.commandLine().getOut().flush();
      }
      return 0;
    }
    Path dataDir = options.dataDir(DataDirs.HOME_DEFAULT);
    AvatarStudio.Builder builder =
        options
            .store
            .apply(spend.apply(AvatarStudio.builder()))
            .dataDirectory(dataDir)
            .outputDirectory(Path.of("").toAbsolutePath());
    if (!estimate) {
      builder.licenseClient(license.client(dataDir));
    }
    RunPodPodProvider runPod = null;
    if (urls.isEmpty()) {
      PodPolicy policy = PodPolicy.builder().deploySpec(gpu.spec()).build();
      runPod = runpod.provider();
      builder.podProvider(runPod).podPolicy(policy);
    } else {
      builder.comfyUrls(urls);
    }
    if (estimate) {
      // Spends nothing: no job is resumed, no license asked, no pod started (the estimate only
      // reads).
      try (AvatarStudio studio = builder.resumeOnStart(false).build()) {
        Estimates.print(PodsCommand.join(studio.estimate(request)), spec.commandLine().getOut());
      } finally {
        if (runPod != null) {
          runPod.close();
        }
      }
      return 0;
    }
    try (JobRunner runner =
        JobRunner.open(builder.build(), spec.commandLine().getOut(), spec.commandLine().getErr())) {
      GeneratedVideo video = runner.run(request);
      if (runPod != null) {
        BillingPods.afterJobs(
            runner.studio(), List.of(video.podId()), stopPod, spec.commandLine().getErr());
      }
    } finally {
      if (runPod != null) {
        runPod.close();
      }
    }
    return 0;
  }

  static URI parseUrl(String u) {
    try {
      URI uri = new URI(u.trim());
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "--comfy-url '" + u + "' is not a URL; write it like http://127.0.0.1:8188");
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(
          "--comfy-url '" + u + "' is not a URL; write it like http://127.0.0.1:8188");
    }
  }
}
