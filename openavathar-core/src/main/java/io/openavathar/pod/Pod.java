package io.openavathar.pod;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A machine that runs (or can run) ComfyUI, as a {@link PodProvider} reports it. Immutable; build
 * with {@link #builder(String)}, copy with {@link #toBuilder()}.
 */
public final class Pod {
  private final String id;
  private final String name;
  private final PodStatus status;
  private final String rawStatus;
  private final URI comfyUiUrl;
  private final String gpuType;
  private final int gpuCount;
  private final CloudType cloudType;
  private final double costPerHour;
  private final List<String> ports;
  private final boolean runtimeUp;
  private final Set<Integer> runtimePorts;
  private final boolean managed;
  private final Instant createdAt;
  private final Instant startedAt;

  private Pod(Builder b) {
    this.id = b.id;
    this.name = b.name == null ? b.id : b.name;
    this.status = b.status;
    this.rawStatus = b.rawStatus == null ? b.status.name() : b.rawStatus;
    this.comfyUiUrl = b.comfyUiUrl;
    this.gpuType = b.gpuType;
    this.gpuCount = b.gpuCount;
    this.cloudType = b.cloudType;
    this.costPerHour = b.costPerHour;
    this.ports = List.copyOf(b.ports);
    this.runtimeUp = b.runtimeUp;
    this.runtimePorts = Set.copyOf(b.runtimePorts);
    this.managed = b.managed;
    this.createdAt = b.createdAt;
    this.startedAt = b.startedAt;
  }

  /**
   * A builder for the pod with this provider-unique id.
   *
   * @param id the pod's id
   * @return a new builder; the status defaults to {@link PodStatus#UNKNOWN}
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * A builder holding this pod's values, to change some of them.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(id);
    b.name = name;
    b.status = status;
    b.rawStatus = rawStatus;
    b.comfyUiUrl = comfyUiUrl;
    b.gpuType = gpuType;
    b.gpuCount = gpuCount;
    b.cloudType = cloudType;
    b.costPerHour = costPerHour;
    b.ports = ports;
    b.runtimeUp = runtimeUp;
    b.runtimePorts = runtimePorts;
    b.managed = managed;
    b.createdAt = createdAt;
    b.startedAt = startedAt;
    return b;
  }

  /**
   * The provider's id of the pod.
   *
   * @return the id, never null
   */
  public String id() {
    return id;
  }

  /**
   * The pod's name; its id when it has none.
   *
   * @return the name, never null
   */
  public String name() {
    return name;
  }

  /**
   * The status, mapped from the provider's text.
   *
   * @return the status, never null
   */
  public PodStatus status() {
    return status;
  }

  /**
   * The provider's status text as received.
   *
   * @return the status text, never null
   */
  public String rawStatus() {
    return rawStatus;
  }

  /**
   * The ComfyUI base URL (it may carry a path prefix), once the pod exposes one.
   *
   * @return the URL, or empty
   */
  public Optional<URI> comfyUiUrl() {
    return Optional.ofNullable(comfyUiUrl);
  }

  /**
   * The GPU type, for example {@code NVIDIA GeForce RTX 4090}, if known.
   *
   * @return the GPU type, or empty
   */
  public Optional<String> gpuType() {
    return Optional.ofNullable(gpuType);
  }

  /**
   * The number of GPUs (default 1).
   *
   * @return the GPU count
   */
  public int gpuCount() {
    return gpuCount;
  }

  /**
   * The cloud it runs in; {@link CloudType#UNKNOWN} if the provider did not say.
   *
   * @return the cloud, never null
   */
  public CloudType cloudType() {
    return cloudType;
  }

  /**
   * USD per hour while running (0 when stopped or unknown).
   *
   * @return USD per hour
   */
  public double costPerHour() {
    return costPerHour;
  }

  /**
   * Declared ports, for example {@code 8188/http}.
   *
   * @return the ports, immutable
   */
  public List<String> ports() {
    return ports;
  }

  /**
   * Whether the container runs (the provider reports a runtime); a RUNNING pod may not have one
   * yet.
   *
   * @return true if the container runs
   */
  public boolean isRuntimeUp() {
    return runtimeUp;
  }

  /**
   * Private ports the runtime has mapped; empty until the container runs.
   *
   * @return the ports, immutable
   */
  public Set<Integer> runtimePorts() {
    return runtimePorts;
  }

  /**
   * Whether this SDK created the pod (so it may stop or terminate it when idle).
   *
   * @return true if the SDK created it
   */
  public boolean isManaged() {
    return managed;
  }

  /**
   * When the pod was created, if the provider says.
   *
   * @return the instant, or empty
   */
  public Optional<Instant> createdAt() {
    return Optional.ofNullable(createdAt);
  }

  /**
   * When the pod last started running (and billing), if the provider says; see {@link
   * #billedSince()}.
   *
   * @return the instant, or empty
   */
  public Optional<Instant> startedAt() {
    return Optional.ofNullable(startedAt);
  }

  /**
   * When billing began as far as is known: {@link #startedAt()}, else {@link #createdAt()}.
   *
   * @return the instant, or empty
   */
  public Optional<Instant> billedSince() {
    return startedAt().or(this::createdAt);
  }

  /**
   * An estimate of what the pod has cost since it last started: {@link #costPerHour()} times the
   * hours from {@link #billedSince()} to {@code now}. Empty when the pod is not running or its
   * price or start is unknown. An estimate: the provider bills by its own clock and may have
   * changed the price meanwhile.
   *
   * @param now the current time
   * @return USD, or empty
   */
  public OptionalDouble estimatedCostSinceStart(Instant now) {
    Optional<Instant> since = billedSince();
    if (status != PodStatus.RUNNING || costPerHour <= 0 || since.isEmpty()) {
      return OptionalDouble.empty();
    }
    long millis = Math.max(0, Duration.between(since.get(), now).toMillis());
    return OptionalDouble.of(millis / 3_600_000.0 * costPerHour);
  }

  /**
   * Whether the provider reports the pod able to serve {@code port}: RUNNING, runtime up and the
   * port mapped. (The pod manager also asks ComfyUI itself before it calls a pod ready.)
   *
   * @param port a private port, for example {@link PodSpec#COMFYUI_PORT}
   * @return true if serving
   */
  public boolean isServing(int port) {
    return status == PodStatus.RUNNING && runtimeUp && runtimePorts.contains(port);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pod p
        && id.equals(p.id)
        && name.equals(p.name)
        && status == p.status
        && rawStatus.equals(p.rawStatus)
        && Objects.equals(comfyUiUrl, p.comfyUiUrl)
        && Objects.equals(gpuType, p.gpuType)
        && gpuCount == p.gpuCount
        && cloudType == p.cloudType
        && Double.compare(costPerHour, p.costPerHour) == 0
        && ports.equals(p.ports)
        && runtimeUp == p.runtimeUp
        && runtimePorts.equals(p.runtimePorts)
        && managed == p.managed
        && Objects.equals(createdAt, p.createdAt)
        && Objects.equals(startedAt, p.startedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        id,
        name,
        status,
        rawStatus,
        comfyUiUrl,
        gpuType,
        gpuCount,
        cloudType,
        costPerHour,
        ports,
        runtimeUp,
        runtimePorts,
        managed,
        createdAt,
        startedAt);
  }

  @Override
  public String toString() {
    return "Pod{id="
        + id
        + ", name="
        + name
        + ", status="
        + rawStatus
        + (comfyUiUrl == null ? "" : ", comfyUiUrl=" + comfyUiUrl)
        + (gpuType == null ? "" : ", gpu=" + gpuType + (gpuCount > 1 ? " x" + gpuCount : ""))
        + (cloudType == CloudType.UNKNOWN ? "" : ", cloud=" + cloudType)
        + (costPerHour > 0 ? ", $" + costPerHour + "/h" : "")
        + (managed ? ", managed" : "")
        + "}";
  }

  /** Builds a {@link Pod}. */
  public static final class Builder {
    private final String id;
    private String name;
    private PodStatus status = PodStatus.UNKNOWN;
    private String rawStatus;
    private URI comfyUiUrl;
    private String gpuType;
    private int gpuCount = 1;
    private CloudType cloudType = CloudType.UNKNOWN;
    private double costPerHour;
    private List<String> ports = List.of();
    private boolean runtimeUp;
    private Set<Integer> runtimePorts = Set.of();
    private boolean managed;
    private Instant createdAt;
    private Instant startedAt;

    private Builder(String id) {
      this.id = Objects.requireNonNull(id, "id");
    }

    /**
     * The pod's name; default its id.
     *
     * @param name the name
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Sets the status; the raw status text becomes its name (use {@link #rawStatus} to keep a
     * provider's text).
     *
     * @param status the status
     * @return this builder
     */
    public Builder status(PodStatus status) {
      this.status = Objects.requireNonNull(status, "status");
      this.rawStatus = null;
      return this;
    }

    /**
     * The provider's status text; also sets {@link #status} from it.
     *
     * @param rawStatus the provider's text
     * @return this builder
     */
    public Builder rawStatus(String rawStatus) {
      this.rawStatus = Objects.requireNonNull(rawStatus, "rawStatus");
      this.status = PodStatus.fromWire(rawStatus);
      return this;
    }

    /**
     * The ComfyUI base URL; default none.
     *
     * @param comfyUiUrl the URL, or null
     * @return this builder
     */
    public Builder comfyUiUrl(URI comfyUiUrl) {
      this.comfyUiUrl = comfyUiUrl;
      return this;
    }

    /**
     * The GPU type; default none (unknown).
     *
     * @param gpuType the GPU type, or null
     * @return this builder
     */
    public Builder gpuType(String gpuType) {
      this.gpuType = gpuType;
      return this;
    }

    /**
     * The number of GPUs; default 1.
     *
     * @param gpuCount the GPU count
     * @return this builder
     */
    public Builder gpuCount(int gpuCount) {
      this.gpuCount = gpuCount;
      return this;
    }

    /**
     * The cloud; default {@link CloudType#UNKNOWN}.
     *
     * @param cloudType the cloud
     * @return this builder
     */
    public Builder cloudType(CloudType cloudType) {
      this.cloudType = Objects.requireNonNull(cloudType, "cloudType");
      return this;
    }

    /**
     * USD per hour while running; default 0 (unknown).
     *
     * @param costPerHour USD per hour
     * @return this builder
     */
    public Builder costPerHour(double costPerHour) {
      this.costPerHour = costPerHour;
      return this;
    }

    /**
     * Declared ports; default none.
     *
     * @param ports the ports, for example {@code 8188/http}
     * @return this builder
     */
    public Builder ports(List<String> ports) {
      this.ports = List.copyOf(ports);
      return this;
    }

    /**
     * The container runs, with these private ports mapped.
     *
     * @param up whether the container runs
     * @param mappedPorts the mapped private ports
     * @return this builder
     */
    public Builder runtime(boolean up, Set<Integer> mappedPorts) {
      this.runtimeUp = up;
      this.runtimePorts = Set.copyOf(mappedPorts);
      return this;
    }

    /**
     * Whether this SDK created the pod; default false.
     *
     * @param managed true if the SDK created it
     * @return this builder
     */
    public Builder managed(boolean managed) {
      this.managed = managed;
      return this;
    }

    /**
     * When the pod was created; default unknown.
     *
     * @param createdAt the instant, or null
     * @return this builder
     */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    /**
     * When the pod last started running (RunPod: {@code lastStartedAt}); null if unknown.
     *
     * @param startedAt the instant, or null
     * @return this builder
     */
    public Builder startedAt(Instant startedAt) {
      this.startedAt = startedAt;
      return this;
    }

    /**
     * Builds the pod.
     *
     * @return the pod, immutable
     */
    public Pod build() {
      return new Pod(this);
    }
  }
}
