package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.postgres.PostgresDatabase;
import io.openavathar.testkit.postgres.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --store-url on the commands that open the studio store, and {@code store copy-to}. */
class StoreCliTest {
  @TempDir Path dir;
  ComfyUiSimulator sim;

  @BeforeEach
  void setUp() {
    sim = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
  }

  @AfterEach
  void tearDown() {
    sim.close();
  }

  /** A new PostgreSQL database's URL, password included (tests cannot set the environment). */
  static String postgresUrl() {
    PostgresDatabase db = PostgresServer.shared().createDatabase("cli_store");
    return db.jdbcUrlWithUser() + "&password=" + db.password();
  }

  @Test
  void copyTo_movesTheQueueIntoPostgres_whereJobsRunFromTheStoreUrl() throws Exception {
    String data = dir.resolve("data").toString();
    Path target = dir.resolve("v.mp4");
    CliRun queued =
        CliRun.of(
            "generate",
            "--detach",
            "--image",
            CliRun.copy(DemoCommand.PORTRAIT, dir.resolve("me.png")).toString(),
            "--audio",
            CliRun.copy(DemoCommand.SPEECH, dir.resolve("me.wav")).toString(),
            "--out",
            target.toString(),
            "--data-dir",
            data);
    assertThat(queued.code()).as(queued.err()).isZero();
    String id = queued.out().trim();
    String url = postgresUrl();

    CliRun copied = CliRun.of("store", "copy-to", url, "--data-dir", data);
    assertThat(copied.code()).as(copied.err()).isZero();
    assertThat(copied.out())
        .contains("jobs: 1 rows copied", "--store-url")
        .doesNotContain(url.substring(url.indexOf("password=")));

    String elsewhere = dir.resolve("elsewhere").toString();
    assertThat(CliRun.of("jobs", "list", "--store-url", url, "--data-dir", elsewhere).out())
        .contains(id, "QUEUED");
    CliRun ran =
        CliRun.of(
            "jobs",
            "run",
            "--comfy-url",
            sim.baseUrl().toString(),
            "--store-url",
            url,
            "--data-dir",
            elsewhere);
    assertThat(ran.code()).as(ran.err()).isZero();
    assertThat(target).exists();
    assertThat(CliRun.of("jobs", "show", id, "--store-url", url, "--data-dir", elsewhere).out())
        .contains("state:    COMPLETED");
    assertThat(Path.of(elsewhere, "studio.db")).doesNotExist();

    CliRun again = CliRun.of("store", "copy-to", url, "--data-dir", data);
    assertThat(again.code()).isNotZero();
    assertThat(again.err()).contains("is not empty");
  }

  @Test
  void aStoreUrlThatIsNoDatabase_isAUsageError_namingTheFlag_withThePasswordMasked() {
    CliRun r =
        CliRun.of(
            "jobs",
            "list",
            "--store-url",
            "jdbc:mysql://db.example/studio?user=a&password=hunter2",
            "--data-dir",
            dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("--store-url (or OPENAVATHAR_STORE_URL)")
        .contains("password=***")
        .doesNotContain("hunter2");
  }

  @Test
  void aWrongPassword_saysSo_withoutShowingIt() {
    PostgresDatabase db = PostgresServer.shared().createDatabase("cli_store");
    String url = db.jdbcUrlWithUser() + "&password=not-the-password-42";
    CliRun r = CliRun.of("videos", "list", "--store-url", url, "--data-dir", dir.toString());
    assertThat(r.code()).isNotZero();
    assertThat(r.err())
        .contains("refused the login", "OPENAVATHAR_STORE_PASSWORD")
        .doesNotContain("not-the-password-42");
  }

  @Test
  void anUnreachableDatabase_isExitCode6_namingTheFlag() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/studio?user=s&password=pw-77";
    CliRun r = CliRun.of("jobs", "list", "--store-url", url, "--data-dir", dir.toString());
    assertThat(r.code()).isEqualTo(6);
    assertThat(r.err())
        .contains("running and reachable", "--store-url (or OPENAVATHAR_STORE_URL)")
        .doesNotContain("pw-77");
  }

  @Test
  void copyTo_withoutAStudioDb_saysWhichDataDirectory() {
    CliRun r = CliRun.of("store", "copy-to", postgresUrl(), "--data-dir", dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no studio.db in " + dir, "--data-dir");
  }
}
