package io.openavathar.testkit.runpod;

import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.internal.SharedComfyUi;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RunPod's REST API v2 and its HTTP proxy on loopback, for tests: pods go PROVISIONING, STARTING,
 * RUNNING (runtime up), and each running pod serves a real {@link ComfyUiSimulator} through {@link
 * #proxyUrlPattern()} once its ComfyUI is ready (502 until then). Lifecycle actions, validation
 * (422), the catalog, network volumes and pod logs (Server-Sent Events) follow the v2 OpenAPI spec.
 * Faults are scripted per test; requests are recorded.
 *
 * <pre>{@code
 * try (RunPodSimulator runpod = RunPodSimulator.builder().apiKey("test-key").manualTime().start()) {
 *     URI api = runpod.apiUrl();                       // http://127.0.0.1:41234/v2
 *     String proxy = runpod.proxyUrlPattern();         // http://127.0.0.1:41234/proxy/{podId}-{port}
 *     runpod.noCapacityFor("NVIDIA GeForce RTX 4090"); // the next create for it gets 400
 *     // ... point your client at api and proxy, create a pod ...
 *     runpod.advance(Duration.ofSeconds(30));          // provisioning, starting, ComfyUI ready
 * }
 * }</pre>
 *
 * <p>Time: by default pods move on the wall clock, driven by a daemon thread. With {@link
 * RunPodSimulatorBuilder#manualTime()} time stands still until the test calls {@link
 * #advance(Duration)} or {@link #tick()}, so lifecycle tests are deterministic.
 *
 * <p>Threads: Jetty's pool answers HTTP, WebSocket and log streams; all methods are thread-safe.
 * {@link #close()} stops the server, every pod's ComfyUI and the clock.
 */
public final class RunPodSimulator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RunPodSimulator.class);

  private final RunPodSettings settings;
  private final Timeline timeline;
  private final ApiFaults faults = new ApiFaults();
  private final CallLog calls = new CallLog();
  private final Pods pods;
  private final Server server;
  private final ServerConnector connector;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RunPodSimulator(RunPodSettings settings) throws Exception {
    this.settings = settings;
    this.timeline =
        settings.manualStart() != null
            ? Timeline.manual(settings.manualStart())
            : Timeline.realTime();
    QueuedThreadPool pool = new QueuedThreadPool(200, 4);
    pool.setName("runpod-simulator-http");
    pool.setDaemon(true);
    server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    server.addConnector(connector);
    ServerWebSocketContainer webSockets = SharedComfyUi.configureWebSockets(server);
    pods =
        new Pods(
            settings,
            timeline,
            new SharedComfyUi.Host() {
              @Override
              public int port() {
                return connector.getLocalPort();
              }

              @Override
              public ServerWebSocketContainer webSockets() {
                return webSockets;
              }
            });
    server.setHandler(new RunPodHandler(settings, timeline, pods, faults, calls));
    try {
      server.start();
    } catch (Exception e) {
      timeline.close();
      throw e;
    }
    LOG.debug("RunPod simulator listening [port={}, manualTime={}]", port(), timeline.isManual());
  }

  /**
   * Returns a builder with the defaults: free port, any API key, short real-time delays, the
   * default catalog.
   *
   * @return a new builder; call {@link RunPodSimulatorBuilder#start()} to start the simulator
   */
  public static RunPodSimulatorBuilder builder() {
    return new RunPodSimulatorBuilder();
  }

  /**
   * Starts a simulator with the defaults of {@link #builder()}.
   *
   * @return the running simulator, listening on a free port of 127.0.0.1; close it when done
   */
  public static RunPodSimulator start() {
    return builder().start();
  }

  static RunPodSimulator start(RunPodSettings settings) {
    try {
      return new RunPodSimulator(settings);
    } catch (Exception e) {
      throw new IllegalStateException(
          "Could not start the RunPod simulator on port "
              + settings.port()
              + ": "
              + e.getMessage()
              + ". Choose another port, or 0 for a free one.",
          e);
    }
  }

  /**
   * The REST v2 base URL, without a trailing slash: {@code http://127.0.0.1:<port>/v2}.
   *
   * @return the API base URL
   */
  public URI apiUrl() {
    return URI.create("http://127.0.0.1:" + port() + "/v2");
  }

  /**
   * The proxy URL pattern to configure instead of {@code https://{podId}-{port}.proxy.runpod.net}:
   * {@code http://127.0.0.1:<port>/proxy/{podId}-{port}}. HTTP and WebSocket ({@code /ws}) work
   * below it.
   *
   * @return the pattern, with the placeholders {@code {podId}} and {@code {port}}
   */
  public String proxyUrlPattern() {
    return "http://127.0.0.1:" + port() + "/proxy/{podId}-{port}";
  }

  /**
   * {@link #proxyUrlPattern()} filled in: the base URL of a pod's port, for example its ComfyUI on
   * 8188.
   *
   * @param podId the pod's id
   * @param podPort the port inside the pod, for example 8188
   * @return the base URL of that port through the simulator's proxy
   */
  public URI proxyUrl(String podId, int podPort) {
    return URI.create(
        proxyUrlPattern().replace("{podId}", podId).replace("{port}", Integer.toString(podPort)));
  }

  /**
   * The port the simulator listens on.
   *
   * @return the bound port, never 0
   */
  public int port() {
    return connector.getLocalPort();
  }

  // ---- time
  // ------------------------------------------------------------------------------------------------

  /**
   * The simulator's current time (the manual clock, or the wall clock).
   *
   * @return the current time
   */
  public Instant now() {
    return timeline.now();
  }

  /**
   * Moves manual time forward, applying each pod transition at its due time, on this thread.
   *
   * @param duration how far to move; not negative
   * @throws IllegalStateException unless the simulator was built with {@code manualTime()}
   */
  public void advance(Duration duration) {
    if (Objects.requireNonNull(duration, "duration").isNegative()) {
      throw new IllegalArgumentException("duration must not be negative, was " + duration);
    }
    timeline.advance(duration);
  }

  /**
   * Jumps manual time to the next scheduled pod transition and applies it (and any due at the same
   * instant).
   *
   * @return false when no transition is scheduled
   * @throws IllegalStateException unless the simulator was built with {@code manualTime()}
   */
  public boolean tick() {
    return timeline.tick();
  }

  // ---- scripted faults
  // -------------------------------------------------------------------------------------

  /**
   * The next create for this GPU type, in any cloud, gets 400 with RunPod's capacity message.
   *
   * @param gpuTypeId the GPU type id, for example {@code "NVIDIA GeForce RTX 4090"}
   */
  public void noCapacityFor(String gpuTypeId) {
    faults.noCapacity(
        Objects.requireNonNull(gpuTypeId, "gpuTypeId"), null, CreatePodRoute.NO_CAPACITY);
  }

  /**
   * The next create for this GPU type in {@code cloud} ({@code SECURE} or {@code COMMUNITY}) gets
   * 400.
   *
   * @param gpuTypeId the GPU type id, for example {@code "NVIDIA GeForce RTX 4090"}
   * @param cloud {@code SECURE} or {@code COMMUNITY}
   */
  public void noCapacityFor(String gpuTypeId, String cloud) {
    noCapacityFor(gpuTypeId, cloud, CreatePodRoute.NO_CAPACITY);
  }

  /**
   * The next create for this GPU type in {@code cloud} ({@code SECURE} or {@code COMMUNITY}) gets
   * 400 with {@code detail} as the problem's detail and no {@code errors}: RunPod words "no
   * capacity" in several ways and documents no code for it, so clients must not depend on the
   * wording.
   *
   * @param gpuTypeId the GPU type id, for example {@code "NVIDIA GeForce RTX 4090"}
   * @param cloud {@code SECURE} or {@code COMMUNITY}
   * @param detail the problem's {@code detail} text
   */
  public void noCapacityFor(String gpuTypeId, String cloud, String detail) {
    String upper = Objects.requireNonNull(cloud, "cloud").toUpperCase(Locale.ROOT);
    if (!upper.equals("SECURE") && !upper.equals("COMMUNITY")) {
      throw new IllegalArgumentException("cloud must be SECURE or COMMUNITY, was " + cloud);
    }
    faults.noCapacity(
        Objects.requireNonNull(gpuTypeId, "gpuTypeId"),
        upper,
        Objects.requireNonNull(detail, "detail"));
  }

  /**
   * Sets a GPU type's stock in one cloud from now on: the catalog reports it and creates follow it
   * ({@code NONE} makes every create for it there fail with the capacity error).
   *
   * @param cloud {@code SECURE} or {@code COMMUNITY}
   * @param gpuTypeId the GPU type id, for example {@code "NVIDIA GeForce RTX 4090"}
   * @param level the stock level
   * @throws IllegalArgumentException if the catalog has no such GPU type
   */
  public void setAvailability(String gpuTypeId, String cloud, SimulatedGpuType.Availability level) {
    Objects.requireNonNull(gpuTypeId, "gpuTypeId");
    Objects.requireNonNull(level, "level");
    String upper = Objects.requireNonNull(cloud, "cloud").toUpperCase(Locale.ROOT);
    if (!upper.equals("SECURE") && !upper.equals("COMMUNITY")) {
      throw new IllegalArgumentException("cloud must be SECURE or COMMUNITY, was " + cloud);
    }
    List<SimulatedGpuType> catalog = settings.gpuTypes();
    synchronized (catalog) {
      for (int i = 0; i < catalog.size(); i++) {
        SimulatedGpuType type = catalog.get(i);
        if (type.id().equals(gpuTypeId)) {
          catalog.set(
              i,
              upper.equals("SECURE")
                  ? type.withAvailability(level, type.communityAvailability())
                  : type.withAvailability(type.secureAvailability(), level));
          return;
        }
      }
    }
    throw new IllegalArgumentException(
        "no GPU type '" + gpuTypeId + "' in the simulator's catalog");
  }

  /** The next API request gets 401 {@code invalid bearer token}, whatever key it carries. */
  public void rejectApiKey() {
    faults.rejectApiKey();
  }

  /** The next valid create gets 402 (insufficient balance); no pod is created. */
  public void noBalance() {
    faults.noBalance();
  }

  /**
   * The next {@code count} authenticated API requests get 429 with {@code Retry-After} in whole
   * seconds.
   *
   * @param count how many requests get 429
   * @param retryAfter the wait to advertise, rounded to whole seconds
   */
  public void rateLimitNext(int count, Duration retryAfter) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
    faults.rateLimitNext(count, Objects.requireNonNull(retryAfter, "retryAfter"));
  }

  /**
   * The next {@code count} API requests matching get {@code status} with a problem body, before
   * authentication and before anything happens (a failed create creates no pod).
   *
   * @param method an HTTP method, or {@code "*"} for any
   * @param pathPattern a path such as {@code "/v2/pods"}; a segment {@code *} or {@code {id}}
   *     matches any one segment, so {@code "/v2/pods/{id}/action"} matches every pod's action
   * @param status the HTTP status to answer with, for example 500
   * @param count how many matching requests to fail; later ones are served normally
   */
  public void failNext(String method, String pathPattern, int status, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be 400..599, was " + status);
    }
    faults.failNext(
        Objects.requireNonNull(method, "method"),
        Objects.requireNonNull(pathPattern, "pathPattern"),
        status,
        count);
  }

  /**
   * The next successful create creates its pod at once but answers 201 only after {@code delay}:
   * make it longer than the client's read timeout, and a client that retries blindly creates a
   * second pod.
   *
   * @param delay how long the answer is held back
   */
  public void createTimesOut(Duration delay) {
    faults.createTimesOut(
        new ApiFaults.CreateTimeout(Objects.requireNonNull(delay, "delay"), false));
  }

  /** The next successful create creates its pod, then drops the connection without answering. */
  public void createDropsConnection() {
    faults.createTimesOut(new ApiFaults.CreateTimeout(Duration.ZERO, true));
  }

  /**
   * Cuts a log stream abruptly right after the {@code events}-th next log event sent (counted over
   * all streams); with 0, the next stream is cut before its first event. The client may resume with
   * {@code Last-Event-ID}.
   *
   * @param events the number of further log events to send before the stream is cut
   */
  public void dropLogStreamAfter(int events) {
    if (events < 0) {
      throw new IllegalArgumentException("events must not be negative, was " + events);
    }
    faults.dropLogStreamAfter(events);
  }

  /**
   * Puts the pod in {@code ERROR} now: its ComfyUI stops, its runtime goes away, {@code start} is
   * legal.
   *
   * @param podId the pod's id
   */
  public void failPod(String podId) {
    if (!pods.fail(podId)) {
      throw unknownPod(podId);
    }
  }

  /**
   * Stops the pod's ComfyUI (the proxy answers 502) while the pod stays {@code RUNNING}; if it is
   * not up yet, it does not come up. A {@code restart} or {@code stop}/{@code start} brings back a
   * fresh one, without history.
   *
   * @param podId the pod's id
   */
  public void killComfy(String podId) {
    if (!pods.killComfy(podId)) {
      throw unknownPod(podId);
    }
  }

  // ---- inspection
  // ------------------------------------------------------------------------------------------

  /**
   * Every API request received so far ({@code /v2/...}), oldest first; proxy traffic is in {@link
   * #proxyRequests}.
   *
   * @return an immutable snapshot of the requests
   */
  public List<RecordedApiRequest> requests() {
    return calls.api();
  }

  /**
   * Returns the oldest API request not yet taken, waiting up to {@code timeout} for one.
   *
   * @param timeout how long to wait at most
   * @return the request
   * @throws IllegalStateException when no request arrives in time
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public RecordedApiRequest takeRequest(Duration timeout) throws InterruptedException {
    RecordedApiRequest request = calls.take(timeout);
    if (request == null) {
      throw new IllegalStateException(
          "No API request reached the RunPod simulator within " + timeout);
    }
    return request;
  }

  /**
   * Every request to the proxy path, with the status it got (502 before ComfyUI was ready).
   *
   * @return an immutable snapshot of the proxied requests, oldest first
   */
  public List<RecordedApiRequest> proxyRequests() {
    return calls.proxy();
  }

  /**
   * API calls per endpoint, keyed {@code "METHOD route"}, for example {@code "GET /v2/pods/{id}"};
   * every request counts, including those answered with an error.
   *
   * @return an immutable snapshot of the counts
   */
  public Map<String, Integer> callCounts() {
    return calls.counts();
  }

  /**
   * The number of calls of one endpoint, for example {@code calls("POST", "/v2/pods/{id}/action")}.
   *
   * @param method the HTTP method, for example {@code "POST"}
   * @param route the route with {@code {id}} for ids, as in {@link RecordedApiRequest#route()}
   * @return the number of calls, 0 if none
   */
  public int calls(String method, String route) {
    return calls.count(method.toUpperCase(Locale.ROOT) + " " + route);
  }

  /**
   * The number of {@code POST /v2/pods} requests received, successful or not.
   *
   * @return the number of create requests
   */
  public int createCalls() {
    return calls("POST", "/v2/pods");
  }

  /**
   * The number of pods created so far, including terminated ones.
   *
   * @return the number of pods created
   */
  public int podsCreated() {
    return pods.created();
  }

  /**
   * The pods that exist now (terminated ones are gone), in creation order.
   *
   * @return an immutable list of snapshots
   */
  public List<SimulatedPod> pods() {
    timeline.runDue();
    return pods.snapshots();
  }

  /**
   * The ids of the pods that would bill a GPU now: every existing pod that is not stopped ({@code
   * EXITED}). Tests assert at their end that this holds only the pods they meant to leave.
   *
   * @return the ids of the billing pods
   */
  public List<String> billingPods() {
    return pods().stream().filter(p -> !"EXITED".equals(p.status())).map(SimulatedPod::id).toList();
  }

  /**
   * One pod, if it exists.
   *
   * @param podId the pod's id
   * @return a snapshot of the pod, or empty if there is no such pod (or it was terminated)
   */
  public Optional<SimulatedPod> pod(String podId) {
    timeline.runDue();
    return pods.snapshot(podId);
  }

  /**
   * The ComfyUI simulator of the pod's current boot: present from the moment its container is up
   * (it answers through the proxy only after the ready delay) until it is stopped, killed, failed
   * or terminated.
   *
   * @param podId the pod's id
   * @return the pod's ComfyUI simulator, or empty while it has none
   */
  public Optional<ComfyUiSimulator> comfyOf(String podId) {
    timeline.runDue();
    return pods.comfyOf(podId);
  }

  /**
   * When the pod's ComfyUI last started answering through the proxy, on the simulator's clock.
   *
   * @param podId the pod's id
   * @return when it last became ready, or empty if it never did (or the pod is unknown)
   */
  public Optional<Instant> readyAt(String podId) {
    timeline.runDue();
    return pods.readyAt(podId);
  }

  /** Stops the server, every pod's ComfyUI, open log streams and the clock. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    faults.close();
    timeline.close();
    pods.close();
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("The RunPod simulator's HTTP server did not stop cleanly", e);
    }
  }

  @Override
  public String toString() {
    return "RunPodSimulator[" + apiUrl() + "]";
  }

  private IllegalArgumentException unknownPod(String podId) {
    return new IllegalArgumentException(
        "No pod "
            + podId
            + " in the RunPod simulator; pods: "
            + pods.snapshots().stream().map(SimulatedPod::id).toList());
  }

  /**
   * Runs a simulator until the process is killed and prints its API URL and proxy pattern. Options:
   * {@code --port N} (default 8089), {@code --host H}, {@code --api-key K} (default: any key),
   * {@code --provisioning-delay-ms N} (default 5000), {@code --starting-delay-ms N} (default
   * 10000), {@code --comfy-ready-delay-ms N} (default 15000), {@code --comfy-step-delay-ms N}
   * (default 2000).
   *
   * @param args the command line options
   * @throws InterruptedException if the main thread is interrupted
   */
  public static void main(String[] args) throws InterruptedException {
    RunPodSimulatorBuilder builder =
        builder()
            .port(8089)
            .provisioningDelay(Duration.ofSeconds(5))
            .startingDelay(Duration.ofSeconds(10))
            .comfyReadyDelay(Duration.ofSeconds(15))
            .comfyStepDelay(Duration.ofSeconds(2));
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--port" -> builder.port(Integer.parseInt(value));
        case "--host" -> builder.host(value);
        case "--api-key" -> builder.apiKey(value);
        case "--provisioning-delay-ms" ->
            builder.provisioningDelay(Duration.ofMillis(Long.parseLong(value)));
        case "--starting-delay-ms" ->
            builder.startingDelay(Duration.ofMillis(Long.parseLong(value)));
        case "--comfy-ready-delay-ms" ->
            builder.comfyReadyDelay(Duration.ofMillis(Long.parseLong(value)));
        case "--comfy-step-delay-ms" ->
            builder.comfyStepDelay(Duration.ofMillis(Long.parseLong(value)));
        default ->
            throw new IllegalArgumentException(
                "Unknown option "
                    + args[i]
                    + "; use --port, --host, "
                    + "--api-key, --provisioning-delay-ms, --starting-delay-ms, --comfy-ready-delay-ms or "
                    + "--comfy-step-delay-ms");
      }
    }
    RunPodSimulator simulator = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "runpod-simulator-shutdown"));
    System.out.println("RunPod API:   " + simulator.apiUrl());
    System.out.println("Proxy:        " + simulator.proxyUrlPattern());
    Thread.currentThread().join();
  }
}
