package io.openavathar.examples.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.AvatarStudio;
import io.openavathar.GenerationRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobRunnerTest {
  @TempDir Path dir;

  @Test
  void theExitHook_closesTheStudio_andCloseAfterItIsHarmless() {
    AvatarStudio studio = AvatarStudio.builder().dataDirectory(dir).resumeOnStart(false)
        .comfyUrls(URI.create("http://127.0.0.1:9")).build();
    PrintWriter nowhere = new PrintWriter(new StringWriter());
    JobRunner runner = JobRunner.open(studio, nowhere, nowhere);

    runner.exit(); // what Ctrl+C runs

    GenerationRequest request = GenerationRequest.builder().image(dir.resolve("a.png")).audio(dir.resolve("a.wav"))
        .build();
    assertThatThrownBy(() -> studio.generate(request)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    runner.close();
  }
}
