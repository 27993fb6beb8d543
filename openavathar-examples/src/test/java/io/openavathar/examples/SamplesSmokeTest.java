package io.openavathar.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every sample program runs against the testkit, so the samples in the docs keep compiling and working. */
class SamplesSmokeTest {
  private static String runMain(ThrowingMain main) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @FunctionalInterface
  interface ThrowingMain {
    void run() throws Exception;
  }

  private static void deleteVideo(String output) throws Exception {
    Matcher m = Pattern.compile("Video: (\\S+\\.mp4)").matcher(output);
    assertThat(m.find()).as(output).isTrue();
    Path video = Path.of(m.group(1));
    assertThat(video).exists();
    Files.delete(video);
  }

  @Test
  void quickStart_runsOnTheSimulator() throws Exception {
    String out = runMain(() -> QuickStart.main(new String[0]));
    assertThat(out).contains("simulated", "Generating window");
    deleteVideo(out);
  }

  @Test
  void runPodAutoStart_startsAPodOnTheSimulator() throws Exception {
    String out = runMain(() -> RunPodAutoStart.main(new String[0]));
    assertThat(out).contains("Requesting GPU pod", "Pod is ready", "on pod");
    deleteVideo(out);
  }
}
