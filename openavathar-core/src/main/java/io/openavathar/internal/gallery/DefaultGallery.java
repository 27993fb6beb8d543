package io.openavathar.internal.gallery;

import io.openavathar.GeneratedVideo;
import io.openavathar.InvalidInputException;
import io.openavathar.OpenAvatharException;
import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.comfy.OutputFile;
import io.openavathar.comfy.TransferListener;
import io.openavathar.gallery.Gallery;
import io.openavathar.internal.pod.DefaultPodManager;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodStatus;
import io.openavathar.store.StudioStore;
import io.openavathar.store.VideoRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The studio's {@link Gallery}: videos in the store, files on disk, and pods to download from
 * again.
 */
public final class DefaultGallery implements Gallery {
  private static final Logger log = LoggerFactory.getLogger(Gallery.class);

  private final StudioStore store;
  private final DefaultPodManager pods;
  private final Clock clock;
  private final Path outputDirectory;
  private final Map<String, CompletableFuture<Path>> restoring = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<List<GeneratedVideo>>> importing =
      new ConcurrentHashMap<>();

  /**
   * A gallery over the studio's store and pods; imported videos are written to {@code
   * outputDirectory} (created when needed). Built by the studio; use {@code AvatarStudio.videos()}.
   */
  public DefaultGallery(
      StudioStore store, DefaultPodManager pods, Clock clock, Path outputDirectory) {
    this.store = Objects.requireNonNull(store, "store");
    this.pods = Objects.requireNonNull(pods, "pods");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.outputDirectory = Objects.requireNonNull(outputDirectory, "outputDirectory");
  }

  /**
   * One page of videos, newest first.
   *
   * @param offset videos to skip, 0 or more
   * @param limit most videos to return, 1 to 1000
   */
  public List<GeneratedVideo> list(int offset, int limit) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be 0 or more, was " + offset);
    }
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be between 1 and 1000, was " + limit);
    }
    return store.videos(offset, limit).stream().map(VideoRecord::toGeneratedVideo).toList();
  }

  /** The video with this id, if the gallery has it. */
  public Optional<GeneratedVideo> get(String id) {
    return store.video(Objects.requireNonNull(id, "id")).map(VideoRecord::toGeneratedVideo);
  }

  /**
   * The video's local file: at once if it exists, else after downloading it again from its pod to
   * the recorded path. Fails with {@link InvalidInputException} for an unknown id, and with an
   * {@link OpenAvatharException} when the file is gone and its pod no longer exists, is not
   * running, or no longer has the file.
   */
  public CompletableFuture<Path> open(String id) {
    Objects.requireNonNull(id, "id");
    VideoRecord video;
    try {
      video = require(id);
    } catch (OpenAvatharException e) {
      return CompletableFuture.failedFuture(e);
    }
    Path local = Path.of(video.localFile());
    if (Files.isRegularFile(local)) {
      return CompletableFuture.completedFuture(local);
    }
    return once(restoring, id, () -> fromPod(video, local).thenApply(bytes -> local));
  }

  /**
   * Saves a copy of the video at {@code target} (replacing it): copied from the local file on the
   * calling thread if it exists, else downloaded from the video's pod. Fails like {@link
   * #open(String)}; a target that cannot be written fails with {@link InvalidInputException}.
   */
  public CompletableFuture<Path> download(String id, Path target) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(target, "target");
    try {
      VideoRecord video = require(id);
      Path local = Path.of(video.localFile());
      createParent(target);
      if (Files.isRegularFile(local)) {
        Files.copy(local, target, StandardCopyOption.REPLACE_EXISTING);
        log.debug("Copied video [video={}, from={}, to={}]", id, local, target);
        return CompletableFuture.completedFuture(target);
      }
      return fromPod(video, target).thenApply(bytes -> target);
    } catch (OpenAvatharException e) {
      return CompletableFuture.failedFuture(e);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          new InvalidInputException(
              "Could not write video "
                  + id
                  + " to "
                  + target
                  + ": "
                  + e.getMessage()
                  + ". Choose a writable path.",
              e));
    }
  }

  /**
   * Deletes the video's local file (if it still exists) and its record. Returns whether the gallery
   * had it.
   *
   * @throws OpenAvatharException if the file exists but cannot be deleted; the record is kept
   */
  public boolean delete(String id) {
    Optional<VideoRecord> video = store.video(Objects.requireNonNull(id, "id"));
    if (video.isEmpty()) {
      return false;
    }
    Path local = Path.of(video.get().localFile());
    try {
      Files.deleteIfExists(local);
    } catch (IOException e) {
      throw new OpenAvatharException(
          "Could not delete video "
              + id
              + "'s file "
              + local
              + ": "
              + e.getMessage()
              + ". Close any program that has it open and try again.",
          e);
    }
    log.debug("Deleted video [video={}, file={}]", id, local);
    return store.deleteVideo(id);
  }

  /**
   * Imports the videos a pod's ComfyUI finished that the gallery does not have yet (matched by pod
   * and prompt id): reads the newest {@value VideoImport#HISTORY_ITEMS} entries of its history,
   * downloads each successful prompt's video to the output directory and records it (job id empty).
   * Completes with the imported videos, oldest first; importing again adds only what is new.
   * ComfyUI keeps history in memory, so prompts from before its last restart cannot be found.
   *
   * <p>Fails with {@link InvalidInputException} if the provider does not know the pod, and with an
   * {@link OpenAvatharException} if it is not running; if some downloads fail, the others are still
   * recorded and the future fails naming how many were missed (import again to retry them).
   */
  public CompletableFuture<List<GeneratedVideo>> importFromPod(String podId) {
    Objects.requireNonNull(podId, "podId");
    return once(
        importing,
        podId,
        () ->
            pods.provider()
                .getPod(podId)
                .thenCompose(
                    found -> {
                      Pod pod =
                          found.orElseThrow(
                              () ->
                                  new InvalidInputException(
                                      "Pod "
                                          + podId
                                          + " is not known to the "
                                          + pods.provider().name()
                                          + " pod provider. List your pods and pass one of their ids."));
                      if (!serving(pod)) {
                        throw new OpenAvatharException(
                            "Pod "
                                + podId
                                + " is "
                                + pod.rawStatus()
                                + ", so its ComfyUI history "
                                + "cannot be read. Start the pod and import again.");
                      }
                      ComfyUiClient client = pods.comfyUi(pod);
                      return new VideoImport(store, pod, client, clock, outputDirectory)
                          .run()
                          .thenApply(
                              videos -> {
                                log.debug(
                                    "Imported videos from pod [pod={}, count={}]",
                                    podId,
                                    videos.size());
                                return videos.stream().map(VideoRecord::toGeneratedVideo).toList();
                              });
                    }));
  }

  /** Downloads the video's remote file from its pod to {@code target}. */
  private CompletableFuture<Long> fromPod(VideoRecord video, Path target) {
    Path local = Path.of(video.localFile());
    return pods.provider()
        .getPod(video.podId())
        .thenCompose(
            found -> {
              if (found.isEmpty()) {
                throw new OpenAvatharException(
                    "Video "
                        + video.id()
                        + "'s file "
                        + local
                        + " is missing and pod "
                        + video.podId()
                        + " no longer exists; the video cannot be recovered.");
              }
              Pod pod = found.get();
              if (!serving(pod)) {
                throw new OpenAvatharException(
                    "Video "
                        + video.id()
                        + "'s file "
                        + local
                        + " is missing, and its pod "
                        + pod.id()
                        + " is "
                        + pod.rawStatus()
                        + ". Start the pod and try again to download it from there.");
              }
              OutputFile remote =
                  new OutputFile(
                      video.remoteFilename(), video.remoteSubfolder(), video.remoteType());
              log.debug(
                  "Downloading video again [video={}, pod={}, file={}, to={}]",
                  video.id(),
                  pod.id(),
                  video.remoteFilename(),
                  target);
              createParentUnchecked(target);
              return pods.comfyUi(pod).download(remote, target, TransferListener.NONE);
            });
  }

  private VideoRecord require(String id) {
    return store
        .video(id)
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "The gallery has no video " + id + ". List the videos to see their ids."));
  }

  private static boolean serving(Pod pod) {
    return pod.status() == PodStatus.RUNNING && pod.comfyUiUrl().isPresent();
  }

  /**
   * Runs {@code start} unless an operation for {@code key} is running, whose result is then shared.
   */
  private static <T> CompletableFuture<T> once(
      Map<String, CompletableFuture<T>> running, String key, Supplier<CompletableFuture<T>> start) {
    CompletableFuture<T> mine = new CompletableFuture<>();
    CompletableFuture<T> other = running.putIfAbsent(key, mine);
    if (other != null) {
      return other.copy();
    }
    CompletableFuture<T> started;
    try {
      started = start.get();
    } catch (RuntimeException e) {
      started = CompletableFuture.failedFuture(e);
    }
    started.whenComplete(
        (value, failure) -> {
          running.remove(key, mine);
          if (failure != null) {
            mine.completeExceptionally(
                failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause()
                    : failure);
          } else {
            mine.complete(value);
          }
        });
    return mine.copy();
  }

  private static void createParent(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }

  private static void createParentUnchecked(Path file) {
    try {
      createParent(file);
    } catch (IOException e) {
      throw new InvalidInputException(
          "Could not create the directory for "
              + file
              + ": "
              + e.getMessage()
              + ". Choose a writable path.",
          e);
    }
  }
}
