package io.openavathar.testkit.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: a private cluster in a temporary directory, started from the
 * machine's PostgreSQL binaries (Debian's {@code postgresql} package) on a free loopback port, with
 * a random password. One cluster serves the whole JVM ({@link #shared()}); each test class or test
 * takes its own database ({@link #createDatabase}). The cluster is stopped and its directory
 * deleted when the JVM exits.
 *
 * <p>PostgreSQL refuses to run as root, so under root (as in CI) the cluster belongs to the {@code
 * postgres} OS user and its commands run through {@code runuser -u postgres --}. Durability is
 * switched off ({@code fsync=off}): the data is thrown away anyway, and start-up and writes are
 * fast.
 *
 * <p>Thread-safe.
 */
public final class PostgresServer {
  /** The cluster's superuser. */
  public static final String USER = "postgres";

  private static final long COMMAND_TIMEOUT_SECONDS = 60;
  private static final Object LOCK = new Object();
  private static PostgresServer shared;

  private final Path binaries;
  private final Path base;
  private final Path data;
  private final boolean asPostgresUser;
  private final String password;
  private final int port;
  private final AtomicInteger databases = new AtomicInteger();

  private PostgresServer(Path binaries) throws IOException {
    this.binaries = binaries;
    this.asPostgresUser = "root".equals(System.getProperty("user.name"));
    this.base = Files.createTempDirectory("openavathar-postgres-");
    this.data = base.resolve("data");
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    this.password = HexFormat.of().formatHex(secret);
    Path passwordFile = base.resolve("password");
    Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
    if (asPostgresUser) {
      UserPrincipal owner =
          FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(USER);
      Files.setOwner(base, owner);
      Files.setOwner(passwordFile, owner);
    }
    run(
        List.of(
            binaries.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            USER,
            "-E",
            "UTF8",
            "--locale=C",
            "--auth=scram-sha-256",
            "--pwfile=" + passwordFile,
            "--no-sync"));
    Files.delete(passwordFile);
    this.port = startOnFreePort();
  }

  /**
   * The JVM's cluster, started on first use (a few seconds) and stopped at JVM exit.
   *
   * @return the shared cluster
   * @throws IllegalStateException if PostgreSQL is not installed or does not start
   */
  public static PostgresServer shared() {
    synchronized (LOCK) {
      if (shared == null) {
        Path binaries =
            findBinaries()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "PostgreSQL is not"
                                + " installed: install Debian's postgresql package (apt-get install postgresql); the tests"
                                + " start their own server from its binaries."));
        try {
          PostgresServer server = new PostgresServer(binaries);
          Runtime.getRuntime()
              .addShutdownHook(new Thread(server::stop, "postgres-test-server-stop"));
          shared = server;
        } catch (IOException e) {
          throw new UncheckedIOException(
              "Could not prepare a PostgreSQL cluster for the tests: " + e.getMessage(), e);
        }
      }
      return shared;
    }
  }

  /**
   * The newest {@code /usr/lib/postgresql/<version>/bin}, else the directory of {@code initdb} on
   * the PATH.
   */
  static Optional<Path> findBinaries() {
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Optional<Path> newest =
            versions
                .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                .max(
                    Comparator.comparingDouble(
                        v -> Double.parseDouble(v.getFileName().toString())));
        if (newest.isPresent()) {
          return Optional.of(newest.get().resolve("bin"));
        }
      } catch (IOException e) {
        // fall through to the PATH
      }
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path bin = Path.of(dir);
      if (Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"))) {
        return Optional.of(bin);
      }
    }
    return Optional.empty();
  }

  private int startOnFreePort() throws IOException {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int candidate;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        candidate = socket.getLocalPort();
      }
      try {
        run(
            List.of(
                binaries.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-l",
                base.resolve("postgres.log").toString(),
                "-w",
                "-t",
                "30",
                "-o",
                "-p "
                    + candidate
                    + " -c listen_addresses=127.0.0.1 -c unix_socket_directories="
                    + base
                    + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                    + " -c max_connections=300 -c shared_buffers=64MB",
                "start"));
        return candidate;
      } catch (IllegalStateException e) {
        last = e; // most likely the port was taken in between; try another
      }
    }
    throw last;
  }

  /**
   * The port the cluster listens on (on 127.0.0.1).
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * The superuser's password (random per cluster).
   *
   * @return the password; keep it out of logs
   */
  public String password() {
    return password;
  }

  /**
   * A JDBC URL of a database on this cluster, without credentials.
   *
   * @param database the database's name
   * @return the URL, for example {@code jdbc:postgresql://127.0.0.1:5432/mydb}
   */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /**
   * Creates an empty database, named after {@code hint} and made unique.
   *
   * @param hint a readable part of the name, for example the test class's simple name
   * @return the new database
   */
  public PostgresDatabase createDatabase(String hint) {
    String clean = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    String name =
        "t" + databases.incrementAndGet() + "_" + clean.substring(0, Math.min(clean.length(), 40));
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, password);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not create test database " + name + ": " + e.getMessage(), e);
    }
    return new PostgresDatabase(name, jdbcUrl(name), USER, password);
  }

  private void stop() {
    try {
      run(
          List.of(
              binaries.resolve("pg_ctl").toString(),
              "-D",
              data.toString(),
              "-m",
              "immediate",
              "-w",
              "stop"));
    } catch (RuntimeException e) {
      System.err.println("Stopping the test PostgreSQL failed: " + e.getMessage());
    }
    try (Stream<Path> files = Files.walk(base)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("Could not delete " + base + ": " + e.getMessage());
    }
  }

  private void run(List<String> command) {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("runuser", "-u", USER, "--"));
    }
    full.addAll(command);
    try {
      Process process =
          new ProcessBuilder(full).directory(base.toFile()).redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " failed (exit "
                + process.exitValue()
                + "): "
                + new String(output, StandardCharsets.UTF_8).strip()
                + logTail());
      }
    } catch (IOException e) {
      throw new IllegalStateException("Could not run " + full.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + command.get(0), e);
    }
  }

  private String logTail() {
    Path log = base.resolve("postgres.log");
    try {
      if (Files.exists(log)) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return "\nserver log:\n"
            + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
      }
    } catch (IOException e) {
      // the exit status says enough
    }
    return "";
  }
}
