package io.openavathar.internal.job;

import io.openavathar.GenerationRequest;
import io.openavathar.Orientation;
import io.openavathar.media.AudioInfo;
import io.openavathar.media.ImageInfo;
import io.openavathar.workflow.WorkflowTemplate;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A request after its inputs were checked and every derived value fixed: size, frames, windows,
 * seed, output prefix and file, and the workflow it runs (the request's, else the studio's).
 * Everything a backend needs, decided before anything is uploaded.
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
    Instant createdAt,
    WorkflowTemplate workflow) {

  public int width() {
    return orientation.width();
  }

  public int height() {
    return orientation.height();
  }
}
