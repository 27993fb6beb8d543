package io.openavathar.license.server;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** The command line of {@link LicenseServer#main}. */
final class ServerMain {
  static final String SECRET_ENV = "OPENAVATHAR_WEBHOOK_SECRET";
  static final String DB_PASSWORD_ENV = "OPENAVATHAR_DB_PASSWORD";
  private static final String USAGE =
      "usage: license-server --port P (--data-dir D | --db-url jdbc:postgresql://...)"
          + " [--host H]\n"
          + "       license-server issue --email E (--data-dir D | --db-url URL)\n"
          + "       license-server copy-to-postgres --data-dir D --db-url URL\n"
          + "The Gumroad webhook secret is read from the environment variable "
          + SECRET_ENV
          + ", the database password"
          + " from "
          + DB_PASSWORD_ENV
          + ".";

  private ServerMain() {}

  static void run(String[] args) throws InterruptedException {
    boolean issue = args.length > 0 && "issue".equals(args[0]);
    boolean copy = args.length > 0 && "copy-to-postgres".equals(args[0]);
    Map<String, String> options = new HashMap<>();
    for (int i = issue || copy ? 1 : 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        fail("unexpected argument " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    if (options.containsKey("webhook-secret") || options.containsKey("secret")) {
      fail(
          "the webhook secret is never taken from the command line; set "
              + SECRET_ENV
              + " instead");
    }
    if (options.containsKey("db-password")) {
      fail(
          "the database password is never taken from the command line; set "
              + DB_PASSWORD_ENV
              + " instead");
    }
    String dataDir = options.get("data-dir");
    String dbUrl = options.get("db-url");
    String dbPassword = System.getenv(DB_PASSWORD_ENV);
    if (copy) {
      if (dataDir == null || dbUrl == null) {
        fail("copy-to-postgres needs --data-dir (where licenses.db is) and --db-url");
      }
      Map<String, Integer> copied =
          LicenseServer.copySqliteToPostgres(Path.of(dataDir), dbUrl, dbPassword);
      System.out.println("copied " + copied);
      return;
    }
    if ((dataDir == null) == (dbUrl == null)) {
      fail("give either --data-dir (SQLite) or --db-url (PostgreSQL)");
    }
    if (issue) {
      String email = options.get("email");
      if (email == null) {
        fail("issue needs --email");
      }
      try (LicenseStore store =
          dbUrl != null
              ? LicenseServer.openPostgres(dbUrl, dbPassword)
              : LicenseServer.openSqlite(Path.of(dataDir))) {
        System.out.println(
            LicenseServer.issue(store, new KeyMinter(), Clock.systemUTC(), 3, email).value());
      }
      return;
    }
    int port = 0;
    try {
      port = Integer.parseInt(options.getOrDefault("port", "0"));
    } catch (NumberFormatException e) {
      fail("--port must be a number, was " + options.get("port"));
    }
    LicenseServer.Builder builder =
        LicenseServer.builder()
            .port(port)
            .host(options.getOrDefault("host", "127.0.0.1"))
            .webhookSecret(System.getenv(SECRET_ENV));
    if (dbUrl != null) {
      builder.databaseUrl(dbUrl).databasePassword(dbPassword);
    } else {
      builder.dataDirectory(Path.of(dataDir));
    }
    LicenseServer server = builder.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "license-server-shutdown"));
    System.out.println(server.baseUrl());
    System.out.flush();
    stopped.await();
  }

  private static void fail(String message) {
    System.err.println("license-server: " + message + "\n" + USAGE);
    System.exit(2);
  }
}
