package io.openavathar.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The bundled sample portrait and speech clip (made by us: tools/make-sample-media.sh), copied to a directory. */
public final class Samples {
  private Samples() {}

  public static Path portrait(Path dir) throws IOException {
    return copy("/io/openavathar/examples/sample-portrait.png", dir.resolve("sample-portrait.png"));
  }

  public static Path speech(Path dir) throws IOException {
    return copy("/io/openavathar/examples/sample-speech.wav", dir.resolve("sample-speech.wav"));
  }

  private static Path copy(String resource, Path target) throws IOException {
    try (InputStream in = Samples.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the bundled sample " + resource + " is missing from the classpath");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }
}
