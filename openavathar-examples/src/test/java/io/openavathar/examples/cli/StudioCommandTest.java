package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.studio.StudioServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code openavathar studio}: starts the web app on 127.0.0.1, prints the login address, stops
 * cleanly.
 */
class StudioCommandTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  Run run(java.util.function.Consumer<StudioServer> whileRunning, String... args) {
    CommandLine cli = Main.commandLine();
    ((StudioCommand) cli.getSubcommands().get("studio").getCommand()).whileRunning = whileRunning;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(cli, args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void demo_runsOnSimulators_printsTheLoginAddress_andTheAddressLogsIn() {
    AtomicReference<Integer> launchStatus = new AtomicReference<>();
    AtomicReference<Integer> bareStatus = new AtomicReference<>();
    AtomicReference<URI> launch = new AtomicReference<>();
    Run r =
        run(
            server -> {
              assertThat(server.simulated()).isTrue();
              launch.set(server.launchUrl());
              launchStatus.set(status(server.launchUrl()));
              bareStatus.set(status(server.baseUrl()));
            },
            "studio",
            "--demo",
            "--no-browser",
            "--port",
            "0",
            "--data-dir",
            dir.resolve("data").toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("DEMO: RunPod, ComfyUI and the license server are SIMULATED")
        .contains("  " + launch.get())
        .contains("Press Ctrl+C to stop.")
        .endsWith("Studio stopped." + System.lineSeparator());
    assertThat(launch.get().getHost()).isEqualTo("127.0.0.1");
    assertThat(launchStatus.get()).isEqualTo(302); // the token becomes a cookie
    assertThat(bareStatus.get()).isEqualTo(403); // nothing without it
    assertThat(Files.exists(dir.resolve("data/demo-license-server"))).isTrue();
  }

  @Test
  void aStoreUrl_keepsTheStudiosJobsInThatDatabase_andABadOneStopsTheStart() throws Exception {
    io.openavathar.testkit.postgres.PostgresDatabase db =
        io.openavathar.testkit.postgres.PostgresServer.shared().createDatabase("studio_cli");
    String url = db.jdbcUrlWithUser() + "&password=" + db.password();
    Run r =
        run(
            server -> {},
            "studio",
            "--demo",
            "--no-browser",
            "--port",
            "0",
            "--store-url",
            url,
            "--data-dir",
            dir.resolve("data").toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(dir.resolve("data/studio.db")).doesNotExist();
    try (java.sql.Connection c = db.connect();
        java.sql.ResultSet rs =
            c.createStatement().executeQuery("SELECT count(*) FROM studio_schema_history")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).as("migrations applied by the studio").isPositive();
    }

    Run bad =
        run(
            server -> {},
            "studio",
            "--no-browser",
            "--port",
            "0",
            "--store-url",
            "postgres://db.example/studio?password=hunter2",
            "--data-dir",
            dir.resolve("data").toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--store-url").doesNotContain("hunter2");
  }

  @Test
  void aTakenPort_isOneLineSayingWhatToDo() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Run r =
          run(
              server -> {},
              "studio",
              "--no-browser",
              "--port",
              String.valueOf(taken.getLocalPort()),
              "--data-dir",
              dir.resolve("data").toString());
      assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
      assertThat(r.err()).contains("--port").hasLineCount(1);
    }
  }

  static int status(URI url) {
    try {
      return HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
