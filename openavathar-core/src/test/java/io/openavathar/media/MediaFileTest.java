package io.openavathar.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.openavathar.InvalidInputException;
import io.openavathar.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that exist but are not what a name on a command line usually is: pipes, devices, names Java
 * cannot spell.
 */
class MediaFileTest {
  private final MediaProbe probe = MediaProbe.create();

  @TempDir Path dir;

  @Test
  void probe_whenFifo_saysNotARegularFile_withoutOpeningIt() throws Exception {
    // Opening a FIFO for reading blocks until someone writes: the check must come before any open.
    Path fifo = dir.resolve("speech.wav");
    assumeTrue(run("mkfifo", fifo.toString()), "mkfifo is not available");

    assertThatThrownBy(() -> probe.probeAudio(fifo))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Audio 'speech.wav' is not a regular file ("
                + fifo.toAbsolutePath()
                + " is a device, a pipe or a "
                + "socket). Save the speech to a file and pass that.");
  }

  @Test
  void probe_whenDevice_saysNotARegularFile() {
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero), "no /dev/zero here");

    assertThatThrownBy(() -> probe.probeImage(zero))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(
            "Image 'zero' is not a regular file (/dev/zero is a device, a pipe or a socket).")
        .hasMessageEndingWith("Save the portrait to a file and pass that.");
  }

  @Test
  void probe_whenStdinIsNotAFile_saysNotARegularFile() {
    // Under Maven's test runner stdin is a pipe; from a terminal it is a device. Both are refused
    // at once.
    Path stdin = Path.of("/dev/stdin");
    assumeTrue(
        Files.exists(stdin) && !Files.isRegularFile(stdin),
        "stdin is a regular file (or absent) here");

    assertThatThrownBy(() -> probe.probeAudio(stdin))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Audio 'stdin' is not a regular file");
  }

  @Test
  void probe_givesTheRequestParameter_soThatToolsCanNameTheirOption() {
    assertThatThrownBy(() -> probe.probeImage(dir.resolve("nowhere.png")))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.setting()).contains(Setting.IMAGE));
    assertThatThrownBy(() -> probe.probeAudio(dir.resolve("nowhere.wav")))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.setting()).contains(Setting.AUDIO));
  }

  @Test
  void probe_whenNameIsNotValidUtf8_andGivenAsText_saysSoInsteadOfMissing() throws Exception {
    assumeTrue(
        StandardCharsets.UTF_8.name().equals(System.getProperty("sun.jnu.encoding")),
        "file names are not UTF-8 in this JVM");
    // "caf\xE9.png": Latin-1, not UTF-8. A command line hands Java the name with U+FFFD in place of
    // the byte.
    assumeTrue(
        run(
            "sh",
            "-c",
            "cp \"$0\" \"$(printf 'caf\\351.png')\"",
            TestMedia.png(dir, "source.png", 300, 400).toString()),
        "no sh here");
    Path asText = dir.resolve("caf\uFFFD.png");

    assertThat(Files.exists(asText)).isFalse();
    assertThatThrownBy(() -> probe.probeImage(asText))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Image 'caf\uFFFD.png' cannot be opened by its name: the name has bytes that are not valid UTF-8, "
                + "this Java's file name encoding (sun.jnu.encoding), so they are lost as text. Rename the file to a name "
                + "in UTF-8.");
  }

  @Test
  void probe_whenNameIsNotValidUtf8_andListedFromItsDirectory_saysSoInsteadOfUnreadable()
      throws Exception {
    assumeTrue(
        run(
            "sh",
            "-c",
            "cp \"$0\" \"$(printf 'caf\\351.png')\"",
            TestMedia.png(dir, "source.png", 300, 400).toString()),
        "no sh here");
    Path listed;
    try (Stream<Path> files = Files.list(dir)) {
      listed =
          files
              .filter(p -> !p.getFileName().toString().equals("source.png"))
              .findFirst()
              .orElseThrow();
    }

    assertThat(Files.exists(listed)).isTrue();
    assertThatThrownBy(() -> probe.probeImage(listed))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(
            "cannot be opened by its name: the name has bytes that are not valid");
  }

  @Test
  void probe_whenNameHasAReplacementCharacterButNoSuchFileExists_saysMissing() {
    assertThatThrownBy(() -> probe.probeImage(dir.resolve("caf\uFFFD.png")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("does not exist");
  }

  /** Runs a command in {@link #dir}; false if it cannot run or fails. */
  private boolean run(String... command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).inheritIO().start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
