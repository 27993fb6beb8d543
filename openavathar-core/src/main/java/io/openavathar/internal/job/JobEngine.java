package io.openavathar.internal.job;

import io.openavathar.GenerationJob;
import io.openavathar.GenerationRequest;
import io.openavathar.InvalidInputException;
import io.openavathar.JobListener;
import io.openavathar.OpenAvatharException;
import io.openavathar.Orientation;
import io.openavathar.comfy.PromptTracker;
import io.openavathar.media.AudioInfo;
import io.openavathar.media.ImageInfo;
import io.openavathar.media.MediaProbe;
import io.openavathar.pod.PodManager;
import io.openavathar.store.StudioStore;
import io.openavathar.workflow.WorkflowTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts requests, checks them, and runs them on a {@link GenerationBackend}. Requests are checked on the caller's
 * thread (so bad input throws from {@code generate}, before anything is uploaded); everything after runs on SDK
 * threads.
 */
public final class JobEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JobEngine.class);
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  /** Everything the engine needs, resolved by the studio's builder. */
  public record Settings(
      PodManager pods,
      WorkflowTemplate template,
      MediaProbe mediaProbe,
      int maxFrames,
      Path outputDirectory,
      PromptTracker.Options trackerOptions,
      JobListener listener,
      StudioStore store,
      Clock clock) {}

  private final Settings settings;
  private final GenerationBackend backend;
  private final Map<String, DefaultGenerationJob> active = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private JobEngine(Settings settings, GenerationBackend backend) {
    this.settings = settings;
    this.backend = backend;
  }

  /** An engine running jobs on ComfyUI pods from {@code settings.podProvider()}. */
  public static JobEngine create(Settings settings) {
    String clientId = "openavathar-" + UUID.randomUUID();
    PodPool pool = new PodPool(settings.pods(), clientId);
    return new JobEngine(settings,
        new ComfyPodBackend(pool, settings.template(), settings.trackerOptions(), clientId, settings.store(),
            settings.clock()));
  }

  /**
   * Checks the request and starts it.
   *
   * @throws InvalidInputException if an input file or option cannot be used; nothing was uploaded
   */
  public GenerationJob submit(GenerationRequest request) {
    if (closed) {
      throw new IllegalStateException("this AvatarStudio is closed; build a new one");
    }
    PreparedJob prepared = prepare(request);
    DefaultGenerationJob job =
        new DefaultGenerationJob(prepared, settings.listener(), settings.store(), settings.clock());
    active.put(job.id(), job);
    log.debug("Job accepted [job={}, frames={}, windows={}, seed={}]",
        job.id(), prepared.frames(), prepared.windows(), prepared.seed());
    try {
      backend.run(prepared, job).whenComplete((video, failure) -> {
        active.remove(job.id());
        if (failure == null) {
          job.complete(video);
        } else {
          job.fail(failure);
        }
      });
    } catch (RuntimeException e) {
      active.remove(job.id());
      job.fail(e);
    }
    return job;
  }

  PreparedJob prepare(GenerationRequest request) {
    ImageInfo image = settings.mediaProbe().probeImage(request.image());
    AudioInfo audio = settings.mediaProbe().probeAudio(request.audio());
    WorkflowTemplate template = settings.template();
    int fps = template.fps();
    long millis = audio.duration().toMillis();
    long frames = (millis * fps + 999) / 1000;
    int cap = request.maxFrames().orElse(settings.maxFrames());
    if (frames > cap) {
      throw new InvalidInputException(String.format(java.util.Locale.ROOT,
          "Audio '%s' is %.1f s long, which needs %d frames at %d fps; the limit is %d frames (%.1f s). "
              + "Shorten the audio or raise the limit with maxFrames(%d).",
          request.audio().getFileName(), millis / 1000.0, frames, fps, cap, cap / (double) fps, frames));
    }
    Orientation orientation = request.orientation().resolve(image.width(), image.height());
    String id = UUID.randomUUID().toString();
    long seed = request.seed().orElseGet(() -> ThreadLocalRandom.current().nextLong(1L << 53));
    Instant now = settings.clock().instant();
    Path output = request.outputFile().orElseGet(() -> settings.outputDirectory()
        .resolve("avatar-" + FILE_TIME.format(now) + "-" + id.substring(0, 8) + ".mp4"));
    ensureWritableDirectory(output.toAbsolutePath().getParent());
    return new PreparedJob(id, request, image, audio, orientation, (int) frames,
        template.windowsFor((int) frames), template.samplerSteps(), seed, "OpenAvathar/" + id, output, now);
  }

  private static void ensureWritableDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InvalidInputException(
          "Cannot create the output directory '" + dir + "': " + e + ". Choose another output location.", e);
    }
    if (!Files.isWritable(dir)) {
      throw new InvalidInputException(
          "The output directory '" + dir + "' is not writable. Choose another output location.");
    }
  }

  /** Jobs not yet ended. */
  public int activeJobs() {
    return active.size();
  }

  /**
   * Stops the engine: jobs still running fail with a message saying the studio was closed (their prompts keep
   * running on ComfyUI), event streams and clients close.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (DefaultGenerationJob job : active.values()) {
      job.fail(new OpenAvatharException("The AvatarStudio was closed while job " + job.id() + " was "
          + job.state() + "; its prompt may still finish on the server."));
    }
    active.clear();
    backend.close();
  }
}
