package io.openavathar.pod;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What pod to deploy. Immutable; build with {@link #builder()}. GPU types and clouds are fallback lists, tried in
 * order (every GPU type in the first cloud, then in the next) until one has capacity.
 *
 * <pre>{@code
 * PodSpec spec = PodSpec.builder()
 *     .templateId("qvidd7ityi")
 *     .gpuTypes("NVIDIA GeForce RTX 4090", "NVIDIA RTX A6000")
 *     .clouds(CloudType.COMMUNITY, CloudType.SECURE)
 *     .build();
 * }</pre>
 */
public final class PodSpec {
  /** The OpenAvathar InfiniteTalk pod template the original product used. */
  public static final String DEFAULT_TEMPLATE_ID = "qvidd7ityi";
  public static final String DEFAULT_GPU_TYPE = "NVIDIA GeForce RTX 4090";
  public static final int COMFYUI_PORT = 8188;

  private final String name;
  private final String templateId;
  private final String image;
  private final List<String> gpuTypes;
  private final List<CloudType> clouds;
  private final int gpuCount;
  private final Integer containerDiskGb;
  private final String networkVolumeId;
  private final String volumeMountPath;
  private final List<String> ports;
  private final Map<String, String> env;

  private PodSpec(Builder b) {
    if (b.templateId == null && b.image == null) {
      throw new IllegalArgumentException("a pod needs a templateId or an image");
    }
    if (b.gpuTypes.isEmpty()) {
      throw new IllegalArgumentException("at least one GPU type is required");
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
    this.containerDiskGb = b.containerDiskGb;
    this.networkVolumeId = b.networkVolumeId;
    this.volumeMountPath = b.volumeMountPath;
    this.ports = List.copyOf(b.ports);
    this.env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
  }

  /** A builder with the defaults: InfiniteTalk template, RTX 4090, community cloud, port 8188/http. */
  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.templateId = templateId;
    b.image = image;
    b.gpuTypes = new ArrayList<>(gpuTypes);
    b.clouds = new ArrayList<>(clouds);
    b.gpuCount = gpuCount;
    b.containerDiskGb = containerDiskGb;
    b.networkVolumeId = networkVolumeId;
    b.volumeMountPath = volumeMountPath;
    b.ports = new ArrayList<>(ports);
    b.env = new LinkedHashMap<>(env);
    return b;
  }

  /** The pod's name; empty lets the provider choose a unique one (which it needs to find the pod again). */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  public Optional<String> templateId() {
    return Optional.ofNullable(templateId);
  }

  public Optional<String> image() {
    return Optional.ofNullable(image);
  }

  /** GPU type ids in order of preference. */
  public List<String> gpuTypes() {
    return gpuTypes;
  }

  /** Clouds in order of preference. */
  public List<CloudType> clouds() {
    return clouds;
  }

  public int gpuCount() {
    return gpuCount;
  }

  public Optional<Integer> containerDiskGb() {
    return Optional.ofNullable(containerDiskGb);
  }

  public Optional<String> networkVolumeId() {
    return Optional.ofNullable(networkVolumeId);
  }

  /** Where the network volume is mounted (default {@code /workspace}). */
  public String volumeMountPath() {
    return volumeMountPath;
  }

  /** Ports like {@code 8188/http}. */
  public List<String> ports() {
    return ports;
  }

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
        && Objects.equals(containerDiskGb, p.containerDiskGb)
        && Objects.equals(networkVolumeId, p.networkVolumeId)
        && volumeMountPath.equals(p.volumeMountPath)
        && ports.equals(p.ports)
        && env.equals(p.env);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, templateId, image, gpuTypes, clouds, gpuCount, containerDiskGb, networkVolumeId,
        volumeMountPath, ports, env);
  }

  /** Lists the spec; environment values are not shown (they may hold secrets). */
  @Override
  public String toString() {
    return "PodSpec{" + (name == null ? "" : "name=" + name + ", ")
        + (templateId == null ? "image=" + image : "template=" + templateId)
        + ", gpus=" + gpuTypes + " x" + gpuCount + ", clouds=" + clouds + ", ports=" + ports
        + (networkVolumeId == null ? "" : ", volume=" + networkVolumeId) + ", env=" + env.keySet() + "}";
  }

  /** Builds a {@link PodSpec}. */
  public static final class Builder {
    private String name;
    private String templateId = DEFAULT_TEMPLATE_ID;
    private String image;
    private List<String> gpuTypes = new ArrayList<>(List.of(DEFAULT_GPU_TYPE));
    private List<CloudType> clouds = new ArrayList<>(List.of(CloudType.COMMUNITY));
    private int gpuCount = 1;
    private Integer containerDiskGb;
    private String networkVolumeId;
    private String volumeMountPath = "/workspace";
    private List<String> ports = new ArrayList<>(List.of(COMFYUI_PORT + "/http"));
    private Map<String, String> env = new LinkedHashMap<>();

    private Builder() {}

    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The pod template (default {@value #DEFAULT_TEMPLATE_ID}); null to use {@link #image} only. */
    public Builder templateId(String templateId) {
      this.templateId = templateId;
      return this;
    }

    public Builder image(String image) {
      this.image = image;
      return this;
    }

    /** GPU type ids in order of preference (default {@value #DEFAULT_GPU_TYPE}). */
    public Builder gpuTypes(String... gpuTypes) {
      return gpuTypes(List.of(gpuTypes));
    }

    public Builder gpuTypes(List<String> gpuTypes) {
      this.gpuTypes = new ArrayList<>(gpuTypes);
      return this;
    }

    /** Clouds in order of preference (default community). */
    public Builder clouds(CloudType... clouds) {
      for (CloudType c : clouds) {
        if (c == CloudType.UNKNOWN) {
          throw new IllegalArgumentException("cloud must be COMMUNITY or SECURE");
        }
      }
      this.clouds = new ArrayList<>(List.of(clouds));
      return this;
    }

    public Builder gpuCount(int gpuCount) {
      if (gpuCount < 1) {
        throw new IllegalArgumentException("gpuCount must be at least 1, was " + gpuCount);
      }
      this.gpuCount = gpuCount;
      return this;
    }

    public Builder containerDiskGb(int gb) {
      if (gb < 1) {
        throw new IllegalArgumentException("containerDiskGb must be at least 1, was " + gb);
      }
      this.containerDiskGb = gb;
      return this;
    }

    /** Mount this network volume (models survive termination; the pod is pinned to the volume's data center). */
    public Builder networkVolume(String volumeId, String mountPath) {
      this.networkVolumeId = Objects.requireNonNull(volumeId, "volumeId");
      this.volumeMountPath = Objects.requireNonNull(mountPath, "mountPath");
      return this;
    }

    /** Ports like {@code 8188/http} (default just that). */
    public Builder ports(String... ports) {
      this.ports = new ArrayList<>(List.of(ports));
      return this;
    }

    public Builder env(String key, String value) {
      this.env.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public PodSpec build() {
      return new PodSpec(this);
    }
  }
}
