package io.openavathar.license.server;

import io.openavathar.license.LicenseKey;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The self-hostable license and quota server: speaks the original license protocol (validate,
 * activate, check, track, Gumroad webhook) plus {@code POST /api/license/deactivate}, over a {@link
 * LicenseStore} (SQLite by default, or PostgreSQL shared by several servers, see {@link
 * Builder#databaseUrl}).
 *
 * <pre>{@code
 * try (LicenseServer server = LicenseServer.builder().port(8787).dataDirectory(Path.of("data")).start()) {
 *   LicenseKey key = server.issueLicense("user@example.com");
 * }
 * }</pre>
 *
 * <p>Thread-safe. Started by {@link Builder#start()}; {@link #close()} stops it and closes the
 * store it opened.
 */
public final class LicenseServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LicenseServer.class);

  /** A connection silent this long is closed (also one whose headers never end). */
  static final long IDLE_TIMEOUT_MILLIS = 10_000;

  /**
   * Request headers still incomplete after one to two times this are cut off (the connection
   * closed).
   */
  static final long HEADER_TIMEOUT_MILLIS = 5_000;

  /**
   * A request body must have arrived in full this long after its headers (bodies here are a few
   * hundred bytes).
   */
  static final long BODY_TIMEOUT_MILLIS = 5_000;

  /** The idle timeout once {@link Builder#maxConnections} connections are open. */
  static final long CROWDED_IDLE_TIMEOUT_MILLIS = 1_000;

  private final Server jetty;
  private final ServerConnector connector;
  private final LicenseStore store;
  private final boolean ownsStore;
  private final KeyMinter minter;
  private final Clock clock;
  private final int maxActivations;
  private final URI baseUrl;

  private LicenseServer(Builder b, LicenseStore store) throws Exception {
    this.store = store;
    this.ownsStore = b.store == null;
    this.minter = new KeyMinter();
    this.clock = b.clock;
    this.maxActivations = b.maxActivations;
    // A bounded pool: request bodies are read asynchronously and headers by the selector, so a slow
    // or stalled
    // client holds a connection, never a thread (see LicenseHandler#withBody).
    QueuedThreadPool threads = new QueuedThreadPool(64, 8);
    threads.setName("license-server");
    jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost(b.host);
    connector.setPort(b.port);
    connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
    connector.addBean(new HeaderDeadline(connector.getScheduler(), b.headerTimeout.toMillis()));
    jetty.addConnector(connector);
    NetworkConnectionLimit connectionLimit =
        new NetworkConnectionLimit(b.maxConnections, connector);
    connectionLimit.setEndPointIdleTimeout(CROWDED_IDLE_TIMEOUT_MILLIS);
    jetty.addBean(connectionLimit);
    jetty.setRequestLog(b.requestLog);
    jetty.setErrorHandler(new PlainErrorHandler());
    jetty.setHandler(
        new LicenseHandler(
            new LicenseApi(store, clock, b.freeDailyLimit),
            new GumroadWebhook(
                store,
                minter,
                clock,
                maxActivations,
                b.webhookSecret,
                b.gumroadApi == null ? null : new GumroadVerifier(b.gumroadApi)),
            new RateLimiter(b.rateLimitPerMinute, clock),
            new GenerationLimits(b, store, clock),
            b.bodyTimeout.toMillis()));
    jetty.start();
    String host = b.host.contains(":") ? "[" + b.host + "]" : b.host;
    baseUrl = URI.create("http://" + host + ":" + connector.getLocalPort());
    log.debug("License server listening on {}", baseUrl);
  }

  /**
   * A builder with the defaults: 127.0.0.1, a free port, 3 devices per key, 1 free generation a
   * day, and the rate limits listed on each setter.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Where the server listens, for example {@code http://127.0.0.1:8787}.
   *
   * @return the base URL, without a path
   */
  public URI baseUrl() {
    return baseUrl;
  }

  /**
   * Mints and stores a license for this e-mail outside any purchase (an administrator's grant).
   *
   * @param email the holder's e-mail
   * @return the new key (its {@code toString()} is masked; {@link LicenseKey#value()} is the full
   *     key)
   */
  public LicenseKey issueLicense(String email) {
    return issue(store, minter, clock, maxActivations, email);
  }

  static LicenseKey issue(
      LicenseStore store, KeyMinter minter, Clock clock, int maxActivations, String email) {
    Objects.requireNonNull(email, "email");
    for (int attempt = 1; ; attempt++) {
      String key = minter.mint();
      try {
        store.insertLicense(
            new LicenseRecord(
                key, email, null, clock.instant(), maxActivations, null, 0, null, false, false));
        return LicenseKey.parse(key);
      } catch (LicenseStoreException e) {
        if (attempt >= 3 || store.findLicense(key).isEmpty()) {
          throw e;
        }
      }
    }
  }

  /**
   * Stops accepting requests, finishes the ones in flight, and closes the store if the server
   * opened it.
   */
  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      log.debug("Stopping the license server's HTTP listener failed: {}", e.toString());
    } finally {
      if (ownsStore) {
        store.close();
      }
    }
  }

  /**
   * Runs the server ({@code --port P --data-dir D}, printing its URL on the first line of standard
   * output) or issues a key ({@code issue --email E --data-dir D}, printing it). The webhook secret
   * is read only from the environment variable {@code OPENAVATHAR_WEBHOOK_SECRET}, never from the
   * command line, where other users could see it.
   *
   * @param args the command line
   * @throws Exception if interrupted while the server runs
   */
  public static void main(String[] args) throws Exception {
    ServerMain.run(args);
  }

  /** Configures and starts a {@link LicenseServer}. Not thread-safe; one builder per server. */
  public static final class Builder {
    private int port;
    private String host = "127.0.0.1";
    private Path dataDirectory;
    private String databaseUrl;
    private String databasePassword;
    private LicenseStore store;
    private String webhookSecret;
    private java.net.URI gumroadApi;
    private Clock clock = Clock.systemUTC();
    private int maxActivations = 3;
    private int freeDailyLimit = 1;
    private int rateLimitPerMinute = 30;
    int checkPerAddressPerMinute = 120;
    int checkPerDevicePerMinute = 30;
    int trackPerAddressPerMinute = 60;
    int trackPerDevicePerMinute = 10;
    int newDevicesPerHour = 20;
    private int maxConnections = 1000;
    private Duration bodyTimeout = Duration.ofMillis(BODY_TIMEOUT_MILLIS);
    private Duration headerTimeout = Duration.ofMillis(HEADER_TIMEOUT_MILLIS);
    private RequestLog requestLog = new AccessLog();

    private Builder() {}

    /**
     * The TCP port; 0 (the default) picks a free one, see {@link LicenseServer#baseUrl()}.
     *
     * @param port 0 to 65535
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The address to listen on; default {@code 127.0.0.1}. Use {@code 0.0.0.0} to accept remote
     * clients.
     *
     * @param host an address or host name
     * @return this builder
     */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * The directory for the SQLite file {@code licenses.db} (created if missing). Ignored with
     * {@link #store}.
     *
     * @param dataDirectory the directory
     * @return this builder
     */
    public Builder dataDirectory(Path dataDirectory) {
      this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
      return this;
    }

    /**
     * Keeps licenses in PostgreSQL instead of SQLite, for example {@code
     * jdbc:postgresql://db.internal:5432/licenses?user=licenses}: several servers on one database
     * share licenses, activations and daily counts, and their counts stay exact. The tables are
     * created (and later migrated) on start. The password comes from {@link #databasePassword},
     * else from the URL's {@code password} parameter; it is never logged. Takes precedence over
     * {@link #dataDirectory}; ignored with {@link #store}.
     *
     * @param jdbcUrl a {@code jdbc:postgresql:} URL
     * @return this builder
     * @throws IllegalArgumentException if this is not a {@code jdbc:postgresql:} URL
     */
    public Builder databaseUrl(String jdbcUrl) {
      PostgresLicenseStore.DatabaseUrl.parse(jdbcUrl);
      this.databaseUrl = jdbcUrl;
      return this;
    }

    /**
     * The password for {@link #databaseUrl} (the command line reads it from {@code
     * OPENAVATHAR_DB_PASSWORD}).
     *
     * @param password the password, or null for the URL's
     * @return this builder
     */
    public Builder databasePassword(String password) {
      this.databasePassword = password;
      return this;
    }

    /**
     * A store of your own (for example on a shared SQL server); the server does not close it.
     *
     * @param store the store
     * @return this builder
     */
    public Builder store(LicenseStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Confirms each purchase ping with Gumroad's license verify API at this base URL (for example
     * {@code https://api.gumroad.com}) before minting a key; unconfirmed pings get 403, and 503
     * when Gumroad cannot be reached (Gumroad then retries the ping). Off by default.
     *
     * @param apiBaseUrl Gumroad's API base URL
     * @return this builder
     */
    public Builder confirmWithGumroad(java.net.URI apiBaseUrl) {
      this.gumroadApi = java.util.Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
      return this;
    }

    /**
     * The Gumroad webhook secret; when set, pings need a valid {@code X-Gumroad-Signature}. Null
     * for none.
     *
     * @param webhookSecret the secret, or null
     * @return this builder
     */
    public Builder webhookSecret(String webhookSecret) {
      this.webhookSecret = webhookSecret;
      return this;
    }

    /**
     * The clock for UTC days, purchase dates and rate limits; default the system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Devices per newly minted key; default 3.
     *
     * @param maxActivations at least 1
     * @return this builder
     */
    public Builder maxActivations(int maxActivations) {
      if (maxActivations < 1) {
        throw new IllegalArgumentException(
            "maxActivations must be at least 1, was " + maxActivations);
      }
      this.maxActivations = maxActivations;
      return this;
    }

    /**
     * Free generations per device per UTC day; default 1.
     *
     * @param freeDailyLimit 0 or more
     * @return this builder
     */
    public Builder freeDailyLimit(int freeDailyLimit) {
      if (freeDailyLimit < 0) {
        throw new IllegalArgumentException(
            "freeDailyLimit must not be negative, was " + freeDailyLimit);
      }
      this.freeDailyLimit = freeDailyLimit;
      return this;
    }

    /**
     * Validate, activate and deactivate requests allowed per client address per minute; default 30.
     *
     * @param perMinute at least 1
     * @return this builder
     */
    public Builder rateLimit(int perMinute) {
      if (perMinute < 1) {
        throw new IllegalArgumentException(
            "rateLimit must be at least 1 per minute, was " + perMinute);
      }
      this.rateLimitPerMinute = perMinute;
      return this;
    }

    /**
     * {@code GET /api/generation/check} requests allowed per client address per minute; default
     * 120.
     *
     * @param perMinute at least 1
     * @return this builder
     */
    public Builder checkLimitPerAddress(int perMinute) {
      this.checkPerAddressPerMinute = atLeastOne("checkLimitPerAddress", perMinute);
      return this;
    }

    /**
     * {@code GET /api/generation/check} requests allowed per device fingerprint per minute; default
     * 30.
     *
     * @param perMinute at least 1
     * @return this builder
     */
    public Builder checkLimitPerDevice(int perMinute) {
      this.checkPerDevicePerMinute = atLeastOne("checkLimitPerDevice", perMinute);
      return this;
    }

    /**
     * {@code POST /api/generation/track} requests allowed per client address per minute; default
     * 60.
     *
     * @param perMinute at least 1
     * @return this builder
     */
    public Builder trackLimitPerAddress(int perMinute) {
      this.trackPerAddressPerMinute = atLeastOne("trackLimitPerAddress", perMinute);
      return this;
    }

    /**
     * {@code POST /api/generation/track} requests allowed per device fingerprint per minute;
     * default 10.
     *
     * @param perMinute at least 1
     * @return this builder
     */
    public Builder trackLimitPerDevice(int perMinute) {
      this.trackPerDevicePerMinute = atLeastOne("trackLimitPerDevice", perMinute);
      return this;
    }

    /**
     * Devices the store has never seen that one client address may start tracking per hour; default
     * 20. Bounds how fast one client can grow the database or spend free generations of devices it
     * made up.
     *
     * @param perAddress at least 1
     * @return this builder
     */
    public Builder newDevicesPerHour(int perAddress) {
      this.newDevicesPerHour = atLeastOne("newDevicesPerHour", perAddress);
      return this;
    }

    /**
     * Open connections at most; default 1000. Past it the server stops accepting until some close,
     * and idle ones are closed after 1 s instead of 10 s.
     *
     * @param maxConnections at least 1
     * @return this builder
     */
    public Builder maxConnections(int maxConnections) {
      this.maxConnections = atLeastOne("maxConnections", maxConnections);
      return this;
    }

    /**
     * How long after its headers a request body must have arrived in full; default 5 s. For tests.
     */
    Builder bodyTimeout(Duration bodyTimeout) {
      this.bodyTimeout = Objects.requireNonNull(bodyTimeout, "bodyTimeout");
      return this;
    }

    /**
     * Request headers still incomplete after one to two times this are cut off; default 5 s. For
     * tests.
     */
    Builder headerTimeout(Duration headerTimeout) {
      this.headerTimeout = Objects.requireNonNull(headerTimeout, "headerTimeout");
      return this;
    }

    /** Where each request is logged; default {@link AccessLog}. For tests. */
    Builder requestLog(RequestLog requestLog) {
      this.requestLog = Objects.requireNonNull(requestLog, "requestLog");
      return this;
    }

    private static int atLeastOne(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, was " + value);
      }
      return value;
    }

    /**
     * Opens the store and starts listening.
     *
     * @return the running server, which the caller closes
     * @throws LicenseStoreException if the database cannot be opened
     * @throws IllegalStateException if neither a data directory nor a store was given, or the port
     *     is taken
     */
    public LicenseServer start() {
      if (store == null && dataDirectory == null && databaseUrl == null) {
        throw new IllegalStateException(
            "Set dataDirectory(...), databaseUrl(...) or store(...) before start(): the"
                + " server needs somewhere to keep licenses.");
      }
      LicenseStore s =
          store != null
              ? store
              : databaseUrl != null
                  ? openPostgres(databaseUrl, databasePassword)
                  : openSqlite(dataDirectory);
      try {
        return new LicenseServer(this, s);
      } catch (Exception e) {
        if (store == null) {
          s.close();
        }
        throw new IllegalStateException(
            "The license server could not listen on "
                + host
                + ":"
                + port
                + ": "
                + e.getMessage()
                + ". Pick another port or stop what uses it.",
            e);
      }
    }
  }

  /** Connections per server: requests hold one only for a statement or a short transaction. */
  static final int POSTGRES_POOL_SIZE = 10;

  static LicenseStore openPostgres(String jdbcUrl, String password) {
    return new PostgresLicenseStore(jdbcUrl, password, POSTGRES_POOL_SIZE);
  }

  /**
   * Copies an SQLite license database ({@code licenses.db} in {@code dataDirectory}) into
   * PostgreSQL: licenses, activations, daily counts and remembered track request ids, in one
   * transaction. Rows the PostgreSQL database already has are kept, so the copy can be run again
   * (for example once more right before switching over). Stop the SQLite server first, so that
   * nothing changes during the copy.
   *
   * @param dataDirectory the SQLite server's data directory
   * @param databaseUrl a {@code jdbc:postgresql:} URL
   * @param databasePassword the password, or null to use the URL's
   * @return rows copied per table ({@code licenses}, {@code activations}, {@code daily_counts},
   *     {@code tracked_requests})
   * @throws LicenseStoreException if either database cannot be opened or the copy fails (then
   *     nothing is copied)
   */
  public static Map<String, Integer> copySqliteToPostgres(
      Path dataDirectory, String databaseUrl, String databasePassword) {
    Path file = dataDirectory.resolve("licenses.db");
    if (!Files.isRegularFile(file)) {
      throw new LicenseStoreException(
          "There is no licenses.db in " + dataDirectory + " to copy.", null);
    }
    try (SqliteLicenseStore from = new SqliteLicenseStore(file, 1);
        PostgresLicenseStore to = new PostgresLicenseStore(databaseUrl, databasePassword, 2)) {
      return from.read(source -> to.write(target -> LicenseSql.copyTables(source, target)));
    }
  }

  static LicenseStore openSqlite(Path dataDirectory) {
    Path file = dataDirectory.resolve("licenses.db");
    OwnerOnlyFiles.prepare(dataDirectory, file);
    SqliteLicenseStore store =
        new SqliteLicenseStore(file, Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
    OwnerOnlyFiles.restrictCompanions(file);
    return store;
  }
}
