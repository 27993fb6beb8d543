package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --out} is checked before anything is uploaded, and {@code jobs retry --out} writes
 * elsewhere.
 */
class OutOptionCliTest {
  @TempDir Path dir;
  ComfyUiSimulator sim;
  CliRun last;
  Path image;
  Path audio;
  String data;

  @BeforeEach
  void setUp() {
    sim = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
    image = CliRun.copy(DemoCommand.PORTRAIT, dir.resolve("me.png"));
    audio = CliRun.copy(DemoCommand.SPEECH, dir.resolve("me.wav"));
    data = dir.resolve("data").toString();
  }

  @AfterEach
  void tearDown() {
    sim.close();
  }

  int run(String... args) {
    last = CliRun.of(args);
    return last.code();
  }

  String out() {
    return last.out();
  }

  String err() {
    return last.err();
  }

  @Test
  void generate_whenOutIsAnExistingDirectory_exits2AtOnce_namingOut_andUploadsNothing()
      throws Exception {
    Path folder = Files.createDirectory(dir.resolve("videos"));

    int code =
        run(
            "generate",
            "--comfy-url",
            sim.baseUrl().toString(),
            "--image",
            image.toString(),
            "--audio",
            audio.toString(),
            "--out",
            folder.toString(),
            "--data-dir",
            data);

    assertThat(code).as(err()).isEqualTo(2);
    String firstLine = err().lines().findFirst().orElseThrow();
    assertThat(firstLine)
        .isEqualTo(
            "openavathar: --out: Output file '"
                + folder.toAbsolutePath()
                + "' is an "
                + "existing directory. Choose another output file, such as "
                + folder.toAbsolutePath().resolve("video.mp4")
                + ".");
    assertThat(sim.uploadCount()).isZero();
    assertThat(sim.promptIdsSeen()).isEmpty();
  }

  @Test
  void generateDetach_whenOutSitsUnderAFile_exits2_andQueuesNothing() throws Exception {
    Path notes = Files.writeString(dir.resolve("notes.txt"), "a file");

    int code =
        run(
            "generate",
            "--detach",
            "--image",
            image.toString(),
            "--audio",
            audio.toString(),
            "--out",
            notes.resolve("v.mp4").toString(),
            "--data-dir",
            data);

    assertThat(code).isEqualTo(2);
    assertThat(err())
        .startsWith("openavathar: --out: Output file '")
        .contains("is a file, not a directory");
    assertThat(run("jobs", "list", "--json", "--data-dir", data)).isZero();
    assertThat(out().trim()).isEqualTo("[ ]");
  }

  @Test
  void generate_whenImageHasAProblem_namesImage() throws Exception {
    int code =
        run(
            "generate",
            "--comfy-url",
            sim.baseUrl().toString(),
            "--image",
            dir.resolve("nope.png").toString(),
            "--audio",
            audio.toString(),
            "--data-dir",
            data);

    assertThat(code).isEqualTo(2);
    assertThat(err()).startsWith("openavathar: --image: Image 'nope.png' does not exist");
  }

  @Test
  void jobsRetry_withOut_writesThere_andABadOutIsRefusedBeforeAnyUpload() throws Exception {
    sim.failNextExecution("22", "RuntimeException", "boom");
    assertThat(
            run(
                "generate",
                "--comfy-url",
                sim.baseUrl().toString(),
                "--image",
                image.toString(),
                "--audio",
                audio.toString(),
                "--out",
                dir.resolve("a.mp4").toString(),
                "--data-dir",
                data))
        .isEqualTo(1);
    assertThat(run("jobs", "list", "--state", "FAILED", "--json", "--data-dir", data)).isZero();
    String id = out().replaceAll("(?s).*\"id\" : \"([^\"]+)\".*", "$1");
    int uploads = sim.uploadCount();
    Path folder = Files.createDirectory(dir.resolve("videos"));

    assertThat(
            run(
                "jobs",
                "retry",
                id,
                "--out",
                folder.toString(),
                "--comfy-url",
                sim.baseUrl().toString(),
                "--data-dir",
                data))
        .isEqualTo(2);
    assertThat(err())
        .startsWith("openavathar: --out: Output file '")
        .contains("is an existing directory");
    assertThat(sim.uploadCount()).isEqualTo(uploads);

    Path elsewhere = dir.resolve("b.mp4");
    assertThat(
            run(
                "jobs",
                "retry",
                id,
                "--out",
                elsewhere.toString(),
                "--comfy-url",
                sim.baseUrl().toString(),
                "--data-dir",
                data))
        .as(err())
        .isZero();
    assertThat(elsewhere).exists();
    assertThat(dir.resolve("a.mp4")).doesNotExist();
    assertThat(out()).contains(elsewhere.toAbsolutePath().toString());
  }

  @Test
  void generate_whenAFileNameCannotBeEncoded_saysWhyAndWhatToDo() {
    // An unpaired surrogate is not encodable in UTF-8 either: what LANG=C does to "café.png".
    int code =
        run(
            "generate",
            "--comfy-url",
            sim.baseUrl().toString(),
            "--image",
            "caf\uD800.png",
            "--audio",
            audio.toString(),
            "--data-dir",
            data);

    assertThat(code).isEqualTo(2);
    assertThat(err())
        .contains(
            "Invalid value for option '--image': 'caf\uD800.png' cannot be a file name in this "
                + "Java (Malformed input or input contains unmappable characters; its file name encoding, "
                + "sun.jnu.encoding, is UTF-8). Rename the file.");
  }
}
