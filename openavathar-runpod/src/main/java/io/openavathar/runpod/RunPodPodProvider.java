package io.openavathar.runpod;

import io.openavathar.InvalidInputException;
import io.openavathar.NoGpuAvailableException;
import io.openavathar.OpenAvatharException;
import io.openavathar.PodProvisioningException;
import io.openavathar.RetryOptions;
import io.openavathar.Setting;
import io.openavathar.internal.Retries;
import io.openavathar.internal.Schedulers;
import io.openavathar.pod.CloudType;
import io.openavathar.pod.GpuOffer;
import io.openavathar.pod.GpuSelection;
import io.openavathar.pod.GpuType;
import io.openavathar.pod.NetworkVolume;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodLogListener;
import io.openavathar.pod.PodLogStream;
import io.openavathar.pod.PodProvider;
import io.openavathar.pod.PodSpec;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rents GPU pods on the user's RunPod account through RunPod's REST API v2 ({@code
 * https://api.runpod.io/v2}).
 *
 * <pre>{@code
 * RunPodPodProvider runpod = RunPodPodProvider.builder().apiKey(System.getenv("RUNPOD_API_KEY")).build();
 * Pod pod = runpod.deploy(PodSpec.builder().gpuTypes("NVIDIA GeForce RTX 4090", "NVIDIA RTX A6000").build()).join();
 * }</pre>
 *
 * <p>Reads and lifecycle actions are retried on transient failures (connection errors, 408, 429,
 * 5xx) with exponential backoff and jitter, honouring {@code Retry-After}. {@link #deploy} tries
 * the GPU types that qualify in the live catalog (or the spec's named ones), cloud by cloud, and
 * never creates a pod twice: after a lost answer it looks the pod up by its unique name before
 * trying again. Pods this provider creates are marked as managed (a name starting with {@link
 * Builder#namePrefix} and the environment variable {@code OPENAVATHAR_MANAGED=1}, since REST v2
 * pods have no tags).
 *
 * <p>Thread-safe; no method blocks. Futures complete on OkHttp or scheduler threads and fail with
 * {@link io.openavathar.OpenAvatharException} subclasses: {@link
 * io.openavathar.PodProvisioningException} for refusals (bad key, no balance, no capacity, unknown
 * pod) and {@link io.openavathar.RemoteUnavailableException} when RunPod stays unreachable. The API
 * key never appears in messages or logs. {@link #close()} stops log streams, fails calls still
 * running, and shuts down the scheduler and HTTP client if the provider made them.
 */
public final class RunPodPodProvider implements PodProvider, AutoCloseable {
  /** The API key's environment variable. */
  public static final String API_KEY_ENV = "RUNPOD_API_KEY";

  /** RunPod's REST API v2. */
  public static final URI DEFAULT_API_URL = URI.create("https://api.runpod.io/v2");

  /** RunPod's HTTP proxy for pod ports. */
  public static final String DEFAULT_PROXY_URL_PATTERN = ProxyUrls.DEFAULT;

  /** The default prefix of names of pods this SDK creates. */
  public static final String DEFAULT_NAME_PREFIX = "openavathar-";

  /**
   * How long a log stream may stay silent before it is reconnected (resuming after the last line).
   */
  static final Duration LOG_IDLE_TIMEOUT = Duration.ofMinutes(5);

  private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
  private static final AtomicInteger SCHEDULER_COUNT = new AtomicInteger();
  private static final Logger LOG = LoggerFactory.getLogger(RunPodPodProvider.class);

  private final ApiKey apiKey;
  private final HttpUrl apiUrl;
  private final String namePrefix;
  private final boolean ownsScheduler;
  private final boolean ownsHttp;
  private final RunPodHttp h;
  private final OkHttpClient sseClient;
  private final PodJson json;
  private final PodActions actions;
  private final PodDeployer deployer;
  private final Set<PodLogStream> streams = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  private RunPodPodProvider(Builder b) {
    this.apiKey = b.resolveKey();
    this.apiUrl = RunPodHttp.root(b.apiUrl);
    this.namePrefix = b.namePrefix;
    ProxyUrls proxy = ProxyUrls.of(b.proxyUrlPattern);
    this.ownsHttp = b.http == null;
    RetryOptions options = b.retry.build();
    Duration readTimeout = options.readTimeout().orElse(DEFAULT_READ_TIMEOUT);
    OkHttpClient http =
        (b.http == null ? new OkHttpClient() : b.http)
            .newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .readTimeout(readTimeout)
            .writeTimeout(readTimeout)
            .callTimeout(Duration.ZERO)
            .build();
    this.sseClient = http.newBuilder().readTimeout(LOG_IDLE_TIMEOUT).build();
    this.ownsScheduler = b.scheduler == null;
    ScheduledExecutorService scheduler =
        b.scheduler == null
            ? Schedulers.daemon("openavathar-runpod-scheduler-" + SCHEDULER_COUNT.incrementAndGet())
            : b.scheduler;
    Retries retries = Retries.of(options);
    this.h = new RunPodHttp(http, apiUrl, apiKey, b.clock, retries, scheduler);
    this.json = new PodJson(namePrefix, proxy);
    this.actions = new PodActions(h, json);
    this.deployer = new PodDeployer(h, json);
  }

  /**
   * A builder; the API key comes from {@link Builder#apiKey} or else {@code RUNPOD_API_KEY}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns {@code "runpod"}. */
  @Override
  public String name() {
    return "runpod";
  }

  /** Returns true: this provider deploys, starts, stops and terminates pods. */
  @Override
  public boolean canManagePods() {
    return true;
  }

  /** The account's pods ({@code GET /pods}), without terminated pods and cluster members. */
  @Override
  public CompletableFuture<List<Pod>> listPods() {
    String op = "listing pods";
    return h.retried(
        op,
        until -> h.exchange(op, h.get(h.url("pods")), until, r -> json.pods(h.jsonObject(op, r))));
  }

  /** One pod ({@code GET /pods/{id}}), or empty if RunPod does not know it (404). */
  @Override
  public CompletableFuture<Optional<Pod>> getPod(String podId) {
    return RunPodHttp.unwrapped(checked(podId).thenCompose(actions::get));
  }

  /**
   * Creates a pod from {@code spec} ({@code POST /pods}), trying {@link #offers(PodSpec)} in order:
   * the GPU types chosen from the live catalog by need, or the spec's named ones (tried without
   * prices when the catalog cannot be read); the returned pod says which GPU type and cloud it got.
   * The name is the spec's, or {@link Builder#namePrefix} plus a random id. Fails with {@link
   * NoGpuAvailableException} when nothing qualifies or no candidate has capacity (each tried one is
   * listed with its reason), and with {@link io.openavathar.PodProvisioningException} when the
   * account has no balance or RunPod refuses the request; never creates two pods.
   */
  @Override
  public CompletableFuture<Pod> deploy(PodSpec spec) {
    return deploy(spec, name -> {});
  }

  /** {@inheritDoc} {@code beforeCreate} hears the spec's name, or the generated one. */
  @Override
  public CompletableFuture<Pod> deploy(
      PodSpec spec, java.util.function.Consumer<String> beforeCreate) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(beforeCreate, "beforeCreate");
    String name =
        spec.name()
            .orElseGet(
                () -> namePrefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    try {
      beforeCreate.accept(name);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return h.track(
        "creating a pod",
        RunPodHttp.unwrapped(
            selection(spec)
                .thenCompose(
                    chosen -> deployer.deploy(spec, chosen, name, spec.name().isPresent()))));
  }

  /**
   * Starts a stopped pod ({@code POST /pods/{id}/action} start); fails if its status does not allow
   * it (409).
   */
  @Override
  public CompletableFuture<Pod> start(String podId) {
    return RunPodHttp.unwrapped(checked(podId).thenCompose(id -> actions.act(id, "start")));
  }

  /**
   * Stops a pod ({@code POST /pods/{id}/action} stop): the GPU is released, the volume kept and
   * billed.
   */
  @Override
  public CompletableFuture<Pod> stop(String podId) {
    return RunPodHttp.unwrapped(checked(podId).thenCompose(id -> actions.act(id, "stop")));
  }

  /**
   * Terminates a pod ({@code DELETE /pods/{id}}); a pod that is already gone (404) counts as
   * terminated.
   */
  @Override
  public CompletableFuture<Void> terminate(String podId) {
    return RunPodHttp.unwrapped(checked(podId).thenCompose(actions::terminate));
  }

  /**
   * GPU types with per-GPU hourly prices in each cloud and pod availability in the secure cloud
   * ({@code GET /catalog/gpus}, RunPod's default cloud); {@link #gpuTypes(CloudType)} asks for
   * another cloud's.
   */
  @Override
  public CompletableFuture<List<GpuType>> gpuTypes() {
    return gpuTypes(CloudType.SECURE);
  }

  /**
   * GPU types with per-GPU hourly prices in each cloud and the availability of one GPU in {@code
   * cloud}.
   */
  @Override
  public CompletableFuture<List<GpuType>> gpuTypes(CloudType cloud) {
    return catalog(cloud, 1);
  }

  /**
   * The GPU types and clouds {@link #deploy} tries for {@code spec}, in order, from one catalog
   * read per cloud of the spec (availability for the spec's GPU count); see {@link GpuSelection}.
   * When the catalog cannot be read, a spec's named GPU types come without prices and a spec that
   * chooses by need fails with {@link PodProvisioningException}.
   */
  @Override
  public CompletableFuture<List<GpuOffer>> offers(PodSpec spec) {
    Objects.requireNonNull(spec, "spec");
    return RunPodHttp.unwrapped(selection(spec).thenApply(GpuSelection::offers));
  }

  /**
   * The selection for {@code spec} from the catalog of each of its clouds; when the catalog cannot
   * be read, the named GPU types without prices, or for a spec that chooses by need a failure that
   * says how to deploy without it.
   */
  private CompletableFuture<GpuSelection> selection(PodSpec spec) {
    Map<CloudType, List<GpuType>> catalog = new ConcurrentHashMap<>();
    CompletableFuture<?>[] reads =
        spec.clouds().stream()
            .map(
                cloud ->
                    catalog(cloud, spec.gpuCount()).thenAccept(types -> catalog.put(cloud, types)))
            .toArray(CompletableFuture<?>[]::new);
    return CompletableFuture.allOf(reads)
        .handle(
            (done, failure) -> {
              if (failure == null) {
                return GpuSelection.of(spec, catalog);
              }
              Throwable cause = Retries.unwrap(failure);
              if (!spec.choosesGpusByNeed()) {
                LOG.debug(
                    "Could not read RunPod's GPU catalog; trying the named GPU types without prices: {}",
                    cause.getMessage());
                return GpuSelection.withoutCatalog(spec);
              }
              throw new PodProvisioningException(
                  "Could not read RunPod's GPU catalog to choose GPUs by need ("
                      + cause.getMessage()
                      + "). Retry later, or name the GPU types with ",
                  Setting.GPU,
                  ", which deploys without the catalog.",
                  cause instanceof OpenAvatharException oe && oe.isRetryable(),
                  true);
            });
  }

  private CompletableFuture<List<GpuType>> catalog(CloudType cloud, int gpuCount) {
    if (cloud == CloudType.UNKNOWN) {
      throw new IllegalArgumentException("cloud must be COMMUNITY or SECURE");
    }
    String op = "listing GPU types";
    HttpUrl url =
        h.url("catalog", "gpus")
            .newBuilder()
            .addQueryParameter("include", "AVAILABILITY")
            .addQueryParameter("product", "POD")
            .addQueryParameter("cloud", cloud.name())
            .addQueryParameter("count", Integer.toString(gpuCount))
            .build();
    return h.retried(
        op, until -> h.exchange(op, h.get(url), until, r -> PodJson.gpuTypes(h.jsonObject(op, r))));
  }

  /** The account's network volumes ({@code GET /network-volumes}). */
  @Override
  public CompletableFuture<List<NetworkVolume>> networkVolumes() {
    String op = "listing network volumes";
    return h.retried(
        op,
        until ->
            h.exchange(
                op,
                h.get(h.url("network-volumes")),
                until,
                r -> PodJson.networkVolumes(h.jsonObject(op, r))));
  }

  /**
   * Streams a pod's log ({@code GET /pods/{id}/logs}, Server-Sent Events), starting with RunPod's
   * recent backfill. After a drop it reconnects with backoff and resumes after the last line seen
   * ({@code Last-Event-ID}). With {@code follow} false it ends when RunPod ends the stream. An
   * unknown pod ends it with {@code onClosed} and a {@link
   * io.openavathar.PodProvisioningException}. The listener is called one call at a time on OkHttp
   * or scheduler threads.
   */
  @Override
  public PodLogStream streamLogs(String podId, boolean follow, PodLogListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (podId == null || podId.isBlank()) {
      listener.onClosed(
          new InvalidInputException("The pod id must not be blank; pass the id of a listed pod."));
      return () -> {};
    }
    if (closed.get()) {
      listener.onClosed(
          new OpenAvatharException("The RunPod provider was closed; use an open one."));
      return () -> {};
    }
    PodLogStream stream = PodLogSse.open(h, sseClient, podId, follow, listener);
    PodLogStream tracked =
        new PodLogStream() {
          @Override
          public void close() {
            streams.remove(this);
            stream.close();
          }
        };
    streams.add(tracked);
    return tracked;
  }

  /**
   * Closes log streams, fails calls still running, and shuts down the scheduler and HTTP client if
   * this provider made them (a caller's are left running). Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (PodLogStream s : List.copyOf(streams)) {
      s.close();
    }
    h.close();
    if (ownsScheduler) {
      h.scheduler().shutdownNow();
    }
    if (ownsHttp) {
      h.http().dispatcher().executorService().shutdown();
      h.http().connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "RunPodPodProvider{apiUrl=" + RunPodHttp.display(apiUrl) + ", apiKey=" + apiKey + "}";
  }

  private static CompletableFuture<String> checked(String podId) {
    if (podId == null || podId.isBlank()) {
      return CompletableFuture.failedFuture(
          new InvalidInputException("The pod id must not be blank; pass the id of a listed pod."));
    }
    return CompletableFuture.completedFuture(podId);
  }

  /**
   * Builds a {@link RunPodPodProvider}. Every setting has a default except the API key, which comes
   * from {@link #apiKey} or the environment variable {@code RUNPOD_API_KEY}.
   */
  public static final class Builder {
    ApiKey apiKey;
    URI apiUrl = DEFAULT_API_URL;
    String proxyUrlPattern = DEFAULT_PROXY_URL_PATTERN;
    OkHttpClient http;
    ScheduledExecutorService scheduler;
    Clock clock = Clock.systemUTC();
    final RetryOptions.Builder retry = RetryOptions.builder();
    String namePrefix = DEFAULT_NAME_PREFIX;
    UnaryOperator<String> env = System::getenv;

    private Builder() {}

    /**
     * The RunPod API key (console: Settings, API Keys). Default: the environment variable {@code
     * RUNPOD_API_KEY}.
     *
     * @param apiKey the key as RunPod's console shows it
     * @return this builder
     */
    public Builder apiKey(String apiKey) {
      return apiKey(ApiKey.of(apiKey));
    }

    /**
     * The RunPod API key. Default: the environment variable {@code RUNPOD_API_KEY}.
     *
     * @param apiKey the key
     * @return this builder
     */
    public Builder apiKey(ApiKey apiKey) {
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
      return this;
    }

    /**
     * Reads the API key from {@code RUNPOD_API_KEY} now; fails with {@link
     * IllegalArgumentException} if it is not set. (Without this call or {@link #apiKey}, {@link
     * #build()} reads it.)
     *
     * @return this builder
     */
    public Builder fromEnv() {
      this.apiKey = envKey();
      return this;
    }

    /**
     * The REST API v2 base URL, for a simulator or another region. Default {@code
     * https://api.runpod.io/v2}.
     *
     * @param apiUrl an http(s) URL without query
     * @return this builder
     */
    public Builder apiUrl(URI apiUrl) {
      RunPodHttp.root(Objects.requireNonNull(apiUrl, "apiUrl"));
      this.apiUrl = apiUrl;
      return this;
    }

    /**
     * The URL of a pod's HTTP port, with placeholders {@code {podId}} and {@code {port}}; it may
     * carry a path, for example {@code http://127.0.0.1:9999/proxy/{podId}-{port}}. Default {@code
     * https://{podId}-{port}.proxy.runpod.net}.
     *
     * @param pattern the URL pattern with {@code {podId}} and {@code {port}}
     * @return this builder
     */
    public Builder proxyUrlPattern(String pattern) {
      ProxyUrls.of(pattern);
      this.proxyUrlPattern = pattern;
      return this;
    }

    /**
     * The OkHttp client to derive ours from with {@code newBuilder()} (shares its pools and
     * interceptors). Ours sets its own timeouts: connect 10 s, read and write {@link #readTimeout}.
     * Default: a new one, shut down by close.
     *
     * @param http the client to derive from; left running by {@link RunPodPodProvider#close()}
     * @return this builder
     */
    public Builder httpClient(OkHttpClient http) {
      this.http = Objects.requireNonNull(http, "http");
      return this;
    }

    /**
     * The scheduler for retry delays and log reconnects. Default: one daemon thread owned by the
     * provider.
     *
     * @param scheduler the scheduler; left running by {@link RunPodPodProvider#close()}
     * @return this builder
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The clock (reads HTTP-date {@code Retry-After} values). Default: the system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Retries and read timeout at once (the same value {@code
     * AvatarStudio.builder().retryOptions(...)} takes): {@link RetryOptions#defaults()} unless set;
     * the read timeout, if the options carry none, stays as set here (30 s).
     *
     * @param options attempts, backoffs and read timeout
     * @return this builder
     */
    public Builder retryOptions(RetryOptions options) {
      retry.apply(options);
      return this;
    }

    /**
     * Attempts per call (and creates per GPU candidate), the first included. Default 4.
     *
     * @param maxAttempts at least 1
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      retry.maxAttempts(maxAttempts);
      return this;
    }

    /**
     * First retry delay, doubled per attempt up to {@link #maxBackoff}, with up to 25% jitter.
     * Default 500 ms.
     *
     * @param initialBackoff not negative
     * @return this builder
     */
    public Builder initialBackoff(Duration initialBackoff) {
      retry.initialBackoff(initialBackoff);
      return this;
    }

    /**
     * Longest retry delay. Default 8 s. RunPod's {@code Retry-After} is honoured up to four times
     * this value.
     *
     * @param maxBackoff not negative
     * @return this builder
     */
    public Builder maxBackoff(Duration maxBackoff) {
      retry.maxBackoff(maxBackoff);
      return this;
    }

    /**
     * How long a call waits for RunPod's answer before it counts as lost. Default 30 s.
     *
     * @param readTimeout positive
     * @return this builder
     */
    public Builder readTimeout(Duration readTimeout) {
      retry.readTimeout(readTimeout);
      return this;
    }

    /**
     * The start of the names of pods this SDK creates, which marks them as managed. Default {@code
     * openavathar-}.
     *
     * @param namePrefix not blank
     * @return this builder
     */
    public Builder namePrefix(String namePrefix) {
      if (namePrefix == null || namePrefix.isBlank()) {
        throw new IllegalArgumentException(
            "namePrefix must not be blank, was '" + namePrefix + "'");
      }
      this.namePrefix = namePrefix;
      return this;
    }

    /** Where environment variables come from; for tests. */
    Builder env(UnaryOperator<String> env) {
      this.env = Objects.requireNonNull(env, "env");
      return this;
    }

    /**
     * The provider; fails with {@link IllegalArgumentException} if no API key was given or set in
     * the environment.
     *
     * @return the provider, which the caller closes
     */
    public RunPodPodProvider build() {
      return new RunPodPodProvider(this);
    }

    ApiKey resolveKey() {
      return apiKey != null ? apiKey : envKey();
    }

    private ApiKey envKey() {
      String value = env.apply(API_KEY_ENV);
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(
            "No RunPod API key: set the environment variable "
                + API_KEY_ENV
                + " or call apiKey(...) on the builder.");
      }
      return ApiKey.of(value);
    }
  }
}
