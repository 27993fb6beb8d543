package io.openavathar.gallery;

import io.openavathar.GeneratedVideo;
import io.openavathar.InvalidInputException;
import io.openavathar.OpenAvatharException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The videos a studio finished: list them, open or download them again (from their pod when the
 * local file was deleted), delete them, and import the videos a pod's ComfyUI made outside this
 * SDK.
 *
 * <pre>{@code
 * Gallery gallery = studio.videos();
 * for (GeneratedVideo v : gallery.list(0, 20)) {
 *     System.out.println(v.id() + " " + v.file());
 * }
 * Path mp4 = gallery.open(id).join();   // downloads it again if the local file is gone
 * }</pre>
 *
 * <p>Thread-safe. Store reads and local file operations run on the calling thread; network
 * operations return at once and complete on the pod client's threads, failing with an {@link
 * OpenAvatharException} subclass. Two calls that would download the same video again, or import
 * from the same pod, share one operation.
 */
public interface Gallery {
  /**
   * One page of videos, newest first.
   *
   * @param offset videos to skip, 0 or more
   * @param limit most videos to return, 1 to 1000
   * @return the videos, immutable; empty past the end
   * @throws IllegalArgumentException if {@code offset} or {@code limit} is out of range
   */
  List<GeneratedVideo> list(int offset, int limit);

  /**
   * The video with this id, if the gallery has it.
   *
   * @param id the video's id
   * @return the video, or empty
   */
  Optional<GeneratedVideo> get(String id);

  /**
   * The video's local file: at once if it exists, else after downloading it again from its pod to
   * the recorded path. Fails with {@link InvalidInputException} for an unknown id, and with an
   * {@link OpenAvatharException} when the file is gone and its pod no longer exists, is not
   * running, or no longer has the file.
   *
   * @param id the video's id
   * @return completes with the local file
   */
  CompletableFuture<Path> open(String id);

  /**
   * Saves a copy of the video at {@code target} (replacing it): copied from the local file on the
   * calling thread if it exists, else downloaded from the video's pod. Fails like {@link
   * #open(String)}; a target that cannot be written fails with {@link InvalidInputException}.
   *
   * @param id the video's id
   * @param target the file to write
   * @return completes with {@code target}
   */
  CompletableFuture<Path> download(String id, Path target);

  /**
   * Deletes the video's local file (if it still exists) and its record. Returns whether the gallery
   * had it.
   *
   * @param id the video's id
   * @return true if the gallery had the video
   * @throws OpenAvatharException if the file exists but cannot be deleted; the record is kept
   */
  boolean delete(String id);

  /**
   * Imports the videos a pod's ComfyUI finished that the gallery does not have yet (matched by pod
   * and prompt id): reads the newest 1000 entries of its history, downloads each successful
   * prompt's video to the output directory and records it (job id empty). Completes with the
   * imported videos, oldest first; importing again adds only what is new. ComfyUI keeps history in
   * memory, so prompts from before its last restart cannot be found.
   *
   * <p>Fails with {@link InvalidInputException} if the provider does not know the pod, and with an
   * {@link OpenAvatharException} if it is not running; if some downloads fail, the others are still
   * recorded and the future fails naming how many were missed (import again to retry them).
   *
   * @param podId the pod's id
   * @return completes with the imported videos
   */
  CompletableFuture<List<GeneratedVideo>> importFromPod(String podId);
}
