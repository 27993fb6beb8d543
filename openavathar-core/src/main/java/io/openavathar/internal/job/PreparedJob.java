package io.openavathar.internal.job;

import io.openavathar.GenerationRequest;
import io.openavathar.Orientation;
import io.openavathar.media.AudioInfo;
import io.openavathar.media.ImageInfo;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A request after its inputs were checked and every derived value fixed: size, frames, windows, seed, output
 * prefix and file. Everything a backend needs, decided before anything is uploaded.
 */
public record PreparedJob(
    String id,
    GenerationRequest request,
    ImageInfo image,
    AudioInfo audio,
    Orientation orientation,
    int frames,
    int windows,
    int steps,
    long seed,
    String outputPrefix,
    Path outputFile,
    Instant createdAt) {

  public int width() {
    return orientation.width();
  }

  public int height() {
    return orientation.height();
  }
}
