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

  /**
   * The default policy (see the table above).
   *
   * @return the defaults, immutable
   */
  public static PodPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this policy's values, to change some of them.
   *
   * @return a new builder
   */
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

  /**
   * Whether the studio starts a stopped SDK pod or deploys a new one when no pod is ready (default
   * true); when false, a job that finds no ready pod fails with a {@link
   * io.openavathar.RemoteUnavailableException}.
   *
   * @return true if pods are started automatically
   */
  public boolean autoStart() {
    return autoStart;
  }

  /**
   * The spec of the pods the studio deploys on its own (default {@link PodSpec#builder()}'s).
   *
   * @return the deploy spec, never null
   */
  public PodSpec deploySpec() {
    return deploySpec;
  }

  /**
   * The most pods the studio starts automatically (default 1); beyond that jobs wait for a free
   * one.
   *
   * @return the pod limit, at least 1
   */
  public int maxPods() {
    return maxPods;
  }

  /**
   * Jobs this studio runs on one pod at once (default 2: one generating, the next one uploaded and
   * queued).
   *
   * @return jobs per pod, at least 1
   */
  public int maxJobsPerPod() {
    return maxJobsPerPod;
  }

  /**
   * How long a starting pod may take until ComfyUI answers (default 15 minutes).
   *
   * @return the ready timeout, positive
   */
  public Duration readyTimeout() {
    return readyTimeout;
  }

  /**
   * How long a pod the SDK started may sit without jobs; empty when idle stop is off.
   *
   * @return the idle time, or empty
   */
  public Optional<Duration> idleStop() {
    return Optional.ofNullable(idleStop);
  }

  /**
   * What happens to an idle pod the SDK started (default {@link IdleAction#STOP}); unused while
   * idle stop is off.
   *
   * @return the idle action, never null
   */
  public IdleAction idleAction() {
    return idleAction;
  }

  /**
   * The first interval of the provider polls while a pod boots (default 500 ms); it doubles up to
   * {@link #apiPollMax()}.
   *
   * @return the first interval, positive
   */
  public Duration apiPollInitial() {
    return apiPollInitial;
  }

  /**
   * The longest interval of the provider polls while a pod boots (default 10 s).
   *
   * @return the longest interval, positive
   */
  public Duration apiPollMax() {
    return apiPollMax;
  }

  /**
   * How often ComfyUI's {@code /system_stats} is probed once the provider reports the port up
   * (default 500 ms).
   *
   * @return the probe period, positive
   */
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

    /**
     * Start or deploy pods when none is ready (default true).
     *
     * @param autoStart true to start pods automatically
     * @return this builder
     */
    public Builder autoStart(boolean autoStart) {
      this.autoStart = autoStart;
      return this;
    }

    /**
     * The spec of the pods the studio deploys on its own; default {@link PodSpec#builder()}'s.
     *
     * @param deploySpec the spec
     * @return this builder
     */
    public Builder deploySpec(PodSpec deploySpec) {
      this.deploySpec = Objects.requireNonNull(deploySpec, "deploySpec");
      return this;
    }

    /**
     * Most pods started automatically (default 1).
     *
     * @param maxPods the pod limit, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maxPods} is below 1
     */
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
     *
     * @param maxJobsPerPod jobs per pod, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maxJobsPerPod} is below 1
     */
    public Builder maxJobsPerPod(int maxJobsPerPod) {
      if (maxJobsPerPod < 1) {
        throw new IllegalArgumentException(
            "maxJobsPerPod must be at least 1, was " + maxJobsPerPod);
      }
      this.maxJobsPerPod = maxJobsPerPod;
      return this;
    }

    /**
     * How long a starting pod may take to serve ComfyUI (default 15 min).
     *
     * @param readyTimeout the ready timeout, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code readyTimeout} is zero or negative
     */
    public Builder readyTimeout(Duration readyTimeout) {
      this.readyTimeout = positive(readyTimeout, "readyTimeout");
      return this;
    }

    /**
     * Stop (or terminate) a pod the SDK started after this long without jobs (default 15 min).
     *
     * @param after the idle time, positive
     * @param action stop or terminate
     * @return this builder
     * @throws IllegalArgumentException if {@code after} is zero or negative
     */
    public Builder idleStop(Duration after, IdleAction action) {
      this.idleStop = positive(after, "idleStop");
      this.idleAction = Objects.requireNonNull(action, "action");
      return this;
    }

    /**
     * Never stop idle pods. Users lose money to forgotten pods more than to anything else: think
     * twice.
     *
     * @return this builder
     */
    public Builder idleStopOff() {
      this.idleStop = null;
      return this;
    }

    /**
     * Provider polling while a pod boots: first interval, doubling up to max (defaults 500 ms and
     * 10 s).
     *
     * @param initial the first interval, positive
     * @param max the longest interval, positive
     * @return this builder
     * @throws IllegalArgumentException if an interval is zero or negative
     */
    public Builder apiPolling(Duration initial, Duration max) {
      this.apiPollInitial = positive(initial, "initial");
      this.apiPollMax = positive(max, "max");
      return this;
    }

    /**
     * ComfyUI probe period once the provider reports the port up (default 500 ms).
     *
     * @param probeInterval the probe period, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code probeInterval} is zero or negative
     */
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

    /**
     * Builds the policy.
     *
     * @return the policy, immutable
     */
    public PodPolicy build() {
      return new PodPolicy(this);
    }
  }
}
