package io.openavathar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.openavathar.media.MediaProbe;
import io.openavathar.store.JobQuery;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What would waste a paid GPU is refused when the job is submitted: nothing uploaded, no job
 * recorded.
 */
class StudioOutputCheckTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  ComfyUiSimulator sim;
  AvatarStudio studio;
  Path portrait;
  Path speech;

  @BeforeEach
  void setUp() {
    sim = ComfyUiSimulator.builder().stepDelay(Duration.ofMillis(1)).start();
    studio =
        AvatarStudio.builder()
            .dataDirectory(dir.resolve("data"))
            .outputDirectory(dir.resolve("out"))
            .trackerOptions(AvatarStudioTest.FAST_POLLS)
            .mediaProbe(MediaProbe.builder().maxImagePixels(600 * 800).build())
            .comfyUrls(sim.baseUrl())
            .build();
    portrait = Inputs.png(dir, "portrait.png", 512, 768);
    speech = Inputs.wav(dir, "speech.wav", 2.0);
  }

  @AfterEach
  void tearDown() {
    studio.close();
    sim.close();
  }

  GenerationRequest.Builder request() {
    return GenerationRequest.builder().image(portrait).audio(speech);
  }

  @Test
  void generate_whenOutputFileIsAnExistingDirectory_refusesBeforeAnyUpload() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("videos"));

    assertThatThrownBy(() -> studio.generate(request().outputFile(folder).build()))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.setting()).contains(Setting.OUTPUT_FILE))
        .hasMessage(
            "Output file '"
                + folder.toAbsolutePath()
                + "' is an existing directory. Choose another output "
                + "file, such as "
                + folder.toAbsolutePath().resolve("video.mp4")
                + ".");
    assertNothingSpent();
  }

  @Test
  void generate_whenOutputFileSitsUnderARegularFile_refusesBeforeAnyUpload() throws Exception {
    Path notes = Files.writeString(dir.resolve("notes.txt"), "not a directory");
    Path under = notes.resolve("sub").resolve("video.mp4");

    assertThatThrownBy(() -> studio.generate(request().outputFile(under).build()))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.setting()).contains(Setting.OUTPUT_FILE))
        .hasMessage(
            "Output file '"
                + under.toAbsolutePath()
                + "' cannot be created: '"
                + notes.toAbsolutePath()
                + "' is a file, not a directory. Choose another output file.");
    assertNothingSpent();
  }

  @Test
  void generate_whenOutputDirectoryIsNotWritable_refusesBeforeAnyUpload() {
    // Nothing can be created in /proc/self, not even by root (who may write into a chmod 555
    // directory).
    Path proc = Path.of("/proc/self");
    assumeTrue(Files.isDirectory(proc), "no /proc here");
    Path target = proc.resolve("video.mp4");

    assertThatThrownBy(() -> studio.generate(request().outputFile(target).build()))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.setting()).contains(Setting.OUTPUT_FILE))
        .hasMessageStartingWith(
            "Output file '"
                + target
                + "' cannot be written: the directory '"
                + proc
                + "' is not writable (")
        .hasMessageEndingWith("Choose another output file.");
    assertNothingSpent();
  }

  @Test
  void generate_whenOutputFileIsADevice_refusesRatherThanReplaceIt() {
    Path devNull = Path.of("/dev/null");
    assumeTrue(Files.exists(devNull), "no /dev/null here");

    assertThatThrownBy(() -> studio.generate(request().outputFile(devNull).build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Output file '/dev/null' exists and is not a regular file");
    assertNothingSpent();
  }

  @Test
  void enqueue_checksTheOutputFileToo() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("videos"));

    assertThatThrownBy(() -> studio.jobs().enqueue(request().outputFile(folder).build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is an existing directory");
    assertNothingSpent();
  }

  @Test
  void generate_whenImageDeclaresTooManyPixels_refusesBeforeAnyUpload() {
    Path big = Inputs.png(dir, "big.png", 800, 601);

    assertThatThrownBy(() -> studio.generate(request().image(big).build()))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.setting()).contains(Setting.IMAGE))
        .hasMessageStartingWith(
            "Image 'big.png' is 800x601 px (0.5 megapixels); the limit is 0.5 megapixels.");
    assertNothingSpent();
  }

  @Test
  void retry_withAnotherOutputFile_writesTheVideoThere() {
    sim.failNextExecution("22", "RuntimeException", "boom");
    GenerationJob failed = studio.generate(request().outputFile(dir.resolve("first.mp4")).build());
    assertThatThrownBy(() -> failed.await(WAIT)).isInstanceOf(GenerationFailedException.class);
    Path second = dir.resolve("elsewhere").resolve("second.mp4");

    GeneratedVideo video = studio.jobs().retry(failed.id(), second).await(WAIT);

    assertThat(video.file()).isEqualTo(second);
    assertThat(second).exists();
    assertThat(dir.resolve("first.mp4")).doesNotExist();
    assertThat(video.seed()).isEqualTo(studio.jobs().get(failed.id()).orElseThrow().seed());
  }

  @Test
  void retry_withAnOutputFileThatCannotBeWritten_refusesBeforeAnyUpload() throws Exception {
    sim.failNextExecution("22", "RuntimeException", "boom");
    GenerationJob failed = studio.generate(request().build());
    assertThatThrownBy(() -> failed.await(WAIT)).isInstanceOf(GenerationFailedException.class);
    int uploads = sim.uploadCount();
    Path folder = Files.createDirectory(dir.resolve("videos"));

    assertThatThrownBy(() -> studio.jobs().retry(failed.id(), folder))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is an existing directory");
    assertThat(sim.uploadCount()).isEqualTo(uploads);
    assertThat(studio.jobs().list(JobQuery.newest(10))).hasSize(1);
  }

  private void assertNothingSpent() {
    assertThat(sim.uploadCount()).as("uploads").isZero();
    assertThat(sim.promptIdsSeen()).as("prompts").isEmpty();
    assertThat(studio.jobs().list(JobQuery.newest(10))).as("jobs recorded").isEmpty();
  }
}
