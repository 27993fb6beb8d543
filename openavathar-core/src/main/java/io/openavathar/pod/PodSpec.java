package io.openavathar.pod;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What pod to deploy. Immutable; build with {@link #builder()}.
 *
 * <p>By default the spec says what the job needs rather than naming GPUs: at least {@link
 * #minGpuMemoryGb()} GB of GPU memory (default {@value #DEFAULT_MIN_GPU_MEMORY_GB}, what the
 * InfiniteTalk workflow needs), at most {@link #maxPricePerHour()} USD per hour for the whole pod
 * (default {@value #DEFAULT_MAX_PRICE_PER_HOUR}), in the clouds in order (default community, then
 * secure). A provider with a live catalog then tries every GPU type that qualifies and has stock,
 * cloud by cloud, cheapest first, with {@value #DEFAULT_GPU_TYPE} on community cloud first when it
 * qualifies (see {@link GpuSelection}). An explicit {@link Builder#gpuTypes GPU list} is tried in
 * the order given instead (each type in the first cloud, then in the next); the memory floor does
 * not apply to it, the price cap does wherever the catalog gives a price (a money guard).
 *
 * <pre>{@code
 * PodSpec byNeed = PodSpec.builder().maxPricePerHour(0.80).build();
 * PodSpec named = PodSpec.builder()
 *     .gpuTypes("NVIDIA GeForce RTX 4090", "NVIDIA RTX A6000")
 *     .clouds(CloudType.COMMUNITY, CloudType.SECURE)
 *     .build();
 * }</pre>
 */
public final class PodSpec {
  /** The OpenAvathar InfiniteTalk pod template the original product used. */
  public static final String DEFAULT_TEMPLATE_ID = "qvidd7ityi";

  /** The plan's GPU: tried first on community cloud whenever it qualifies. */
  public static final String DEFAULT_GPU_TYPE = "NVIDIA GeForce RTX 4090";

  /** GPU memory the InfiniteTalk workflow needs, in GB. */
  public static final int DEFAULT_MIN_GPU_MEMORY_GB = 24;

  /**
   * The default price cap, in USD per hour for the whole pod (per-GPU price times {@link
   * #gpuCount()}).
   */
  public static final double DEFAULT_MAX_PRICE_PER_HOUR = 1.00;

  /** The port ComfyUI listens on inside a pod. */
  public static final int COMFYUI_PORT = 8188;

  private final String name;
  private final String templateId;
  private final String image;
  private final List<String> gpuTypes;
  private final List<CloudType> clouds;
  private final int gpuCount;
  private final int minGpuMemoryGb;
  private final double maxPricePerHour;
  private final Integer containerDiskGb;
  private final String networkVolumeId;
  private final String volumeMountPath;
  private final List<String> ports;
  private final Map<String, String> env;

  private PodSpec(Builder b) {
    if (b.templateId == null && b.image == null) {
      throw new IllegalArgumentException("a pod needs a templateId or an image");
    }
    if (b.clouds.isEmpty()) {
      throw new IllegalArgumentException("at least one cloud is required");
    }
    this.name = b.name;
    this.templateId = b.templateId;
    this.image = b.image;
    this.gpuTypes = List.copyOf(b.gpuTypes);
    this.clouds = List.copyOf(b.clouds);
    this.gpuCount = b.gpuCount;
    this.minGpuMemoryGb = b.minGpuMemoryGb;
    this.maxPricePerHour = b.maxPricePerHour;
    this.containerDiskGb = b.containerDiskGb;
    this.networkVolumeId = b.networkVolumeId;
    this.volumeMountPath = b.volumeMountPath;
    this.ports = List.copyOf(b.ports);
    this.env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
  }

  /**
   * A builder with the defaults: InfiniteTalk template, GPUs chosen by need (at least 24 GB, at
   * most $1.00 per hour), community then secure cloud, port 8188/http.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this spec's values, to change some of them.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.templateId = templateId;
    b.image = image;
    b.gpuTypes = new ArrayList<>(gpuTypes);
    b.clouds = new ArrayList<>(clouds);
    b.gpuCount = gpuCount;
    b.minGpuMemoryGb = minGpuMemoryGb;
    b.maxPricePerHour = maxPricePerHour;
    b.containerDiskGb = containerDiskGb;
    b.networkVolumeId = networkVolumeId;
    b.volumeMountPath = volumeMountPath;
    b.ports = new ArrayList<>(ports);
    b.env = new LinkedHashMap<>(env);
    return b;
  }

  /**
   * The pod's name; empty lets the provider choose a unique one (which it needs to find the pod
   * again).
   *
   * @return the name, or empty
   */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /**
   * The provider's pod template to create from (default {@link #DEFAULT_TEMPLATE_ID}); empty to use
   * {@link #image()} only.
   *
   * @return the template id, or empty
   */
  public Optional<String> templateId() {
    return Optional.ofNullable(templateId);
  }

  /**
   * The container image; empty takes the template's.
   *
   * @return the image, or empty
   */
  public Optional<String> image() {
    return Optional.ofNullable(image);
  }

  /**
   * GPU type ids in order of preference; empty (the default) means "choose from the provider's live
   * catalog by {@link #minGpuMemoryGb()} and {@link #maxPricePerHour()}".
   *
   * @return the GPU type ids, immutable
   */
  public List<String> gpuTypes() {
    return gpuTypes;
  }

  /**
   * Whether the GPUs are chosen from the live catalog by need ({@link #gpuTypes()} is empty).
   *
   * @return true when choosing by need
   */
  public boolean choosesGpusByNeed() {
    return gpuTypes.isEmpty();
  }

  /**
   * The least GPU memory per GPU, in GB, a GPU chosen by need must have (not applied to an explicit
   * list).
   *
   * @return memory in GB, at least 1
   */
  public int minGpuMemoryGb() {
    return minGpuMemoryGb;
  }

  /**
   * The most the pod may cost, in USD per hour for the whole pod (per-GPU price times {@link
   * #gpuCount()}); applies to explicit GPU lists too wherever the catalog gives a price.
   *
   * @return USD per hour, positive
   */
  public double maxPricePerHour() {
    return maxPricePerHour;
  }

  /**
   * Clouds in order of preference.
   *
   * @return the clouds, immutable, not empty
   */
  public List<CloudType> clouds() {
    return clouds;
  }

  /**
   * GPUs per pod (default 1).
   *
   * @return the GPU count, at least 1
   */
  public int gpuCount() {
    return gpuCount;
  }

  /**
   * The container disk size in GB; empty takes the template's.
   *
   * @return the size, or empty
   */
  public Optional<Integer> containerDiskGb() {
    return Optional.ofNullable(containerDiskGb);
  }

  /**
   * The network volume to mount (see {@link #volumeMountPath()}); empty for none.
   *
   * @return the volume id, or empty
   */
  public Optional<String> networkVolumeId() {
    return Optional.ofNullable(networkVolumeId);
  }

  /**
   * Where the network volume is mounted (default {@code /workspace}).
   *
   * @return the mount path
   */
  public String volumeMountPath() {
    return volumeMountPath;
  }

  /**
   * Ports like {@code 8188/http}.
   *
   * @return the ports, immutable
   */
  public List<String> ports() {
    return ports;
  }

  /**
   * Environment variables set in the pod, on top of the template's.
   *
   * @return the variables, immutable, in the order they were set
   */
  public Map<String, String> env() {
    return env;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PodSpec p
        && Objects.equals(name, p.name)
        && Objects.equals(templateId, p.templateId)
        && Objects.equals(image, p.image)
        && gpuTypes.equals(p.gpuTypes)
        && clouds.equals(p.clouds)
        && gpuCount == p.gpuCount
        && minGpuMemoryGb == p.minGpuMemoryGb
        && Double.compare(maxPricePerHour, p.maxPricePerHour) == 0
        && Objects.equals(containerDiskGb, p.containerDiskGb)
        && Objects.equals(networkVolumeId, p.networkVolumeId)
        && volumeMountPath.equals(p.volumeMountPath)
        && ports.equals(p.ports)
        && env.equals(p.env);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        name,
        templateId,
        image,
        gpuTypes,
        clouds,
        gpuCount,
        minGpuMemoryGb,
        maxPricePerHour,
        containerDiskGb,
        networkVolumeId,
        volumeMountPath,
        ports,
        env);
  }

  /** Lists the spec; environment values are not shown (they may hold secrets). */
  @Override
  public String toString() {
    return "PodSpec{"
        + (name == null ? "" : "name=" + name + ", ")
        + (templateId == null ? "image=" + image : "template=" + templateId)
        + ", gpus="
        + (gpuTypes.isEmpty() ? "by need" : gpuTypes.toString())
        + " x"
        + gpuCount
        + ", minGpuMemoryGb="
        + minGpuMemoryGb
        + ", maxPricePerHour="
        + maxPricePerHour
        + ", clouds="
        + clouds
        + ", ports="
        + ports
        + (networkVolumeId == null ? "" : ", volume=" + networkVolumeId)
        + ", env="
        + env.keySet()
        + "}";
  }

  /** Builds a {@link PodSpec}. */
  public static final class Builder {
    private String name;
    private String templateId = DEFAULT_TEMPLATE_ID;
    private String image;
    private List<String> gpuTypes = new ArrayList<>();
    private List<CloudType> clouds =
        new ArrayList<>(List.of(CloudType.COMMUNITY, CloudType.SECURE));
    private int gpuCount = 1;
    private int minGpuMemoryGb = DEFAULT_MIN_GPU_MEMORY_GB;
    private double maxPricePerHour = DEFAULT_MAX_PRICE_PER_HOUR;
    private Integer containerDiskGb;
    private String networkVolumeId;
    private String volumeMountPath = "/workspace";
    private List<String> ports = new ArrayList<>(List.of(COMFYUI_PORT + "/http"));
    private Map<String, String> env = new LinkedHashMap<>();

    private Builder() {}

    /**
     * The pod's name; default none, the provider chooses a unique one.
     *
     * @param name the name
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * The pod template (default {@value #DEFAULT_TEMPLATE_ID}); null to use {@link #image} only.
     *
     * @param templateId the template id, or null
     * @return this builder
     */
    public Builder templateId(String templateId) {
      this.templateId = templateId;
      return this;
    }

    /**
     * The container image; default none (the template's).
     *
     * @param image the image, or null
     * @return this builder
     */
    public Builder image(String image) {
      this.image = image;
      return this;
    }

    /**
     * GPU type ids to try in this order instead of choosing by need (default: none, choose from the
     * live catalog); no arguments goes back to choosing by need.
     *
     * @param gpuTypes GPU type ids, most wanted first
     * @return this builder
     */
    public Builder gpuTypes(String... gpuTypes) {
      return gpuTypes(List.of(gpuTypes));
    }

    /**
     * GPU type ids to try in this order instead of choosing by need; an empty list goes back to
     * choosing by need. Duplicates are dropped.
     *
     * @param gpuTypes GPU type ids, most wanted first
     * @return this builder
     * @throws IllegalArgumentException if an id is blank
     */
    public Builder gpuTypes(List<String> gpuTypes) {
      for (String id : gpuTypes) {
        if (Objects.requireNonNull(id, "GPU type id").isBlank()) {
          throw new IllegalArgumentException("a GPU type id must not be blank");
        }
      }
      this.gpuTypes = new ArrayList<>(new java.util.LinkedHashSet<>(gpuTypes));
      return this;
    }

    /**
     * Clouds in order of preference (default community, then secure).
     *
     * @param clouds the clouds, most wanted first
     * @return this builder
     */
    public Builder clouds(CloudType... clouds) {
      return clouds(List.of(clouds));
    }

    /**
     * Clouds in order of preference (default community, then secure). Duplicates are dropped.
     *
     * @param clouds the clouds, most wanted first
     * @return this builder
     * @throws IllegalArgumentException if a cloud is {@link CloudType#UNKNOWN}
     */
    public Builder clouds(List<CloudType> clouds) {
      for (CloudType c : clouds) {
        if (c == CloudType.UNKNOWN) {
          throw new IllegalArgumentException("cloud must be COMMUNITY or SECURE");
        }
      }
      this.clouds = new ArrayList<>(new java.util.LinkedHashSet<>(clouds));
      return this;
    }

    /**
     * The least GPU memory per GPU, in GB, for GPUs chosen by need (default {@value
     * PodSpec#DEFAULT_MIN_GPU_MEMORY_GB}).
     *
     * @param gb memory in GB, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code gb} is below 1
     */
    public Builder minGpuMemoryGb(int gb) {
      if (gb < 1) {
        throw new IllegalArgumentException("minGpuMemoryGb must be at least 1, was " + gb);
      }
      this.minGpuMemoryGb = gb;
      return this;
    }

    /**
     * The most the pod may cost, in USD per hour for the whole pod (default {@value
     * PodSpec#DEFAULT_MAX_PRICE_PER_HOUR}); GPUs whose catalog price times the GPU count is higher
     * are not tried, whether chosen by need or listed.
     *
     * @param usd USD per hour, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code usd} is not a positive number
     */
    public Builder maxPricePerHour(double usd) {
      if (!(usd > 0) || Double.isInfinite(usd)) {
        throw new IllegalArgumentException(
            "maxPricePerHour must be a positive number of USD, was " + usd);
      }
      this.maxPricePerHour = usd;
      return this;
    }

    /**
     * GPUs per pod (default 1).
     *
     * @param gpuCount the GPU count, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code gpuCount} is below 1
     */
    public Builder gpuCount(int gpuCount) {
      if (gpuCount < 1) {
        throw new IllegalArgumentException("gpuCount must be at least 1, was " + gpuCount);
      }
      this.gpuCount = gpuCount;
      return this;
    }

    /**
     * The container disk size in GB; default the template's.
     *
     * @param gb the size, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code gb} is below 1
     */
    public Builder containerDiskGb(int gb) {
      if (gb < 1) {
        throw new IllegalArgumentException("containerDiskGb must be at least 1, was " + gb);
      }
      this.containerDiskGb = gb;
      return this;
    }

    /**
     * Mount this network volume (models survive termination; the pod is pinned to the volume's data
     * center).
     *
     * @param volumeId the volume's id
     * @param mountPath where to mount it, for example {@code /workspace}
     * @return this builder
     */
    public Builder networkVolume(String volumeId, String mountPath) {
      this.networkVolumeId = Objects.requireNonNull(volumeId, "volumeId");
      this.volumeMountPath = Objects.requireNonNull(mountPath, "mountPath");
      return this;
    }

    /**
     * Ports like {@code 8188/http} (default just that).
     *
     * @param ports the ports, replacing the current ones
     * @return this builder
     */
    public Builder ports(String... ports) {
      this.ports = new ArrayList<>(List.of(ports));
      return this;
    }

    /**
     * Sets an environment variable in the pod, replacing an earlier value for the key.
     *
     * @param key the variable's name
     * @param value its value
     * @return this builder
     */
    public Builder env(String key, String value) {
      this.env.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Builds the spec.
     *
     * @return the spec, immutable
     * @throws IllegalArgumentException if neither a template nor an image is set, or no cloud
     */
    public PodSpec build() {
      return new PodSpec(this);
    }
  }
}
