package io.openavathar.examples.cli;

import io.openavathar.AvatarStudio;
import io.openavathar.pod.PodPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How a command builds its studio: data directory, and where jobs run (your ComfyUI, else RunPod).
 */
final class StudioOptions {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where jobs and videos are recorded (default: $OPENAVATHAR_DATA_DIR or ~/.openavathar).")
  Path dataDir;

  @Option(
      names = "--comfy-url",
      paramLabel = "URL",
      description = "ComfyUI base URL (repeatable); without it, RunPod is used.")
  List<String> comfyUrls = new ArrayList<>();

  @Mixin StoreOptions store = new StoreOptions();

  @Mixin RunPodOptions runpod = new RunPodOptions();

  @Mixin GpuOptions gpu = new GpuOptions();

  @Mixin SpendOptions spend = new SpendOptions();

  @Mixin LicenseOptions license = new LicenseOptions();

  Path dataDir() {
    return DataDirs.resolve(dataDir, DataDirs.HOME_DEFAULT);
  }

  /** A studio that only reads and writes the store: it runs nothing and starts no pod. */
  AvatarStudio storeOnly() {
    return store
        .apply(AvatarStudio.builder())
        .dataDirectory(dataDir())
        .resumeOnStart(false)
        .comfyUrls(URI.create("http://127.0.0.1:8188"))
        .build();
  }

  /**
   * A studio that runs jobs (resuming unfinished ones as it starts, unless told not to), counting
   * each video it makes with the license server, like {@code generate}.
   */
  AvatarStudio runner(boolean resume) {
    return runnerBuilder(resume).build();
  }

  /** The builder of {@link #runner(boolean)}, for a command that adds to it. */
  AvatarStudio.Builder runnerBuilder(boolean resume) {
    AvatarStudio.Builder b =
        store
            .apply(spend.apply(AvatarStudio.builder()))
            .dataDirectory(dataDir())
            .resumeOnStart(resume)
            .licenseClient(license.client(dataDir()))
            .outputDirectory(Path.of("").toAbsolutePath());
    if (comfyUrls.isEmpty()) {
      b.podProvider(runpod.provider())
          .podPolicy(PodPolicy.builder().deploySpec(gpu.spec()).build());
    } else {
      List<URI> urls = new ArrayList<>();
      comfyUrls.forEach(u -> urls.add(GenerateCommand.parseUrl(u)));
      b.comfyUrls(urls);
    }
    return b;
  }
}
