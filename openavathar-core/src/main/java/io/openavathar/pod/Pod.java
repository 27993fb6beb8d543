package io.openavathar.pod;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * A machine that runs (or can run) ComfyUI, as a {@link PodProvider} reports it. Immutable; build with
 * {@link #builder(String)}, copy with {@link #toBuilder()}.
 */
public final class Pod {
  private final String id;
  private final String name;
  private final PodStatus status;
  private final String rawStatus;
  private final URI comfyUiUrl;
  private final String gpuType;

  private Pod(Builder b) {
    this.id = b.id;
    this.name = b.name == null ? b.id : b.name;
    this.status = b.status;
    this.rawStatus = b.rawStatus == null ? b.status.name() : b.rawStatus;
    this.comfyUiUrl = b.comfyUiUrl;
    this.gpuType = b.gpuType;
  }

  /** A builder for the pod with this provider-unique id. */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  public Builder toBuilder() {
    Builder b = new Builder(id);
    b.name = name;
    b.status = status;
    b.rawStatus = rawStatus;
    b.comfyUiUrl = comfyUiUrl;
    b.gpuType = gpuType;
    return b;
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  public PodStatus status() {
    return status;
  }

  /** The provider's status text as received. */
  public String rawStatus() {
    return rawStatus;
  }

  /** The ComfyUI base URL (it may carry a path prefix), once the pod exposes one. */
  public Optional<URI> comfyUiUrl() {
    return Optional.ofNullable(comfyUiUrl);
  }

  /** The GPU type, for example {@code NVIDIA GeForce RTX 4090}, if known. */
  public Optional<String> gpuType() {
    return Optional.ofNullable(gpuType);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pod p
        && id.equals(p.id)
        && name.equals(p.name)
        && status == p.status
        && rawStatus.equals(p.rawStatus)
        && Objects.equals(comfyUiUrl, p.comfyUiUrl)
        && Objects.equals(gpuType, p.gpuType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, name, status, rawStatus, comfyUiUrl, gpuType);
  }

  @Override
  public String toString() {
    return "Pod{id=" + id + ", name=" + name + ", status=" + rawStatus
        + (comfyUiUrl == null ? "" : ", comfyUiUrl=" + comfyUiUrl)
        + (gpuType == null ? "" : ", gpu=" + gpuType) + "}";
  }

  /** Builds a {@link Pod}. */
  public static final class Builder {
    private final String id;
    private String name;
    private PodStatus status = PodStatus.UNKNOWN;
    private String rawStatus;
    private URI comfyUiUrl;
    private String gpuType;

    private Builder(String id) {
      this.id = Objects.requireNonNull(id, "id");
    }

    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    public Builder status(PodStatus status) {
      this.status = Objects.requireNonNull(status, "status");
      return this;
    }

    /** The provider's status text; also sets {@link #status} from it. */
    public Builder rawStatus(String rawStatus) {
      this.rawStatus = Objects.requireNonNull(rawStatus, "rawStatus");
      this.status = PodStatus.fromWire(rawStatus);
      return this;
    }

    public Builder comfyUiUrl(URI comfyUiUrl) {
      this.comfyUiUrl = comfyUiUrl;
      return this;
    }

    public Builder gpuType(String gpuType) {
      this.gpuType = gpuType;
      return this;
    }

    public Pod build() {
      return new Pod(this);
    }
  }
}
