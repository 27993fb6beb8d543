package io.openavathar.examples.cli;

import io.openavathar.license.LicenseKey;
import io.openavathar.license.server.LicenseServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code openavathar license-server}: runs our own license server (the protocol of the original
 * Cloudflare Worker), or issues a key by hand, on SQLite ({@code --data-dir}) or PostgreSQL ({@code
 * --db-url}, several servers on one database). The Gumroad webhook secret comes only from {@code
 * OPENAVATHAR_WEBHOOK_SECRET} and the database password from {@code OPENAVATHAR_DB_PASSWORD} (or
 * the URL): a flag would show up in other users' process lists.
 */
@Command(
    name = "license-server",
    mixinStandardHelpOptions = true,
    description = "Run the self-hosted license server (secret from OPENAVATHAR_WEBHOOK_SECRET).",
    subcommands = {LicenseServerCommand.Issue.class, LicenseServerCommand.CopyToPostgres.class})
final class LicenseServerCommand implements Callable<Integer> {
  static final String DB_PASSWORD_ENV = "OPENAVATHAR_DB_PASSWORD";
  @Spec CommandSpec spec;

  @Option(names = "--port", defaultValue = "8787", description = "Port (default 8787).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default 127.0.0.1).")
  String host;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where licenses.db lives (SQLite, one server).")
  Path dataDir;

  @Option(
      names = "--db-url",
      paramLabel = "URL",
      description =
          "PostgreSQL instead of SQLite, shared by several"
              + " servers: jdbc:postgresql://host:5432/db?user=U (password from OPENAVATHAR_DB_PASSWORD).")
  String dbUrl;

  @Option(
      names = "--rate-limit",
      paramLabel = "N",
      description =
          "validate/activate/deactivate requests per client address per minute (default 30).")
  Integer rateLimit;

  @Option(
      names = "--check-limit",
      paramLabel = "N",
      description = "generation/check requests per client address per minute (default 120).")
  Integer checkLimit;

  @Option(
      names = "--check-limit-per-device",
      paramLabel = "N",
      description = "generation/check requests per device fingerprint per minute (default 30).")
  Integer checkLimitPerDevice;

  @Option(
      names = "--track-limit",
      paramLabel = "N",
      description = "generation/track requests per client address per minute (default 60).")
  Integer trackLimit;

  @Option(
      names = "--track-limit-per-device",
      paramLabel = "N",
      description = "generation/track requests per device fingerprint per minute (default 10).")
  Integer trackLimitPerDevice;

  @Option(
      names = "--new-devices-per-hour",
      paramLabel = "N",
      description =
          "Devices never seen before that one client address may start tracking per hour (default 20).")
  Integer newDevicesPerHour;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      description = "Open connections at most (default 1000).")
  Integer maxConnections;

  @Option(names = "--verbose", description = "Show debug logs and one access log line per request.")
  boolean verbose;

  @Override
  public Integer call() throws InterruptedException {
    LicenseServer.Builder b = store(LicenseServer.builder().port(port).host(host), dataDir, dbUrl);
    limits(b);
    String secret = System.getenv("OPENAVATHAR_WEBHOOK_SECRET");
    if (secret != null && !secret.isBlank()) {
      b.webhookSecret(secret);
    } else {
      spec.commandLine()
          .getErr()
          .println(
              "Warning: OPENAVATHAR_WEBHOOK_SECRET is not set: Gumroad webhooks are not"
                  + " verified. Set it before exposing the server.");
    }
    LicenseServer server = b.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "license-server-shutdown"));
    spec.commandLine().getOut().println(server.baseUrl());
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }

  /**
   * Points the builder at SQLite ({@code --data-dir}) or PostgreSQL ({@code --db-url}): exactly one
   * of them.
   */
  static LicenseServer.Builder store(LicenseServer.Builder b, Path dataDir, String dbUrl) {
    if ((dataDir == null) == (dbUrl == null)) {
      throw new IllegalArgumentException(
          "Give either --data-dir (where licenses.db lives, one server) or --db-url"
              + " (PostgreSQL, several servers)");
    }
    if (dbUrl != null) {
      return b.databaseUrl(dbUrl).databasePassword(System.getenv(DB_PASSWORD_ENV));
    }
    return b.dataDirectory(dataDir);
  }

  /**
   * Applies the limits given on the command line; the builder keeps its defaults for the others.
   */
  private void limits(LicenseServer.Builder b) {
    apply("--rate-limit", rateLimit, b::rateLimit);
    apply("--check-limit", checkLimit, b::checkLimitPerAddress);
    apply("--check-limit-per-device", checkLimitPerDevice, b::checkLimitPerDevice);
    apply("--track-limit", trackLimit, b::trackLimitPerAddress);
    apply("--track-limit-per-device", trackLimitPerDevice, b::trackLimitPerDevice);
    apply("--new-devices-per-hour", newDevicesPerHour, b::newDevicesPerHour);
    apply("--max-connections", maxConnections, b::maxConnections);
  }

  private static void apply(String flag, Integer value, IntConsumer setter) {
    if (value == null) {
      return;
    }
    if (value < 1) {
      throw new IllegalArgumentException(flag + " must be at least 1, was " + value);
    }
    setter.accept(value);
  }

  @Command(
      name = "issue",
      description = "Mint a license key by hand (support, giveaways) and print it.")
  static final class Issue implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--email", required = true)
    String email;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where licenses.db lives.")
    Path dataDir;

    @Option(
        names = "--db-url",
        paramLabel = "URL",
        description = "The PostgreSQL database instead.")
    String dbUrl;

    @Override
    public Integer call() {
      try (LicenseServer server = store(LicenseServer.builder().port(0), dataDir, dbUrl).start()) {
        LicenseKey key = server.issueLicense(email);
        // The one place a full key is printed: the operator asked for it, to hand it to the buyer.
        spec.commandLine().getOut().println(key.value());
        spec.commandLine().getOut().flush();
      }
      return 0;
    }
  }

  @Command(
      name = "copy-to-postgres",
      description =
          "Copy licenses.db (licenses, devices, daily counts) into"
              + " PostgreSQL, keeping rows it already has; stop the SQLite server first.")
  static final class CopyToPostgres implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        required = true,
        description = "Where licenses.db lives.")
    Path dataDir;

    @Option(
        names = "--db-url",
        paramLabel = "URL",
        required = true,
        description =
            "jdbc:postgresql://host:5432/db?user=U (password from OPENAVATHAR_DB_PASSWORD).")
    String dbUrl;

    @Override
    public Integer call() {
      Map<String, Integer> copied =
          LicenseServer.copySqliteToPostgres(dataDir, dbUrl, System.getenv(DB_PASSWORD_ENV));
      copied.forEach(
          (table, rows) ->
              spec.commandLine().getOut().println(table + ": " + rows + " rows copied"));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
