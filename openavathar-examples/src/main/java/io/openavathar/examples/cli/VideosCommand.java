package io.openavathar.examples.cli;

import io.openavathar.AvatarStudio;
import io.openavathar.GeneratedVideo;
import io.openavathar.InvalidInputException;
import io.openavathar.gallery.Gallery;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodProvider;
import io.openavathar.pod.StaticPodProvider;
import io.openavathar.store.StudioStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code openavathar videos ...}: the gallery of finished videos in the data directory. */
@Command(
    name = "videos",
    mixinStandardHelpOptions = true,
    description = "List, download, delete and import your generated videos.",
    subcommands = {
      VideosCommand.ListVideos.class,
      VideosCommand.Download.class,
      VideosCommand.Delete.class,
      VideosCommand.Import.class
    })
final class VideosCommand implements Runnable {
  @Spec CommandSpec spec;

  /** Opens the store of a data directory (tests pass their own). */
  final Function<Path, StudioStore> stores;

  VideosCommand() {
    this(StudioStore::open);
  }

  VideosCommand(Function<Path, StudioStore> stores) {
    this.stores = stores;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options every videos subcommand has, and the gallery over the data directory. */
  abstract static class Base implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand VideosCommand parent;

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description =
            "Where jobs and videos are recorded (default: $OPENAVATHAR_DATA_DIR or ~/.openavathar).")
    Path dataDir;

    @Mixin StoreOptions storeOptions = new StoreOptions();

    @Option(names = "--verbose", description = "Show debug logs and stack traces.")
    boolean verbose;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    Path dataDir() {
      return DataDirs.resolve(dataDir, DataDirs.HOME_DEFAULT);
    }

    /**
     * Where the videos come from when the local file is gone; none unless a subcommand has pod
     * options.
     */
    PodProvider pods() {
      return NoPods.INSTANCE;
    }

    @Override
    public Integer call() throws Exception {
      Path data = dataDir();
      PodProvider provider = pods();
      try (StudioStore store =
              storeOptions.url().isPresent() ? storeOptions.open(data) : parent.stores.apply(data);
          // A gallery command runs no job: it must not resume the queue as a studio normally does.
          AvatarStudio studio =
              AvatarStudio.builder()
                  .dataDirectory(data)
                  .store(store)
                  .podProvider(provider)
                  .resumeOnStart(false)
                  .outputDirectory(data.resolve("videos"))
                  .build()) {
        return run(studio.videos());
      } finally {
        if (provider instanceof AutoCloseable c) {
          c.close();
        }
      }
    }

    abstract Integer run(Gallery gallery) throws Exception;
  }

  /** Options of subcommands that may reach pods: your own ComfyUI, or RunPod. */
  abstract static class WithPods extends Base {
    @Option(
        names = "--comfy-url",
        paramLabel = "URL",
        description =
            "Your ComfyUI base URL (repeat for several; their pod ids are comfy-1, comfy-2, ...)."
                + " Without it, pods are looked up on RunPod.")
    List<String> comfyUrls = new ArrayList<>();

    @Mixin RunPodOptions runpod = new RunPodOptions();

    boolean hasPods() {
      return !comfyUrls.isEmpty()
          || runpod.apiKey != null
          || isSet(System.getenv("RUNPOD_API_KEY"));
    }

    @Override
    PodProvider pods() {
      if (!comfyUrls.isEmpty()) {
        return StaticPodProvider.of(comfyUrls.stream().map(GenerateCommand::parseUrl).toList());
      }
      return hasPods() ? runpod.provider() : NoPods.INSTANCE;
    }

    private static boolean isSet(String s) {
      return s != null && !s.isBlank();
    }
  }

  @Command(name = "list", description = "List videos, newest first.")
  static final class ListVideos extends Base {
    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(
        names = "--limit",
        defaultValue = "100",
        description = "Most videos to list, 1-1000 (default 100).")
    int limit;

    @Option(names = "--offset", defaultValue = "0", description = "Videos to skip (default 0).")
    int offset;

    @Override
    Integer run(Gallery gallery) {
      VideoTables.videos(gallery.list(offset, limit), json, out());
      return 0;
    }
  }

  @Command(
      name = "download",
      description =
          "Save a copy of a video; fetched again from its pod if the local file" + " is gone.")
  static final class Download extends WithPods {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        description = "Where to save it (default: ./<its file name>).")
    Path target;

    @Override
    Integer run(Gallery gallery) {
      GeneratedVideo video = gallery.get(id).orElseThrow(() -> unknown(id));
      if (!Files.isRegularFile(video.file()) && !hasPods()) {
        throw new InvalidInputException(
            "Video "
                + id
                + "'s file "
                + video.file()
                + " is missing. To download it "
                + "again from pod "
                + video.podId()
                + ", pass --comfy-url URL (your ComfyUI) or set RUNPOD_API_KEY.");
      }
      Path to =
          target != null
              ? target
              : Path.of("").toAbsolutePath().resolve(video.file().getFileName());
      Path saved = PodsCommand.join(gallery.download(id, to));
      out().println("Saved " + saved);
      out().flush();
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete a video: its local file and its record.")
  static final class Delete extends Base {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    Integer run(Gallery gallery) {
      if (!gallery.delete(id)) {
        throw unknown(id);
      }
      out().println("Deleted " + id);
      out().flush();
      return 0;
    }
  }

  @Command(
      name = "import",
      description = "Import the videos a pod's ComfyUI made that are not in the gallery yet.")
  static final class Import extends WithPods {
    @Option(
        names = "--pod",
        required = true,
        paramLabel = "ID",
        description = "The pod's id (comfy-1 for the first --comfy-url, else a RunPod pod id).")
    String podId;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    PodProvider pods() {
      // Without --comfy-url this is RunPod, which fails with a clear message when no API key is
      // set.
      return comfyUrls.isEmpty() ? runpod.provider() : super.pods();
    }

    @Override
    Integer run(Gallery gallery) {
      List<GeneratedVideo> imported = PodsCommand.join(gallery.importFromPod(podId));
      if (imported.isEmpty() && !json) {
        out().println("No new videos on pod " + podId + ".");
        out().flush();
      } else {
        VideoTables.videos(imported, json, out());
      }
      return 0;
    }
  }

  private static InvalidInputException unknown(String id) {
    return new InvalidInputException(
        "No video " + id + " in the gallery. List them with: openavathar videos list");
  }

  /** A provider without pods, for commands that never reach one. */
  private static final class NoPods implements PodProvider {
    static final NoPods INSTANCE = new NoPods();

    @Override
    public String name() {
      return "none";
    }

    @Override
    public CompletableFuture<List<Pod>> listPods() {
      return CompletableFuture.completedFuture(List.of());
    }
  }
}
