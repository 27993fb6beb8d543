package io.openavathar;

import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.comfy.PromptTracker;
import io.openavathar.internal.job.JobEngine;
import io.openavathar.internal.pod.DefaultPodManager;
import io.openavathar.media.MediaProbe;
import io.openavathar.pod.PodManager;
import io.openavathar.pod.PodPolicy;
import io.openavathar.pod.PodProvider;
import io.openavathar.pod.StaticPodProvider;
import io.openavathar.store.StudioStore;
import io.openavathar.workflow.InfiniteTalkWorkflow;
import io.openavathar.workflow.WorkflowTemplate;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;

/**
 * The OpenAvathar facade: turns one portrait image and one speech recording into a lip-synced
 * talking-avatar MP4.
 *
 * <pre>{@code
 * try (AvatarStudio studio = AvatarStudio.builder()
 *     .comfyUrls(URI.create("http://127.0.0.1:8188"))
 *     .outputDirectory(Path.of("videos"))
 *     .build()) {
 *   GenerationJob job = studio.generate(GenerationRequest.builder()
 *       .image(Path.of("portrait.png"))
 *       .audio(Path.of("speech.wav"))
 *       .build());
 *   GeneratedVideo video = job.await(Duration.ofMinutes(30));
 *   System.out.println(video.file());
 * }
 * }</pre>
 *
 * <p>Threads: one studio owns one small daemon scheduler ({@code openavathar-scheduler-N}) and one
 * OkHttp client (derived from yours if given); jobs run on OkHttp callbacks and that scheduler,
 * never a thread per job. Build one studio and share it. {@link #close()} waits (bounded, {@link
 * Builder#cancelTimeout}) for ComfyUI to confirm cancels in flight, fails jobs still running (their
 * prompts may finish on the server), waits (bounded, {@link Builder#closeTrackTimeout}) for the
 * license server to confirm videos just counted, closes connections and stops the scheduler; a
 * caller-supplied {@link OkHttpClient} keeps running.
 */
public final class AvatarStudio implements AutoCloseable {
  private static final AtomicInteger SCHEDULER_IDS = new AtomicInteger();

  private final PodProvider podProvider;
  private final JobEngine engine;
  private final DefaultPodManager pods;
  private final ScheduledExecutorService scheduler;
  private final StudioStore store;
  private final boolean ownsStore;
  private final io.openavathar.gallery.Gallery gallery;
  private final io.openavathar.license.LicenseClient license;

  /** Our own OkHttp client when the caller gave none; shut down on close. */
  private final OkHttpClient ownedHttp;

  private final Duration closeTrackTimeout;
  private boolean closed;

  private AvatarStudio(Builder b) {
    if (b.podProvider == null) {
      throw new IllegalArgumentException(
          "a pod provider is required: builder().comfyUrls(URI...) for your own ComfyUI, or podProvider(...)");
    }
    this.podProvider = b.podProvider;
    if (b.store != null && b.storeUrl != null) {
      throw new IllegalArgumentException(
          "give the studio a store or a store URL, not both: builder().store(...) or storeUrl(...)");
    }
    this.ownsStore = b.store == null;
    this.store =
        b.store != null
            ? b.store
            : b.storeUrl != null
                ? StudioStore.connect(b.storeUrl)
                : b.dataDirectory != null
                    ? StudioStore.open(b.dataDirectory)
                    : StudioStore.inMemory();
    this.scheduler = newScheduler();
    this.ownedHttp = b.httpClient == null ? new OkHttpClient() : null;
    OkHttpClient http = (b.httpClient == null ? ownedHttp : b.httpClient).newBuilder().build();
    Clock clock = b.clock;
    RetryOptions retryOptions = b.retryOptions;
    this.pods =
        new DefaultPodManager(
            b.podProvider,
            b.podPolicy,
            url ->
                ComfyUiClient.builder()
                    .baseUrl(url)
                    .httpClient(http)
                    .scheduler(scheduler)
                    .clock(clock)
                    .retryOptions(retryOptions)
                    .build(),
            scheduler,
            clock,
            store);
    this.engine =
        JobEngine.create(
            new JobEngine.Settings(
                pods,
                b.workflow,
                b.mediaProbe,
                b.maxFrames,
                b.videoDirectory(),
                b.trackerOptions,
                b.listener,
                store,
                b.license,
                b.retryBudget,
                scheduler,
                clock,
                b.cancelTimeout,
                b.dailySpendCapUsd));
    this.gallery =
        new io.openavathar.internal.gallery.DefaultGallery(store, pods, clock, b.videoDirectory());
    this.license = b.license;
    this.closeTrackTimeout = b.closeTrackTimeout;
    if (b.workQueue >= 0) {
      engine.retryPendingTracks();
      engine.workQueue(b.workQueue > 0 ? b.workQueue : JobEngine.defaultMaxInFlight(pods));
    } else if (b.resumeOnStart) {
      engine.resumeUnfinished();
      engine.retryPendingTracks();
    }
  }

  private static ScheduledExecutorService newScheduler() {
    return io.openavathar.internal.Schedulers.daemon(
        "openavathar-scheduler-" + SCHEDULER_IDS.incrementAndGet());
  }

  /**
   * A builder; {@link Builder#podProvider} (or {@link Builder#comfyUrls}) is required. Without
   * {@link Builder#dataDirectory} or {@link Builder#store} the studio keeps its jobs in memory
   * only.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks the request and starts generating; returns at once with the job's handle.
   *
   * <p>The image and audio are read here, on the calling thread (headers only): a missing, empty,
   * mislabelled or too large file, a pipe or device, an image under 256 px or over the pixel cap,
   * audio longer than the frame limit, or an output file that cannot be written throws before
   * anything is uploaded or any pod started.
   *
   * @param request what to generate
   * @return the job's handle, already running
   * @throws InvalidInputException if the input cannot be used; nothing was sent anywhere
   */
  public GenerationJob generate(GenerationRequest request) {
    return engine.submit(Objects.requireNonNull(request, "request"));
  }

  /**
   * What {@code request} would take and cost if submitted now, without starting, deploying or
   * uploading anything: GPU seconds on the pod it would run on, that pod's boot time when none is
   * ready, and the cost at its price, each as a range (see {@link CostEstimate}). Completes with
   * the pod provider's failure when no pod could be found or priced (for example no GPU in the
   * catalog meets the deploy spec).
   *
   * @param request what to estimate
   * @return completes with the estimate
   * @throws InvalidInputException if the input cannot be used (checked here, on the calling thread)
   */
  public CompletableFuture<CostEstimate> estimate(GenerationRequest request) {
    return engine.estimate(Objects.requireNonNull(request, "request"));
  }

  /**
   * The pod provider this studio runs jobs on.
   *
   * @return the provider
   */
  public PodProvider podProvider() {
    return podProvider;
  }

  /**
   * The studio's jobs: list, get, cancel, retry, listeners, including jobs of earlier runs.
   *
   * @return the jobs
   */
  public io.openavathar.job.Jobs jobs() {
    return engine;
  }

  /**
   * This device's license: {@code check()} for the status (Pro or free, used, limit, resets in),
   * {@code activate}, {@code deactivate}, {@code validate}.
   *
   * @return the license client
   */
  public io.openavathar.license.LicenseClient license() {
    return license;
  }

  /**
   * The gallery of finished videos: list, open (downloading again if needed), delete, import from a
   * pod.
   *
   * @return the gallery
   */
  public io.openavathar.gallery.Gallery videos() {
    return gallery;
  }

  /**
   * The studio's durable state, for tests of this package. Not API: the store's claim and
   * quota-track methods belong to the engine; jobs are read through {@link #jobs()}, videos through
   * {@link #videos()}; a caller who needs the store itself passes it to {@link
   * Builder#store(StudioStore)}.
   */
  StudioStore store() {
    return store;
  }

  /**
   * The studio's pods: list, deploy, start, stop, terminate, logs, readiness, idle stop.
   *
   * @return the pod manager; the studio closes it
   */
  public PodManager pods() {
    return pods;
  }

  /**
   * Closes the studio. Cancels in flight are waited for first, until ComfyUI confirmed them or
   * {@link Builder#cancelTimeout} (20 s by default) passed: their delete and interrupt requests are
   * never cut off. Jobs still running are left unfinished in the store (a new studio on the data
   * directory resumes them). Videos just finished are counted with the license server before this
   * returns: it waits up to {@link Builder#closeTrackTimeout} (10 s by default) for those answers;
   * a track still unanswered then stays pending and the next studio sends it again. Safe to call
   * more than once and from several threads (a shutdown hook): a second call returns when the first
   * is done.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      engine.close(closeTrackTimeout);
      pods.close();
    } finally {
      if (ownsStore) {
        store.close();
      }
      if (ownedHttp != null) {
        ownedHttp.dispatcher().executorService().shutdown();
        ownedHttp.connectionPool().evictAll();
      }
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "AvatarStudio{pods=" + podProvider + "}";
  }

  /** Builds an {@link AvatarStudio}. Every setting has a default except where the jobs run. */
  public static final class Builder {
    private PodProvider podProvider;
    private Path dataDirectory;
    private Path outputDirectory;
    private StudioStore store;
    private String storeUrl;
    private WorkflowTemplate workflow = InfiniteTalkWorkflow.template();
    private MediaProbe mediaProbe = MediaProbe.create();
    private int maxFrames = 1000;
    private OkHttpClient httpClient;
    private Clock clock = Clock.systemUTC();
    private JobListener listener = JobListener.NONE;
    private PromptTracker.Options trackerOptions = PromptTracker.Options.DEFAULTS;
    private RetryOptions retryOptions = RetryOptions.defaults();
    private PodPolicy podPolicy = PodPolicy.defaults();
    private int retryBudget = 2;
    private io.openavathar.license.LicenseClient license =
        io.openavathar.license.LicenseClient.unlimited();
    private boolean resumeOnStart = true;

    /** Jobs in flight when working the queue: -1 not working it, 0 the default from the pods. */
    private int workQueue = -1;

    private Duration closeTrackTimeout = Duration.ofSeconds(10);
    private Duration cancelTimeout = Duration.ofSeconds(20);
    private double dailySpendCapUsd;

    private Builder() {}

    private Path videoDirectory() {
      if (outputDirectory != null) {
        return outputDirectory;
      }
      return dataDirectory != null
          ? dataDirectory.resolve("videos")
          : Path.of(System.getProperty("java.io.tmpdir"), "openavathar-videos");
    }

    /**
     * How pods are started, awaited and stopped: auto-start, the spec of new pods, maxPods, ready
     * timeout, idle stop. Default {@link PodPolicy#defaults()}. Only matters for providers that
     * manage pods (RunPod).
     *
     * @param podPolicy the policy
     * @return this builder
     */
    public Builder podPolicy(PodPolicy podPolicy) {
      this.podPolicy = Objects.requireNonNull(podPolicy, "podPolicy");
      return this;
    }

    /**
     * Where jobs run. Required (or {@link #comfyUrls}).
     *
     * @param podProvider the provider
     * @return this builder
     */
    public Builder podProvider(PodProvider podProvider) {
      this.podProvider = Objects.requireNonNull(podProvider, "podProvider");
      return this;
    }

    /**
     * Runs jobs on these ComfyUI servers of your own: shorthand for {@code
     * podProvider(StaticPodProvider.of(urls))}.
     *
     * @param urls the servers' base URLs, for example {@code http://127.0.0.1:8188}
     * @return this builder
     */
    public Builder comfyUrls(URI... urls) {
      return podProvider(StaticPodProvider.of(urls));
    }

    /**
     * Runs jobs on these ComfyUI servers of your own.
     *
     * @param urls the servers' base URLs, at least one
     * @return this builder
     */
    public Builder comfyUrls(List<URI> urls) {
      return podProvider(StaticPodProvider.of(urls));
    }

    /**
     * Where the studio keeps its state ({@code studio.db}: jobs, videos, pods it started) and, by
     * default, its videos. Two processes may share one.
     *
     * <p>Crash recovery: with a data directory, jobs survive the process. The next studio built on
     * the same directory resumes the jobs that were running (their prompts are looked up on
     * ComfyUI, not submitted twice), confirms videos the license server has not acknowledged, and
     * still knows (and stops when idle) the pods it started.
     *
     * <p>Default: none. Without a data directory or a {@link #store}, the studio keeps its jobs in
     * memory and writes nothing to disk but the videos: nothing survives a crash or {@link
     * AvatarStudio#close()}, and a pod started by a crashed process is forgotten (stop it in
     * RunPod's console or with {@code openavathar pods stop ID}). The CLI passes {@code
     * ~/.openavathar}.
     *
     * @param dataDirectory the directory, created if missing
     * @return this builder
     */
    public Builder dataDirectory(Path dataDirectory) {
      this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
      return this;
    }

    /**
     * A store of your own (a shared database, or {@link StudioStore#inMemory()}); you close it.
     * Wins over {@link #dataDirectory}. Crash recovery is what that store keeps: a durable one
     * resumes jobs as a data directory does, an in-memory one keeps nothing.
     *
     * @param store the store; the studio does not close it
     * @return this builder
     */
    public Builder store(StudioStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Keeps the studio's state in the database this JDBC URL names instead of the data directory's
     * {@code studio.db}; the studio opens the store and closes it with itself. A PostgreSQL URL
     * ({@code jdbc:postgresql://host:5432/database?user=name}, the password from the environment
     * variable {@code OPENAVATHAR_STORE_PASSWORD} or the URL) lets studios in several processes
     * share one job queue and one set of pods; see {@link StudioStore#connect(String)} for the URLs
     * accepted and the libraries PostgreSQL needs. The {@link #dataDirectory} still holds the
     * videos unless {@link #outputDirectory} is set. Not together with {@link #store}.
     *
     * @param jdbcUrl a {@code jdbc:postgresql:} or {@code jdbc:sqlite:} URL; a password in it is
     *     never logged
     * @return this builder
     */
    public Builder storeUrl(String jdbcUrl) {
      this.storeUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      return this;
    }

    /**
     * Where videos are written unless a request names a file. Default {@code
     * <dataDirectory>/videos}, or without a data directory {@code openavathar-videos} in the
     * system's temporary directory ({@code java.io.tmpdir}).
     *
     * @param outputDirectory the directory, created if missing
     * @return this builder
     */
    public Builder outputDirectory(Path outputDirectory) {
      this.outputDirectory = Objects.requireNonNull(outputDirectory, "outputDirectory");
      return this;
    }

    /**
     * The workflow to run. Default {@link InfiniteTalkWorkflow#template()}.
     *
     * @param workflow the workflow template
     * @return this builder
     */
    public Builder workflow(WorkflowTemplate workflow) {
      this.workflow = Objects.requireNonNull(workflow, "workflow");
      return this;
    }

    /**
     * Input checks and their size limits. Default {@link MediaProbe#create()} (50 MB image, 100 MB
     * audio).
     *
     * @param mediaProbe the probe
     * @return this builder
     */
    public Builder mediaProbe(MediaProbe mediaProbe) {
      this.mediaProbe = Objects.requireNonNull(mediaProbe, "mediaProbe");
      return this;
    }

    /**
     * The most frames a job may generate unless its request says otherwise; longer audio is
     * refused. Default 1000 (40 s at 25 fps). InfiniteTalk keeps every frame in memory: long videos
     * need a lot of GPU and system RAM.
     *
     * @param maxFrames the frame cap, 1 to 10000
     * @return this builder
     * @throws IllegalArgumentException if {@code maxFrames} is out of range
     */
    public Builder maxFrames(int maxFrames) {
      if (maxFrames < 1 || maxFrames > GenerationRequest.MAX_FRAMES_LIMIT) {
        throw new IllegalArgumentException(
            "maxFrames must be between 1 and "
                + GenerationRequest.MAX_FRAMES_LIMIT
                + ", was "
                + maxFrames);
      }
      this.maxFrames = maxFrames;
      return this;
    }

    /**
     * The OkHttp client to derive the studio's from (shares its connection pool and dispatcher).
     *
     * @param httpClient the client to derive from; the studio does not shut it down
     * @return this builder
     */
    public Builder httpClient(OkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * The clock for timestamps and file names. Default the system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * A listener added to every job. Default {@link JobListener#NONE}.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(JobListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Retries and read timeout of the studio's ComfyUI calls (uploads, queue, history, downloads).
     * Default {@link RetryOptions#defaults()}: 4 attempts backing off from 500 ms to 8 s, a 60 s
     * read timeout. Pass the same value to {@code RunPodPodProvider.builder().retryOptions(...)}
     * and {@code HttpLicenseClient.builder().retryOptions(...)} for one policy everywhere.
     *
     * @param retryOptions the retry options
     * @return this builder
     */
    public Builder retryOptions(RetryOptions retryOptions) {
      this.retryOptions = Objects.requireNonNull(retryOptions, "retryOptions");
      return this;
    }

    /**
     * Polling used when ComfyUI's WebSocket drops. Default {@link PromptTracker.Options#DEFAULTS}.
     *
     * @param trackerOptions the polling timings
     * @return this builder
     */
    public Builder trackerOptions(PromptTracker.Options trackerOptions) {
      this.trackerOptions = Objects.requireNonNull(trackerOptions, "trackerOptions");
      return this;
    }

    /**
     * The license and quota client: checked before a job is accepted (counting jobs in flight),
     * tracked once when a job completes (a failed generation does not use up the free video).
     * Default {@link io.openavathar.license.LicenseClient#unlimited()} (self-hosted: no limit).
     *
     * @param license the license client
     * @return this builder
     */
    public Builder licenseClient(io.openavathar.license.LicenseClient license) {
      this.license = Objects.requireNonNull(license, "license");
      return this;
    }

    /**
     * How many times a job moves to another pod when its pod dies mid-job. Default 2.
     *
     * @param retryBudget moves per job, 0 or more
     * @return this builder
     * @throws IllegalArgumentException if {@code retryBudget} is negative
     */
    public Builder retryBudget(int retryBudget) {
      if (retryBudget < 0) {
        throw new IllegalArgumentException("retryBudget must be 0 or more, was " + retryBudget);
      }
      this.retryBudget = retryBudget;
      return this;
    }

    /**
     * Whether the studio resumes, when built, the unfinished jobs in its store that no other live
     * studio runs. Default true.
     *
     * @param resumeOnStart true to resume unfinished jobs when built
     * @return this builder
     */
    public Builder resumeOnStart(boolean resumeOnStart) {
      this.resumeOnStart = resumeOnStart;
      return this;
    }

    /**
     * Makes this studio a worker of its store's job queue: it takes unfinished jobs (queued with
     * {@link io.openavathar.job.Jobs#enqueue}, or left by a studio that stopped) as it has room,
     * oldest first, keeping at most {@code maxJobsInFlight} jobs of its own running at once (its
     * own {@code generate} calls count too). It looks when built, whenever one of its jobs ends,
     * and about once a second, until it is closed. Several studios on one store (processes,
     * machines on one PostgreSQL) share the queue this way: each job runs in exactly one of them,
     * and the jobs of a studio that died are taken over once its claims expire (about a minute).
     * Replaces {@link #resumeOnStart}, which would claim every unfinished job at once.
     *
     * @param maxJobsInFlight the most jobs of this studio running at once, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maxJobsInFlight} is below 1
     */
    public Builder workQueue(int maxJobsInFlight) {
      if (maxJobsInFlight < 1) {
        throw new IllegalArgumentException(
            "maxJobsInFlight must be at least 1, was " + maxJobsInFlight);
      }
      this.workQueue = maxJobsInFlight;
      return this;
    }

    /**
     * {@link #workQueue(int)} with a full load of the pods this studio may use: {@link
     * PodPolicy#maxJobsPerPod()} on each ComfyUI URL, or on each of the {@link PodPolicy#maxPods()}
     * pods it may start.
     *
     * @return this builder
     */
    public Builder workQueue() {
      this.workQueue = 0;
      return this;
    }

    /**
     * How long {@link AvatarStudio#close()} waits for the license server to confirm the videos it
     * was just told about (quota tracks in flight). Default 10 s. A process that exits right after
     * a video should not cut that answer off: the track would stay pending and be sent again, and a
     * server without idempotency (the original Worker) would count the video twice. Zero does not
     * wait; unanswered tracks always stay pending for the next studio.
     *
     * @param closeTrackTimeout the longest wait, zero or more
     * @return this builder
     * @throws IllegalArgumentException if {@code closeTrackTimeout} is negative
     */
    public Builder closeTrackTimeout(Duration closeTrackTimeout) {
      Objects.requireNonNull(closeTrackTimeout, "closeTrackTimeout");
      if (closeTrackTimeout.isNegative()) {
        throw new IllegalArgumentException(
            "closeTrackTimeout must not be negative, was " + closeTrackTimeout);
      }
      this.closeTrackTimeout = closeTrackTimeout;
      return this;
    }

    /**
     * How long a cancel waits for ComfyUI to confirm that the job's prompt stopped (removed from
     * the queue, or interrupted: the server stops a running prompt only after the node or sampler
     * step it is in) before its {@link GenerationJob#cancellation()} says {@link
     * CancelOutcome.Kind#UNCONFIRMED}. Default 20 s. {@link AvatarStudio#close()} waits for cancels
     * in flight up to this bound too, so that closing right after a cancel does not cut its
     * requests off (a prompt left running keeps a rented GPU busy and billing). This is a bound of
     * its own, not {@link #closeTrackTimeout}: an unanswered quota track is sent again by the next
     * studio, an unsent cancel is lost for good.
     *
     * @param cancelTimeout the longest wait, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code cancelTimeout} is not positive
     */
    public Builder cancelTimeout(Duration cancelTimeout) {
      Objects.requireNonNull(cancelTimeout, "cancelTimeout");
      if (cancelTimeout.isNegative() || cancelTimeout.isZero()) {
        throw new IllegalArgumentException("cancelTimeout must be positive, was " + cancelTimeout);
      }
      this.cancelTimeout = cancelTimeout;
      return this;
    }

    /**
     * The most this studio may spend per UTC day, in USD: a job whose {@link CostEstimate} would
     * take the day's recorded spend (what its videos and the boots of pods it started cost) past
     * the cap fails with {@link SpendLimitException} before any pod is started or file uploaded.
     * Default: no cap.
     *
     * @param usd the cap in USD per UTC day, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code usd} is not a positive number
     */
    public Builder dailySpendCapUsd(double usd) {
      if (!(usd > 0) || Double.isInfinite(usd)) {
        throw new IllegalArgumentException("dailySpendCapUsd must be positive, was " + usd);
      }
      this.dailySpendCapUsd = usd;
      return this;
    }

    /**
     * Builds the studio: opens its store, and (unless told not to) resumes the unfinished jobs in
     * it. Close the studio when done.
     *
     * @return the studio
     * @throws IllegalArgumentException if no pod provider was set
     */
    public AvatarStudio build() {
      return new AvatarStudio(this);
    }
  }
}
