package io.openavathar.pod;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the {@link PodManager} starts, waits for and stops pods. Immutable; {@link #defaults()} or
 * {@link #builder()}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><td>autoStart</td><td>true: start a stopped SDK pod or deploy a new one when none is ready</td></tr>
 *   <tr><td>deploySpec</td><td>{@link PodSpec#builder()}: InfiniteTalk template, GPUs by need (24 GB, $1.00/h), community then secure cloud</td></tr>
 *   <tr><td>maxPods</td><td>1 pod started automatically; beyond that jobs wait for a pod</td></tr>
 *   <tr><td>maxJobsPerPod</td><td>2 jobs at once on a pod (one generating, one ready next); more wait</td></tr>
 *   <tr><td>readyTimeout</td><td>15 minutes, then the pod is terminated (RunPod bills it anyway)</td></tr>
 *   <tr><td>idleStop</td><td>15 minutes without jobs, then {@link IdleAction#STOP}</td></tr>
 *   <tr><td>apiPollInterval</td><td>500 ms at first, doubling to 10 s (provider API calls while a pod boots)</td></tr>
 *   <tr><td>probeInterval</td><td>500 ms ({@code /system_stats} once the provider says the port is up)</td></tr>
 * </table>
 */
public final class PodPolicy {
  /** What to do with an idle pod the SDK started. */
  public enum IdleAction {
    /** Release the GPU, keep the volume (still billed for storage); starts again faster. */
    STOP,
    /** Delete the pod; only a network volume survives. */
    TERMINATE
  }

  private static final PodPolicy DEFAULTS = builder().build();

  private final boolean autoStart;
  private final PodSpec deploySpec;
  private final int maxPods;
  private final int maxJobsPerPod;
  private final Duration readyTimeout;
  private final Duration idleStop;
  private final IdleAction idleAction;
  private final Duration apiPollInitial;
  private final Duration apiPollMax;
  private final Duration probeInterval;

  private PodPolicy(Builder b) {
    this.autoStart = b.autoStart;
    this.deploySpec = b.deploySpec;
    this.maxPods = b.maxPods;
    this.maxJobsPerPod = b.maxJobsPerPod;
    this.readyTimeout = b.readyTimeout;
    this.idleStop = b.idleStop;
    this.idleAction = b.idleAction;
    this.apiPollInitial = b.apiPollInitial;
    this.apiPollMax = b.apiPollMax;
    this.probeInterval = b.probeInterval;
  }

  public static PodPolicy defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.autoStart = autoStart;
    b.deploySpec = deploySpec;
    b.maxPods = maxPods;
    b.maxJobsPerPod = maxJobsPerPod;
    b.readyTimeout = readyTimeout;
    b.idleStop = idleStop;
    b.idleAction = idleAction;
    b.apiPollInitial = apiPollInitial;
    b.apiPollMax = apiPollMax;
    b.probeInterval = probeInterval;
    return b;
  }

  public boolean autoStart() {
    return autoStart;
  }

  public PodSpec deploySpec() {
    return deploySpec;
  }

  public int maxPods() {
    return maxPods;
  }

  /**
   * Jobs this studio runs on one pod at once (default 2: one generating, the next one uploaded and
   * queued).
   */
  public int maxJobsPerPod() {
    return maxJobsPerPod;
  }

  public Duration readyTimeout() {
    return readyTimeout;
  }

  /** How long a pod the SDK started may sit without jobs; empty when idle stop is off. */
  public Optional<Duration> idleStop() {
    return Optional.ofNullable(idleStop);
  }

  public IdleAction idleAction() {
    return idleAction;
  }

  public Duration apiPollInitial() {
    return apiPollInitial;
  }

  public Duration apiPollMax() {
    return apiPollMax;
  }

  public Duration probeInterval() {
    return probeInterval;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PodPolicy p
        && autoStart == p.autoStart
        && deploySpec.equals(p.deploySpec)
        && maxPods == p.maxPods
        && maxJobsPerPod == p.maxJobsPerPod
        && readyTimeout.equals(p.readyTimeout)
        && Objects.equals(idleStop, p.idleStop)
        && idleAction == p.idleAction
        && apiPollInitial.equals(p.apiPollInitial)
        && apiPollMax.equals(p.apiPollMax)
        && probeInterval.equals(p.probeInterval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        autoStart,
        deploySpec,
        maxPods,
        maxJobsPerPod,
        readyTimeout,
        idleStop,
        idleAction,
        apiPollInitial,
        apiPollMax,
        probeInterval);
  }

  @Override
  public String toString() {
    return "PodPolicy{autoStart="
        + autoStart
        + ", maxPods="
        + maxPods
        + ", readyTimeout="
        + readyTimeout
        + ", idleStop="
        + (idleStop == null ? "off" : idleStop + " -> " + idleAction)
        + ", spec="
        + deploySpec
        + "}";
  }

  /** Builds a {@link PodPolicy}. */
  public static final class Builder {
    private boolean autoStart = true;
    private PodSpec deploySpec = PodSpec.builder().build();
    private int maxPods = 1;
    private int maxJobsPerPod = 2;
    private Duration readyTimeout = Duration.ofMinutes(15);
    private Duration idleStop = Duration.ofMinutes(15);
    private IdleAction idleAction = IdleAction.STOP;
    private Duration apiPollInitial = Duration.ofMillis(500);
    private Duration apiPollMax = Duration.ofSeconds(10);
    private Duration probeInterval = Duration.ofMillis(500);

    private Builder() {}

    /** Start or deploy pods when none is ready (default true). */
    public Builder autoStart(boolean autoStart) {
      this.autoStart = autoStart;
      return this;
    }

    public Builder deploySpec(PodSpec deploySpec) {
      this.deploySpec = Objects.requireNonNull(deploySpec, "deploySpec");
      return this;
    }

    /** Most pods started automatically (default 1). */
    public Builder maxPods(int maxPods) {
      if (maxPods < 1) {
        throw new IllegalArgumentException("maxPods must be at least 1, was " + maxPods);
      }
      this.maxPods = maxPods;
      return this;
    }

    /**
     * Jobs this studio runs on one pod at once (default 2); more wait in the studio, holding no
     * thread, and go to the first pod with a free slot, so that long and short jobs spread evenly
     * over the pods.
     */
    public Builder maxJobsPerPod(int maxJobsPerPod) {
      if (maxJobsPerPod < 1) {
        throw new IllegalArgumentException(
            "maxJobsPerPod must be at least 1, was " + maxJobsPerPod);
      }
      this.maxJobsPerPod = maxJobsPerPod;
      return this;
    }

    /** How long a starting pod may take to serve ComfyUI (default 15 min). */
    public Builder readyTimeout(Duration readyTimeout) {
      this.readyTimeout = positive(readyTimeout, "readyTimeout");
      return this;
    }

    /** Stop (or terminate) a pod the SDK started after this long without jobs (default 15 min). */
    public Builder idleStop(Duration after, IdleAction action) {
      this.idleStop = positive(after, "idleStop");
      this.idleAction = Objects.requireNonNull(action, "action");
      return this;
    }

    /**
     * Never stop idle pods. Users lose money to forgotten pods more than to anything else: think
     * twice.
     */
    public Builder idleStopOff() {
      this.idleStop = null;
      return this;
    }

    /**
     * Provider polling while a pod boots: first interval, doubling up to max (defaults 500 ms and
     * 10 s).
     */
    public Builder apiPolling(Duration initial, Duration max) {
      this.apiPollInitial = positive(initial, "initial");
      this.apiPollMax = positive(max, "max");
      return this;
    }

    /** ComfyUI probe period once the provider reports the port up (default 500 ms). */
    public Builder probeInterval(Duration probeInterval) {
      this.probeInterval = positive(probeInterval, "probeInterval");
      return this;
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }

    public PodPolicy build() {
      return new PodPolicy(this);
    }
  }
}
