package io.openavathar.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.AvatarStudio;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationRequest;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodLogLine;
import io.openavathar.pod.PodLogListener;
import io.openavathar.pod.PodLogStream;
import io.openavathar.pod.PodSpec;
import io.openavathar.runpod.RunPodPodProvider;
import io.openavathar.testkit.comfy.ComfyUiSimulator;
import io.openavathar.testkit.runpod.RunPodSimulator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK on the OkHttp and Okio this test run's classpath holds (the pom runs it once per
 * combination an app may have: as shipped, OkHttp 4.12 with Okio 3.6, OkHttp 5): a generate, a pod
 * start and a pod log stream, with no error on any thread (OkHttp's dispatcher and SSE threads
 * rethrow what they cannot handle, e.g. a NoSuchMethodError from a mismatched Okio, to the
 * uncaught-exception handler, where the SDK would never see it).
 */
class OkHttpCompatibilityTest {
  private static final String KEY = "rpa_COMPAT0123456789ABCDEFGHIJ";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final List<String> threadDeaths = new CopyOnWriteArrayList<>();
  private static Thread.UncaughtExceptionHandler previous;

  @TempDir Path dir;

  @BeforeAll
  static void watchThreadDeaths() {
    previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> threadDeaths.add(thread.getName() + ": " + e));
  }

  @AfterAll
  static void noThreadDied() {
    Thread.setDefaultUncaughtExceptionHandler(previous);
    assertThat(threadDeaths).as("uncaught errors on SDK or OkHttp threads").isEmpty();
  }

  @Test
  void classpath_holdsExactlyTheOkHttpOkioAndKotlinOfThisRun() throws Exception {
    // Read at run time: javac would inline the compile-time constant OkHttp.VERSION.
    assertThat(okhttp3.OkHttp.class.getField("VERSION").get(null))
        .isEqualTo(System.getProperty("compat.okhttp"));
    ClassLoader loader = getClass().getClassLoader();
    assertThat(Collections.list(loader.getResources("okhttp3/OkHttpClient.class")))
        .as("copies of OkHttp")
        .hasSize(1);
    assertThat(Collections.list(loader.getResources("okio/Buffer.class")))
        .as("copies of Okio")
        .hasSize(1);
    assertThat(okio.Buffer.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .contains("/" + System.getProperty("compat.okio") + "/");
    assertThat(Collections.list(loader.getResources("kotlin/KotlinVersion.class")))
        .as("copies of Kotlin")
        .hasSize(1);
    assertThat(loader.loadClass("kotlin.KotlinVersion").getField("CURRENT").get(null).toString())
        .isEqualTo(System.getProperty("compat.kotlin"));
  }

  @Test
  void generate_againstTheComfyUiSimulator_savesTheVideo() throws Exception {
    try (ComfyUiSimulator comfy = ComfyUiSimulator.builder().stepDelay(Duration.ZERO).start();
        AvatarStudio studio =
            AvatarStudio.builder()
                .comfyUrls(comfy.baseUrl())
                .outputDirectory(dir.resolve("out"))
                .build()) {
      GeneratedVideo video = studio.generate(request()).await(WAIT);

      assertThat(video.file()).isNotEmptyFile();
    }
    assertThat(threadDeaths).isEmpty();
  }

  @Test
  void podStart_andItsLogStream_onTheRunPodSimulator() throws Exception {
    try (RunPodSimulator runpod =
            RunPodSimulator.builder()
                .apiKey(KEY)
                .provisioningDelay(Duration.ofMillis(20))
                .startingDelay(Duration.ofMillis(20))
                .runtimeDelay(Duration.ofMillis(20))
                .comfyReadyDelay(Duration.ofMillis(20))
                .start();
        RunPodPodProvider provider =
            RunPodPodProvider.builder()
                .apiKey(KEY)
                .apiUrl(runpod.apiUrl())
                .proxyUrlPattern(runpod.proxyUrlPattern())
                .initialBackoff(Duration.ofMillis(10))
                .build()) {
      Pod pod = provider.deploy(PodSpec.builder().build()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(runpod.pods())
          .singleElement()
          .satisfies(p -> assertThat(p.id()).isEqualTo(pod.id()));

      CompletableFuture<PodLogLine> firstLine = new CompletableFuture<>();
      CompletableFuture<Throwable> closed = new CompletableFuture<>();
      PodLogStream logs =
          provider.streamLogs(
              pod.id(),
              true,
              new PodLogListener() {
                @Override
                public void onLine(PodLogLine line) {
                  firstLine.complete(line);
                }

                @Override
                public void onClosed(Throwable failureOrNull) {
                  closed.complete(failureOrNull);
                }
              });
      assertThat(firstLine.get(WAIT.toSeconds(), TimeUnit.SECONDS).line()).isNotBlank();
      logs.close(); // cancels the SSE call: where OkHttp 5 on an old Okio died (Timeout.cancel())
      assertThat(closed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNull();

      provider.terminate(pod.id()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    assertThat(threadDeaths).isEmpty();
  }

  private GenerationRequest request() throws Exception {
    Path image = dir.resolve("face.png");
    ImageIO.write(new BufferedImage(512, 768, BufferedImage.TYPE_INT_RGB), "png", image.toFile());
    Path audio = dir.resolve("speech.wav");
    byte[] pcm = new byte[16_000 * 2];
    AudioFormat format = new AudioFormat(16_000, 16, 1, true, false);
    AudioSystem.write(
        new AudioInputStream(new ByteArrayInputStream(pcm), format, pcm.length / 2),
        AudioFileFormat.Type.WAVE,
        audio.toFile());
    return GenerationRequest.builder().image(image).audio(audio).build();
  }
}
