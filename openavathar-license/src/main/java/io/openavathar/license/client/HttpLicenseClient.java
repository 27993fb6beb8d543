package io.openavathar.license.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.LicenseRejectedException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.RetryOptions;
import io.openavathar.internal.Retries;
import io.openavathar.internal.Schedulers;
import io.openavathar.license.LicenseClient;
import io.openavathar.license.LicenseInfo;
import io.openavathar.license.LicenseKey;
import io.openavathar.license.LicenseStatus;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LicenseClient} for the OpenAvathar license server protocol (the original Cloudflare
 * Worker and {@code openavathar-license-server} alike): {@code validate}, {@code activate}, {@code
 * generation/check}, {@code generation/track}, and {@code deactivate} where the server offers it.
 *
 * <p>Offline policy: when the server cannot be reached (after retries), {@link #check()} answers
 * Pro if the server said this device is Pro within {@link Builder#offlineGrace} (remembered in
 * {@link Builder#stateDirectory}); otherwise it fails with {@link RemoteUnavailableException}. A
 * free device never passes silently.
 *
 * <p>Thread-safe; no method blocks. Futures complete on OkHttp or scheduler threads. License keys
 * appear in messages and logs only masked.
 */
public final class HttpLicenseClient implements LicenseClient, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpLicenseClient.class);
  private static final Pattern RESETS_IN = Pattern.compile("(?:(\\d+)\\s*h)?\\s*(?:(\\d+)\\s*m)?");
  private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(20);

  private final LicenseHttp h;
  private final DeviceFingerprint fingerprint;
  private final Clock clock;
  private final String upgradeUrl;
  private final Duration offlineGrace;
  private final ProStatusStore store;

  /**
   * The OkHttp client and scheduler this client made itself (none given to the builder), closed by
   * close().
   */
  private final OkHttpClient ownedHttp;

  private final ScheduledExecutorService ownedScheduler;

  private HttpLicenseClient(Builder b) {
    this.fingerprint =
        b.fingerprint == null ? DeviceFingerprint.forApp("openavathar") : b.fingerprint;
    this.clock = b.clock;
    this.upgradeUrl = b.upgradeUrl;
    this.offlineGrace = b.offlineGrace;
    this.store = new ProStatusStore(b.stateDirectory, fingerprint);
    RetryOptions options = b.retry.build();
    this.ownedHttp =
        b.http == null
            ? new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(options.readTimeout().orElse(DEFAULT_READ_TIMEOUT))
                .build()
            : null;
    OkHttpClient http =
        b.http == null
            ? ownedHttp
            : options
                .readTimeout()
                .map(t -> b.http.newBuilder().readTimeout(t).build())
                .orElse(b.http);
    this.ownedScheduler =
        b.scheduler == null ? Schedulers.daemon("openavathar-license-scheduler") : null;
    this.h =
        new LicenseHttp(
            http,
            LicenseHttp.root(b.baseUrl),
            b.clock,
            Retries.of(options),
            b.scheduler == null ? ownedScheduler : b.scheduler);
  }

  /**
   * Shuts down the OkHttp client and scheduler this client made itself (those given to the builder
   * are left alone). Calls still running fail at once, their requests cancelled; calls after this
   * fail too.
   */
  @Override
  public void close() {
    h.close();
    if (ownedScheduler != null) {
      ownedScheduler.shutdownNow();
    }
    if (ownedHttp != null) {
      ownedHttp.dispatcher().executorService().shutdown();
      ownedHttp.connectionPool().evictAll();
    }
  }

  /**
   * A builder; {@link Builder#baseUrl} is required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * This device's fingerprint as sent to the server.
   *
   * @return the fingerprint
   */
  public DeviceFingerprint fingerprint() {
    return fingerprint;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Retries transient failures; then applies the offline policy (see the class comment). A Pro
   * answer is remembered for it, a free answer forgets it.
   */
  @Override
  public CompletableFuture<LicenseStatus> check() {
    var url = h.url("api/generation/check", Map.of("fingerprint", fingerprint.value()));
    CompletableFuture<LicenseStatus> online =
        h.call(
            "check",
            h.get(url),
            reply -> {
              if (reply.code() != 200 || reply.json().isEmpty()) {
                throw h.unexpected("check", reply);
              }
              LicenseStatus status = status(reply.json().get());
              if (status.pro()) {
                store.remember(clock.instant(), status.licenseKey());
              } else {
                store.forget();
              }
              return status;
            });
    return online.exceptionallyCompose(
        failure -> {
          Throwable t = Retries.unwrap(failure);
          if (!(t instanceof RemoteUnavailableException)) {
            return CompletableFuture.failedFuture(t);
          }
          Optional<ProStatusStore.Seen> seen = store.read();
          // Duration.between, not at().plus(offlineGrace): the file is on the user's disk and may
          // hold Instant.MAX.
          if (seen.isPresent()
              && Duration.between(seen.get().at(), clock.instant()).compareTo(offlineGrace) <= 0) {
            LOG.debug(
                "License server unreachable; Pro seen at {} is within the offline grace of {}",
                seen.get().at(),
                offlineGrace);
            return CompletableFuture.completedFuture(LicenseStatus.pro(seen.get().maskedKey()));
          }
          return CompletableFuture.failedFuture(
              new RemoteUnavailableException(
                  "The license server at "
                      + h.base()
                      + " is unreachable ("
                      + t.getMessage()
                      + ") and this device was not seen as Pro in the last "
                      + offlineGrace.toDays()
                      + " days, so it cannot generate now. Check the network and try again.",
                  t));
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Sends the original request, {@code {"fingerprint"}}. Retried on transient failures, like the
   * reads; a retry after a lost answer may count one extra free video (never for Pro, which is not
   * counted). Prefer {@link #track(String)}.
   */
  @Override
  public CompletableFuture<Integer> track() {
    return track(Map.of("fingerprint", fingerprint.value()));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Sends {@code {"fingerprint", "requestId"}}. {@code openavathar-license-server} counts a
   * repeated request id once, so retries (of this call, or of a pending track by a later studio)
   * are safe. The original Worker ignores the extra field and counts every request that arrives:
   * there a retry after a lost answer may count one extra free video (never for Pro, which is not
   * counted).
   */
  @Override
  public CompletableFuture<Integer> track(String requestId) {
    Objects.requireNonNull(requestId, "requestId");
    return track(Map.of("fingerprint", fingerprint.value(), "requestId", requestId));
  }

  private CompletableFuture<Integer> track(Map<String, String> body) {
    var request = h.postJson(h.url("api/generation/track", Map.of()), body);
    return h.call(
        "track",
        request,
        reply -> {
          if (reply.code() != 200 || reply.json().isEmpty()) {
            throw h.unexpected("track", reply);
          }
          return reply.json().get().path("count").asInt(0);
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Retried on transient failures: activation is idempotent on both servers ("Already activated
   * on this device").
   */
  @Override
  public CompletableFuture<LicenseStatus> activate(LicenseKey key) {
    Objects.requireNonNull(key, "key");
    var request =
        h.postJson(
            h.url("api/license/activate", Map.of()),
            Map.of("licenseKey", key.value(), "fingerprint", fingerprint.value()));
    LOG.debug("Activating {} on {}", key.masked(), fingerprint);
    return h.call(
        "activate",
        request,
        reply -> {
          boolean json = reply.json().isPresent();
          if (reply.code() == 404 && json) {
            throw new LicenseRejectedException(
                "This license key ("
                    + key.masked()
                    + ") is not known to the license "
                    + "server. Check it against your purchase e-mail.");
          } else if (reply.code() == 403 && json) {
            throw new LicenseRejectedException(
                "This license key ("
                    + key.masked()
                    + ") is already active on 3 devices. "
                    + "Deactivate it on a device you no longer use.");
          } else if (reply.code() != 200 || !json) {
            throw h.unexpected("activate", reply);
          } else if (!reply.json().get().path("success").asBoolean(false)) {
            throw new LicenseRejectedException(
                "The license server did not activate "
                    + key.masked()
                    + ": "
                    + reply.detail()
                    + ".");
          }
          LicenseStatus pro = LicenseStatus.pro(Optional.of(key.masked()));
          store.remember(clock.instant(), pro.licenseKey());
          return pro;
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Our server offers {@code POST /api/license/deactivate}; the original does not (it answers a
   * plain {@code Not Found}), which fails with {@link LicenseRejectedException} saying to contact
   * support.
   */
  @Override
  public CompletableFuture<Void> deactivate(LicenseKey key) {
    Objects.requireNonNull(key, "key");
    var request =
        h.postJson(
            h.url("api/license/deactivate", Map.of()),
            Map.of("licenseKey", key.value(), "fingerprint", fingerprint.value()));
    return h.call(
        "deactivate",
        request,
        reply -> {
          if ((reply.code() == 404 || reply.code() == 405) && reply.json().isEmpty()) {
            throw new LicenseRejectedException(
                "This license server cannot free a device from a key ("
                    + key.masked()
                    + "); contact support to move your license to another device.");
          } else if ((reply.code() == 404 || reply.code() == 403) && reply.json().isPresent()) {
            throw new LicenseRejectedException(
                "The license server did not free this device from "
                    + key.masked()
                    + ": "
                    + reply.detail()
                    + ".");
          } else if (reply.code() != 200) {
            throw h.unexpected("deactivate", reply);
          }
          store.forget();
          return null;
        });
  }

  /**
   * {@inheritDoc} An unknown key is {@code valid == false}, not a failure. Retried on transient
   * failures.
   */
  @Override
  public CompletableFuture<LicenseInfo> validate(LicenseKey key) {
    Objects.requireNonNull(key, "key");
    var request =
        h.postJson(h.url("api/license/validate", Map.of()), Map.of("licenseKey", key.value()));
    return h.call(
        "validate",
        request,
        reply -> {
          if (reply.code() == 404 && reply.json().isPresent()) {
            return new LicenseInfo(false, Optional.empty(), 0, 0, Optional.empty());
          } else if (reply.code() != 200 || reply.json().isEmpty()) {
            throw h.unexpected("validate", reply);
          }
          JsonNode n = reply.json().get();
          return new LicenseInfo(
              n.path("valid").asBoolean(false),
              text(n, "email"),
              n.path("activationsUsed").asInt(0),
              n.path("maxActivations").asInt(0),
              text(n, "purchaseDate"));
        });
  }

  /** The configured upgrade URL, if not empty. */
  @Override
  public Optional<String> upgradeUrl() {
    return upgradeUrl.isEmpty() ? Optional.empty() : Optional.of(upgradeUrl);
  }

  @Override
  public String toString() {
    return "HttpLicenseClient[" + h.base() + ", " + fingerprint + "]";
  }

  /**
   * A check answer: Pro has no limit, used or resetsIn; free has them. The server's key is masked
   * at once.
   */
  static LicenseStatus status(JsonNode n) {
    if (n.path("isPro").asBoolean(false)) {
      return LicenseStatus.pro(text(n, "licenseKey").map(HttpLicenseClient::mask));
    }
    int limit = n.path("limit").asInt(1);
    int used = n.path("used").asInt(0);
    boolean canGenerate = n.path("canGenerate").asBoolean(used < limit);
    return new LicenseStatus(
        false,
        canGenerate,
        used,
        limit,
        resetsIn(text(n, "resetsIn").orElse("")),
        Optional.empty());
  }

  /** {@code "14h 23m"} (also {@code "5m"}, {@code "2h"}) as a duration; zero if unreadable. */
  static Duration resetsIn(String text) {
    Matcher m = RESETS_IN.matcher(text.trim());
    if (text.isBlank() || !m.matches()) {
      return Duration.ZERO;
    }
    try {
      long hours = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
      long minutes = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
      return Duration.ofHours(hours).plusMinutes(minutes);
    } catch (NumberFormatException | ArithmeticException tooLarge) {
      return Duration.ZERO; // more hours than a long or a Duration holds: unreadable
    }
  }

  private static String mask(String key) {
    // Our own server already masks the key it returns on check; keep a masked key as it is.
    if (key.matches("OAVR(-\\*{4})+-[A-Z0-9]{4}")) {
      return key;
    }
    try {
      return LicenseKey.parse(key).masked();
    } catch (RuntimeException notAKey) {
      return "OAVR-****";
    }
  }

  private static Optional<String> text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isValueNode() && !v.isNull() ? Optional.of(v.asText()) : Optional.empty();
  }

  /** Builds an {@link HttpLicenseClient}. Not thread-safe. */
  public static final class Builder {
    URI baseUrl;
    DeviceFingerprint fingerprint;
    OkHttpClient http;
    ScheduledExecutorService scheduler;
    Clock clock = Clock.systemUTC();
    String upgradeUrl = "";
    Duration offlineGrace = Duration.ofDays(7);
    Path stateDirectory = Path.of(System.getProperty("user.home"), ".openavathar", "license");
    final RetryOptions.Builder retry =
        RetryOptions.builder().maxAttempts(3).maxBackoff(Duration.ofSeconds(4));

    private Builder() {}

    /**
     * The license server's root, for example {@code https://license.example.workers.dev}; may carry
     * a path.
     *
     * @param baseUrl an http(s) URL without query
     * @return this builder
     */
    public Builder baseUrl(URI baseUrl) {
      LicenseHttp.root(Objects.requireNonNull(baseUrl, "baseUrl"));
      this.baseUrl = baseUrl;
      return this;
    }

    /**
     * This device's fingerprint. Default {@code DeviceFingerprint.forApp("openavathar")}, computed
     * by build.
     *
     * @param fingerprint the fingerprint
     * @return this builder
     */
    public Builder fingerprint(DeviceFingerprint fingerprint) {
      this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
      return this;
    }

    /**
     * The OkHttp client to use as is (with a read timeout from {@link #retryOptions}, if one is
     * set). Default: one of this client's own (connect timeout 10 s, read 20 s), shut down by
     * {@link HttpLicenseClient#close()}.
     *
     * @param http the client; left running by {@link HttpLicenseClient#close()}
     * @return this builder
     */
    public Builder httpClient(OkHttpClient http) {
      this.http = Objects.requireNonNull(http, "http");
      return this;
    }

    /**
     * The scheduler for retry delays. Default: one daemon thread of this client's, stopped by its
     * close().
     *
     * @param scheduler the scheduler; left running by {@link HttpLicenseClient#close()}
     * @return this builder
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The clock for the offline grace and {@code Retry-After} dates. Default: the system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where users buy Pro, for messages. Default empty (none).
     *
     * @param upgradeUrl the page's URL, or empty for none
     * @return this builder
     */
    public Builder upgradeUrl(String upgradeUrl) {
      this.upgradeUrl = Objects.requireNonNull(upgradeUrl, "upgradeUrl").trim();
      return this;
    }

    /**
     * How long a Pro status seen online keeps a device Pro while the server is unreachable. Default
     * 7 days.
     *
     * @param offlineGrace not negative
     * @return this builder
     */
    public Builder offlineGrace(Duration offlineGrace) {
      this.offlineGrace = nonNegative(offlineGrace, "offlineGrace");
      return this;
    }

    /**
     * Where the last Pro status seen is remembered (masked key only). Default {@code
     * ~/.openavathar/license}.
     *
     * @param stateDirectory the directory
     * @return this builder
     */
    public Builder stateDirectory(Path stateDirectory) {
      this.stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory");
      return this;
    }

    /**
     * Retries and read timeout at once (the same value {@code
     * AvatarStudio.builder().retryOptions(...)} takes). Default: 3 attempts backing off from 500 ms
     * to 4 s, a 20 s read timeout.
     *
     * @param options attempts, backoffs and read timeout
     * @return this builder
     */
    public Builder retryOptions(RetryOptions options) {
      retry.apply(options);
      return this;
    }

    /**
     * Attempts per call, the first included. Default 3.
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
     * Longest retry delay. Default 4 s; a server's {@code Retry-After} is honoured up to four times
     * this.
     *
     * @param maxBackoff not negative
     * @return this builder
     */
    public Builder maxBackoff(Duration maxBackoff) {
      retry.maxBackoff(maxBackoff);
      return this;
    }

    /**
     * The client. Computes the default fingerprint if none was given (may block briefly, see {@link
     * DeviceFingerprint#forApp(String)}).
     *
     * @return the client, which the caller closes
     * @throws IllegalStateException if no base URL was given
     */
    public HttpLicenseClient build() {
      if (baseUrl == null) {
        throw new IllegalStateException(
            "baseUrl(...) is required: the license server's root URL, like "
                + "https://license.example.workers.dev");
      }
      return new HttpLicenseClient(this);
    }

    private static Duration nonNegative(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, was " + d);
      }
      return d;
    }
  }
}
