package io.openavathar.testkit.comfy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Configures and starts a {@link ComfyUiSimulator}; obtain one from {@link
 * ComfyUiSimulator#builder()}. Not thread-safe; each {@link #start()} starts an independent
 * simulator.
 */
public final class ComfyUiSimulatorBuilder {

  private String host = "127.0.0.1";
  private int port;
  private String pathPrefix = "";
  private Duration stepDelay = Duration.ofMillis(2);
  private Duration historyDelay = Duration.ZERO;
  private Path inputDirectory;
  private Path outputDirectory;
  private Long seed;
  private Set<String> installedClasses = NodeClasses.DEFAULT_INSTALLED;
  private Set<String> knownClasses = Set.of();
  private boolean cpuDevice;
  private SimulatedGpu gpu = SimulatedGpu.DEFAULT;
  private long maxUploadBytes = 100L * 1024 * 1024;
  private boolean caching = true;
  private Path portraitVideo;
  private Path landscapeVideo;
  private final Map<String, List<String>> modelFiles =
      new LinkedHashMap<>(InputSpecs.DEFAULT_MODELS);

  ComfyUiSimulatorBuilder() {}

  /**
   * The port to listen on; default 0, a free port.
   *
   * @param port the port, or 0 for a free one
   * @return this builder
   */
  public ComfyUiSimulatorBuilder port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    this.port = port;
    return this;
  }

  /**
   * The address to bind; default {@code 127.0.0.1}. Use {@code 0.0.0.0} to serve other machines.
   *
   * @param host the address to bind, for example {@code 127.0.0.1}
   * @return this builder
   */
  public ComfyUiSimulatorBuilder host(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  /**
   * Serves every route below this prefix, for clients whose base URL has a path ({@code "/comfy"}
   * serves {@code /comfy/prompt}, {@code /comfy/api/prompt}, {@code /comfy/ws}); default none.
   *
   * @param pathPrefix the prefix, starting with {@code /}, for example {@code "/comfy"}
   * @return this builder
   */
  public ComfyUiSimulatorBuilder pathPrefix(String pathPrefix) {
    String prefix = Objects.requireNonNull(pathPrefix, "pathPrefix").trim();
    while (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    if (!prefix.isEmpty() && !prefix.startsWith("/")) {
      prefix = "/" + prefix;
    }
    if (prefix.contains("?") || prefix.contains("#")) {
      throw new IllegalArgumentException("pathPrefix must be a plain path, was " + pathPrefix);
    }
    this.pathPrefix = prefix;
    return this;
  }

  /**
   * Time per sampler step and per VHS progress chunk; default 2 ms.
   *
   * @param stepDelay the delay per step; not negative
   * @return this builder
   */
  public ComfyUiSimulatorBuilder stepDelay(Duration stepDelay) {
    this.stepDelay = nonNegative(stepDelay, "stepDelay");
    return this;
  }

  /**
   * Time between {@code execution_success} (or the error message) and the history write; default
   * zero. Widen it to prove a client waits for {@code executing{node:null}} before reading history
   * (ComfyUI issue #11540).
   *
   * @param historyDelay the delay before the history write; not negative
   * @return this builder
   */
  public ComfyUiSimulatorBuilder historyDelay(Duration historyDelay) {
    this.historyDelay = nonNegative(historyDelay, "historyDelay");
    return this;
  }

  /**
   * The input directory (created if missing, kept on close); default a temporary directory deleted
   * on close.
   *
   * @param inputDirectory the directory to use for inputs
   * @return this builder
   */
  public ComfyUiSimulatorBuilder inputDirectory(Path inputDirectory) {
    this.inputDirectory = Objects.requireNonNull(inputDirectory, "inputDirectory");
    return this;
  }

  /**
   * The output directory (created if missing, kept on close); default a temporary directory deleted
   * on close.
   *
   * @param outputDirectory the directory to write outputs to
   * @return this builder
   */
  public ComfyUiSimulatorBuilder outputDirectory(Path outputDirectory) {
    this.outputDirectory = Objects.requireNonNull(outputDirectory, "outputDirectory");
    return this;
  }

  /**
   * Seeds generated prompt ids and socket ids, so runs repeat; default a random seed per simulator.
   *
   * @param seed the seed
   * @return this builder
   */
  public ComfyUiSimulatorBuilder seed(long seed) {
    this.seed = seed;
    return this;
  }

  /**
   * The node classes that count as installed; a prompt using any other class is rejected with
   * {@code invalid_prompt}. Default {@link ComfyUiSimulator#defaultNodeClasses()}.
   *
   * @param classes the class names of the installed nodes; replaces the default set
   * @return this builder
   */
  public ComfyUiSimulatorBuilder installedNodeClasses(Collection<String> classes) {
    this.installedClasses = Set.copyOf(classes);
    return this;
  }

  /**
   * A stock ComfyUI without custom node packs: only the core classes the simulator knows count as
   * installed ({@link ComfyUiSimulator#coreNodeClasses()}), as on a fresh install. {@code
   * /object_info} lists just those, and a prompt of the bundled InfiniteTalk graph is rejected with
   * {@code invalid_prompt} naming its first missing class, as a real server does.
   *
   * @return this builder
   */
  public ComfyUiSimulatorBuilder stockServer() {
    return installedNodeClasses(ComfyUiSimulator.coreNodeClasses());
  }

  /**
   * The model files of one folder key ({@code diffusion_models}, {@code vae}, {@code loras}, {@code
   * clip_vision}, {@code text_encoders}, {@code wav2vec2}, {@code unet_gguf}, ...), as {@code
   * /models/<folder>} and the loaders' choice lists in {@code /object_info} show them. Default: the
   * files the bundled InfiniteTalk graph names.
   *
   * @param folder the folder key, for example {@code "vae"}
   * @param files the file names in that folder, replacing the default list for it
   * @return this builder
   */
  public ComfyUiSimulatorBuilder modelFiles(String folder, Collection<String> files) {
    modelFiles.put(Objects.requireNonNull(folder, "folder"), List.copyOf(files));
    return this;
  }

  /**
   * Removes these model files (paths as the loaders list them) from every folder, as if never
   * downloaded.
   *
   * @param files the file paths to remove; unknown ones are ignored
   * @return this builder
   */
  public ComfyUiSimulatorBuilder withoutModelFiles(String... files) {
    Set<String> gone = Set.of(files);
    modelFiles.replaceAll((folder, list) -> list.stream().filter(f -> !gone.contains(f)).toList());
    return this;
  }

  /**
   * More node classes to count as installed, besides {@link #installedNodeClasses} (default: the
   * InfiniteTalk classes and the core classes of {@link StandInWorkflow}), so that a user's own
   * workflow runs. Nodes of such a class do nothing; those named {@code Save...}, {@code
   * Preview...} or {@code ...VideoCombine} count as output nodes. Repeated calls add up.
   *
   * @param classes the class names to add
   * @return this builder
   */
  public ComfyUiSimulatorBuilder knownNodeClasses(Collection<String> classes) {
    this.knownClasses = NodeClasses.union(knownClasses, Set.copyOf(classes));
    return this;
  }

  /**
   * Reports a CPU as the device in {@code /system_stats}, as a real ComfyUI started with {@code
   * --cpu} does ({@code "name": "cpu", "type": "cpu"}); default a simulated CUDA GPU.
   *
   * @return this builder
   */
  public ComfyUiSimulatorBuilder cpuDevice() {
    this.cpuDevice = true;
    return this;
  }

  /**
   * The GPU to report in {@code /system_stats} and whose speed the history's execution timestamps
   * follow; default {@link SimulatedGpu#DEFAULT}. Durations are drawn from {@link #seed(long)}: the
   * same seed repeats them.
   *
   * @param gpu the simulated GPU
   * @return this builder
   */
  public ComfyUiSimulatorBuilder gpu(SimulatedGpu gpu) {
    this.gpu = Objects.requireNonNull(gpu, "gpu");
    return this;
  }

  /**
   * The upload body limit ({@code --max-upload-size}); larger bodies get 413. Default 100 MiB.
   *
   * @param bytes the largest body accepted, in bytes
   * @return this builder
   */
  public ComfyUiSimulatorBuilder maxUploadSize(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("maxUploadSize must be positive, was " + bytes);
    }
    this.maxUploadBytes = bytes;
    return this;
  }

  /**
   * Whether nodes whose inputs did not change since the previous prompt are served from cache, as
   * ComfyUI does (an identical resubmission runs nothing new and reports the old video); default
   * true.
   *
   * @param caching true to cache unchanged nodes, false to run every node of every prompt
   * @return this builder
   */
  public ComfyUiSimulatorBuilder caching(boolean caching) {
    this.caching = caching;
    return this;
  }

  /**
   * MP4 files to return instead of the bundled samples, for portrait and landscape runs.
   *
   * @param portrait the MP4 to return for runs taller than wide
   * @param landscape the MP4 to return for the other runs (square ones included)
   * @return this builder
   */
  public ComfyUiSimulatorBuilder sampleVideos(Path portrait, Path landscape) {
    for (Path video : new Path[] {portrait, landscape}) {
      if (!Files.isRegularFile(Objects.requireNonNull(video, "sample video"))) {
        throw new IllegalArgumentException("sample video is not a readable file: " + video);
      }
    }
    this.portraitVideo = portrait;
    this.landscapeVideo = landscape;
    return this;
  }

  /**
   * Starts the simulator; it listens when this returns.
   *
   * @return the running simulator; close it when done
   */
  public ComfyUiSimulator start() {
    return ComfyUiSimulator.start(settings());
  }

  SimulatorRuntime.Settings settings() {
    long idSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong();
    return new SimulatorRuntime.Settings(
        host,
        port,
        pathPrefix,
        stepDelay,
        historyDelay,
        inputDirectory,
        outputDirectory,
        idSeed,
        NodeClasses.union(installedClasses, knownClasses),
        maxUploadBytes,
        caching,
        portraitVideo,
        landscapeVideo,
        modelFiles,
        cpuDevice,
        gpu);
  }

  private static Duration nonNegative(Duration duration, String name) {
    if (Objects.requireNonNull(duration, name).isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + duration);
    }
    return duration;
  }
}
