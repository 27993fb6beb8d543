package io.openavathar.studio;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenAvathar Studio: the consumer web app, a local web server on 127.0.0.1 that embeds the SDK
 * through its public API only.
 *
 * <pre>{@code
 * try (StudioServer studio = StudioServer.builder().dataDirectory(Path.of(home, ".openavathar")).start()) {
 *   System.out.println("Open " + studio.launchUrl());
 *   studio.awaitClose();
 * }
 * }</pre>
 *
 * <p>Security: it binds the loopback address only; {@link #launchUrl()} carries a random token that
 * the first request exchanges for an HttpOnly, SameSite=Strict cookie, which every request needs;
 * every POST needs a CSRF token; the Host header must name 127.0.0.1 or localhost on its port (DNS
 * rebinding). Uploads are limited to the SDK's own input limits. Secrets (the RunPod API key, the
 * license key) are stored owner-only in the data directory and only ever shown masked.
 *
 * <p>Threads: Jetty's pool serves requests (a live-progress stream holds one thread per open page);
 * the SDK studio owns its own. {@link #close()} stops the server, then closes the SDK studio
 * (running jobs stay unfinished in the data directory and resume when a studio starts on it again)
 * and the backends it was given.
 */
public final class StudioServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StudioServer.class);

  /** The port the studio listens on unless told otherwise. */
  public static final int DEFAULT_PORT = 8710;

  private final Server jetty;
  private final Guard guard;
  private final Session session;
  private final EventHub hub;
  private final Backends backends;
  private final URI baseUrl;

  private StudioServer(Builder b) throws Exception {
    this.backends = b.backends;
    this.hub = new EventHub();
    Settings settings = b.settings != null ? b.settings : new ConfigFileSettings(b.dataDirectory);
    this.session = new Session(b.dataDirectory, b.storeUrl, settings, b.backends, b.clock, hub);
    if (b.storeUrl != null) {
      session.store(); // a store URL that does not work fails now, not at the first request
    }
    Refusals refusals = new Refusals(session);
    Views views = new Views(b.clock, refusals);
    Uploads uploads = new Uploads(b.dataDirectory);
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("openavathar-studio");
    threads.setDaemon(true);
    jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(b.port);
    connector.setIdleTimeout(60_000);
    jetty.addConnector(connector);
    JobsApi jobs = new JobsApi(session, uploads, hub, views, refusals);
    VideosApi videos = new VideosApi(session, jobs, hub, views);
    guard = new Guard();
    StateApi state = new StateApi(session, guard, uploads, hub, b.clock);
    guard.setHandler(
        new Handler.Sequence(
            new Api(state, jobs, videos, new PodsApi(session, videos, hub, views), refusals),
            new StaticFiles()));
    hub.views(
        job -> views.job(job, session.current().map(s -> session.store())),
        job -> views.job(job, java.util.Optional.empty()));
    jetty.setHandler(guard);
    jetty.start();
    int port = connector.getLocalPort();
    guard.port(port);
    baseUrl = URI.create("http://127.0.0.1:" + port + "/");
    // Resume the jobs an earlier run left unfinished at once, so that their progress streams again.
    session.startIfConfigured();
    LOG.debug("Studio listening on {} [simulated={}]", baseUrl, backends.simulated());
  }

  /**
   * A builder with the defaults: port {@value #DEFAULT_PORT}, data directory {@code
   * ~/.openavathar}, the real backends.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@code http://127.0.0.1:<port>/}: without the token, every request is refused.
   *
   * @return the base URL
   */
  public URI baseUrl() {
    return baseUrl;
  }

  /**
   * The address to open: the base URL with the one-time token that logs this browser in. Print it
   * only to the user.
   *
   * @return the launch URL; it carries a secret, keep it out of logs
   */
  public URI launchUrl() {
    return baseUrl.resolve("/?token=" + guard.launchToken());
  }

  /**
   * Whether the backends are simulators (demo mode).
   *
   * @return true in demo mode
   */
  public boolean simulated() {
    return backends.simulated();
  }

  /**
   * Blocks until the server stops.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public void awaitClose() throws InterruptedException {
    jetty.join();
  }

  @Override
  public void close() {
    hub.close();
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.debug("Stopping the studio's web server failed: {}", e.toString());
    }
    try {
      session.close();
    } finally {
      List<AutoCloseable> closeables = backends.closeables();
      for (int i = closeables.size() - 1; i >= 0; i--) {
        try {
          closeables.get(i).close();
        } catch (Exception e) {
          LOG.debug("Closing a backend failed: {}", e.toString());
        }
      }
    }
  }

  @Override
  public String toString() {
    return "StudioServer{" + baseUrl + ", simulated=" + backends.simulated() + "}";
  }

  /** Builds and starts a {@link StudioServer}. */
  public static final class Builder {
    private int port = DEFAULT_PORT;
    private Path dataDirectory = Path.of(System.getProperty("user.home"), ".openavathar");
    private Backends backends = Backends.real();
    private Clock clock = Clock.systemUTC();
    private Settings settings;
    private String storeUrl;

    private Builder() {}

    /**
     * The port on 127.0.0.1 (default {@value StudioServer#DEFAULT_PORT}; 0 for a free one).
     *
     * @param port the port, 0 to 65535
     * @return this builder
     * @throws IllegalArgumentException if {@code port} is out of range
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Settings, jobs, videos and uploads (default {@code ~/.openavathar}).
     *
     * @param dataDirectory the data directory
     * @return this builder
     */
    public Builder dataDirectory(Path dataDirectory) {
      this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
      return this;
    }

    /**
     * Keeps jobs, videos and pods in the database this JDBC URL names instead of the data
     * directory's {@code studio.db} (see {@code StudioStore.connect}): a PostgreSQL store is shared
     * with the other studios on it. Settings and uploads stay in the data directory.
     *
     * @param jdbcUrl a {@code jdbc:postgresql:} or {@code jdbc:sqlite:} URL; a password in it is
     *     never shown
     * @return this builder
     */
    public Builder storeUrl(String jdbcUrl) {
      this.storeUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      return this;
    }

    /**
     * Where the remotes are (default {@link Backends#real()}; {@link DemoBackends} for the
     * simulators).
     *
     * @param backends the backends
     * @return this builder
     */
    public Builder backends(Backends backends) {
      this.backends = Objects.requireNonNull(backends, "backends");
      return this;
    }

    /**
     * The clock for timestamps, idle stop and costs (default the system UTC clock).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    Builder settings(Settings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Starts the server.
     *
     * @return the running server; close it when done
     * @throws io.openavathar.OpenAvatharException if the port is taken (the message says to pick
     *     another with --port)
     */
    public StudioServer start() {
      try {
        return new StudioServer(this);
      } catch (java.io.IOException e) {
        throw new io.openavathar.OpenAvatharException(
            "Cannot listen on 127.0.0.1:"
                + port
                + " ("
                + e.getMessage()
                + "). Is the studio already running? Open it, or choose another port with --port.",
            e);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new io.openavathar.OpenAvatharException(
            "The studio's web server did not start: " + e, e);
      }
    }
  }
}
