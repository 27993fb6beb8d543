package io.openavathar.testkit.runpod;

import io.openavathar.testkit.comfy.ComfyUiSimulatorBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Configures and starts a {@link RunPodSimulator}; obtain one from {@link
 * RunPodSimulator#builder()}. Not thread-safe; each {@link #start()} starts an independent
 * simulator.
 */
public final class RunPodSimulatorBuilder {

  /** The id of the template the SDK deploys by default (the OpenAvathar InfiniteTalk template). */
  public static final String DEFAULT_TEMPLATE_ID = "qvidd7ityi";

  private String host = "127.0.0.1";
  private int port;
  private String apiKey;
  private Duration provisioningDelay = Duration.ofMillis(100);
  private Duration startingDelay = Duration.ofMillis(100);
  private Duration runtimeDelay = Duration.ZERO;
  private Duration comfyReadyDelay = Duration.ofMillis(200);
  private Duration comfyStepDelay = Duration.ofMillis(2);
  private Consumer<ComfyUiSimulatorBuilder> comfyConfiguration = builder -> {};
  private List<SimulatedGpuType> gpuTypes = SimulatedGpuType.defaults();
  private final Map<String, RunPodSettings.Template> templates = new LinkedHashMap<>();
  private final List<RunPodSettings.Volume> volumes = new ArrayList<>();
  private Instant manualStart;
  private Long seed;

  RunPodSimulatorBuilder() {
    templates.put(
        DEFAULT_TEMPLATE_ID,
        new RunPodSettings.Template(
            DEFAULT_TEMPLATE_ID,
            "openavathar/comfyui-infinitetalk:simulated",
            List.of("8188/http", "22/tcp"),
            Map.of()));
  }

  /**
   * The port to listen on; default 0, a free port.
   *
   * @param port the port, or 0 for a free one
   * @return this builder
   */
  public RunPodSimulatorBuilder port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    this.port = port;
    return this;
  }

  /**
   * The address to bind; default {@code 127.0.0.1}.
   *
   * @param host the address to bind, for example {@code 0.0.0.0} to serve other machines
   * @return this builder
   */
  public RunPodSimulatorBuilder host(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  /**
   * The only API key accepted ({@code Authorization: Bearer <key>}); any other gets 401. By default
   * any non-empty bearer token is accepted, and only a missing one gets 401.
   *
   * @param apiKey the accepted key
   * @return this builder
   */
  public RunPodSimulatorBuilder apiKey(String apiKey) {
    if (Objects.requireNonNull(apiKey, "apiKey").isBlank()) {
      throw new IllegalArgumentException("apiKey must not be blank");
    }
    this.apiKey = apiKey;
    return this;
  }

  /**
   * How long a new pod stays {@code PROVISIONING} before {@code STARTING}; default 100 ms.
   *
   * @param delay the delay; not negative
   * @return this builder
   */
  public RunPodSimulatorBuilder provisioningDelay(Duration delay) {
    this.provisioningDelay = nonNegative(delay, "provisioningDelay");
    return this;
  }

  /**
   * How long a pod stays {@code STARTING} (after create or start) before {@code RUNNING}; default
   * 100 ms.
   *
   * @param delay the delay; not negative
   * @return this builder
   */
  public RunPodSimulatorBuilder startingDelay(Duration delay) {
    this.startingDelay = nonNegative(delay, "startingDelay");
    return this;
  }

  /**
   * How long a pod reads {@code RUNNING} with {@code runtime: null} before its container is up and
   * its ports are mapped; default zero. Live RunPod has been seen to do this, so a client must not
   * take RUNNING for ready.
   *
   * @param delay the delay; not negative
   * @return this builder
   */
  public RunPodSimulatorBuilder runtimeDelay(Duration delay) {
    this.runtimeDelay = nonNegative(delay, "runtimeDelay");
    return this;
  }

  /**
   * How long after the container is up the pod's ComfyUI starts answering through the proxy (502
   * until then); default 200 ms.
   *
   * @param delay the delay; not negative
   * @return this builder
   */
  public RunPodSimulatorBuilder comfyReadyDelay(Duration delay) {
    this.comfyReadyDelay = nonNegative(delay, "comfyReadyDelay");
    return this;
  }

  /**
   * The sampler step delay of every pod's ComfyUI simulator; default 2 ms.
   *
   * @param delay the delay per step; not negative
   * @return this builder
   */
  public RunPodSimulatorBuilder comfyStepDelay(Duration delay) {
    this.comfyStepDelay = nonNegative(delay, "comfyStepDelay");
    return this;
  }

  /**
   * Adjusts the builder of every pod's ComfyUI simulator, after {@link #comfyStepDelay} was applied
   * (so it may override it). The path prefix is set afterwards and cannot be changed; the port and
   * host are ignored.
   *
   * @param configuration called with each pod's ComfyUI builder before it starts
   * @return this builder
   */
  public RunPodSimulatorBuilder comfyConfiguration(
      Consumer<ComfyUiSimulatorBuilder> configuration) {
    this.comfyConfiguration = Objects.requireNonNull(configuration, "configuration");
    return this;
  }

  /**
   * Replaces the GPU catalog; default {@link SimulatedGpuType#defaults()}.
   *
   * @param types the GPU types of the catalog
   * @return this builder
   */
  public RunPodSimulatorBuilder gpuTypes(Collection<SimulatedGpuType> types) {
    if (types.isEmpty()) {
      throw new IllegalArgumentException("the catalog needs at least one GPU type");
    }
    this.gpuTypes = List.copyOf(types);
    return this;
  }

  /**
   * Replaces the GPU catalog; default {@link SimulatedGpuType#defaults()}.
   *
   * @param types the GPU types of the catalog
   * @return this builder
   */
  public RunPodSimulatorBuilder gpuTypes(SimulatedGpuType... types) {
    return gpuTypes(List.of(types));
  }

  /**
   * Adds (or replaces) a pod template that creates may name in {@code templateId}; body fields
   * override its image and ports, and its env is merged per key. {@value #DEFAULT_TEMPLATE_ID} is
   * predefined with ports {@code 8188/http} and {@code 22/tcp}; an unknown template id gets 404.
   *
   * @param templateId the template's id
   * @param image the container image
   * @param ports the ports to expose, for example {@code "8188/http"}
   * @param env the environment variables
   * @return this builder
   */
  public RunPodSimulatorBuilder template(
      String templateId, String image, List<String> ports, Map<String, String> env) {
    Objects.requireNonNull(templateId, "templateId");
    templates.put(
        templateId,
        new RunPodSettings.Template(
            templateId,
            Objects.requireNonNull(image, "image"),
            List.copyOf(ports),
            Map.copyOf(env)));
    return this;
  }

  /**
   * Adds a network volume, listed by {@code GET /v2/network-volumes}. A pod that mounts it is
   * placed in its data center: {@code US-KS-2} or {@code EU-RO-1} (Secure Cloud), {@code US-TX-3}
   * or {@code CA-MTL-1} (Community).
   *
   * @param id the volume's id
   * @param name the volume's name
   * @param sizeGb its size in GB
   * @param dataCenterId its data center, for example {@code "EU-RO-1"}
   * @return this builder
   */
  public RunPodSimulatorBuilder networkVolume(
      String id, String name, int sizeGb, String dataCenterId) {
    if (sizeGb < 10 || sizeGb > 4096) {
      throw new IllegalArgumentException("sizeGb must be 10..4096, was " + sizeGb);
    }
    boolean known =
        RunPodSettings.DATA_CENTERS.stream().anyMatch(dc -> dc.id().equals(dataCenterId));
    if (!known) {
      throw new IllegalArgumentException(
          "Unknown data center "
              + dataCenterId
              + "; use one of "
              + RunPodSettings.DATA_CENTERS.stream().map(RunPodSettings.DataCenter::id).toList());
    }
    volumes.add(
        new RunPodSettings.Volume(
            Objects.requireNonNull(id, "id"),
            Objects.requireNonNull(name, "name"),
            sizeGb,
            dataCenterId));
    return this;
  }

  /**
   * Stops the clock: time moves only when the test calls {@link RunPodSimulator#advance(Duration)}
   * or {@link RunPodSimulator#tick()}, starting from now (whole seconds).
   *
   * @return this builder
   */
  public RunPodSimulatorBuilder manualTime() {
    return manualTime(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * Stops the clock at {@code start}; see {@link #manualTime()}.
   *
   * @param start the simulator's time when it starts
   * @return this builder
   */
  public RunPodSimulatorBuilder manualTime(Instant start) {
    this.manualStart = Objects.requireNonNull(start, "start");
    return this;
  }

  /**
   * Seeds pod ids, SSH tokens and port numbers, so runs repeat; default a random seed per
   * simulator.
   *
   * @param seed the seed
   * @return this builder
   */
  public RunPodSimulatorBuilder seed(long seed) {
    this.seed = seed;
    return this;
  }

  /**
   * Starts the simulator; it listens when this returns.
   *
   * @return the running simulator; close it when done
   */
  public RunPodSimulator start() {
    long idSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong();
    return RunPodSimulator.start(
        new RunPodSettings(
            host,
            port,
            apiKey,
            provisioningDelay,
            startingDelay,
            runtimeDelay,
            comfyReadyDelay,
            comfyStepDelay,
            comfyConfiguration,
            new java.util.concurrent.CopyOnWriteArrayList<>(gpuTypes),
            Map.copyOf(templates),
            List.copyOf(volumes),
            manualStart,
            idSeed));
  }

  private static Duration nonNegative(Duration duration, String name) {
    if (Objects.requireNonNull(duration, name).isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + duration);
    }
    return duration;
  }
}
