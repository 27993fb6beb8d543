package io.openavathar.internal.gallery;

import io.openavathar.InvalidInputException;
import io.openavathar.OpenAvatharException;
import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.comfy.HistoryEntry;
import io.openavathar.comfy.OutputFile;
import io.openavathar.comfy.TransferListener;
import io.openavathar.internal.VideoFacts;
import io.openavathar.pod.Pod;
import io.openavathar.store.StudioStore;
import io.openavathar.store.VideoRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One import of a pod's ComfyUI history into the gallery: what is new, downloaded one at a time,
 * then recorded.
 */
final class VideoImport {
  /**
   * History entries read per import (each carries its whole graph, so the answer grows with this).
   */
  static final int HISTORY_ITEMS = 1000;

  private static final Logger log = LoggerFactory.getLogger(VideoImport.class);
  private static final int STORE_PAGE = 1000;

  private final StudioStore store;
  private final Pod pod;
  private final ComfyUiClient client;
  private final Clock clock;
  private final Path outputDirectory;
  private final List<VideoRecord> imported = Collections.synchronizedList(new ArrayList<>());
  private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());

  VideoImport(StudioStore store, Pod pod, ComfyUiClient client, Clock clock, Path outputDirectory) {
    this.store = store;
    this.pod = pod;
    this.client = client;
    this.clock = clock;
    this.outputDirectory = outputDirectory;
  }

  /**
   * Completes with the records added, in history order; fails after the others if any download
   * failed.
   */
  CompletableFuture<List<VideoRecord>> run() {
    return client
        .historyAll(HISTORY_ITEMS)
        .thenCompose(
            entries -> {
              Set<String> known = knownPrompts();
              List<HistoryVideo> fresh = new ArrayList<>();
              for (HistoryEntry entry : entries) {
                if (entry.outcome() == HistoryEntry.Outcome.SUCCESS
                    && !known.contains(entry.promptId())) {
                  HistoryVideo.of(entry).ifPresent(fresh::add);
                }
              }
              log.debug(
                  "Importing from pod [pod={}, history={}, new={}]",
                  pod.id(),
                  entries.size(),
                  fresh.size());
              if (!fresh.isEmpty()) {
                createDirectory();
              }
              CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
              for (HistoryVideo video : fresh) {
                chain =
                    chain.thenCompose(
                        v ->
                            importOne(video)
                                .handle(
                                    (record, failure) -> {
                                      if (failure != null) {
                                        log.debug(
                                            "Import failed [pod={}, prompt={}]",
                                            pod.id(),
                                            video.entry().promptId(),
                                            failure);
                                        failures.add(failure);
                                      } else {
                                        imported.add(record);
                                      }
                                      return null;
                                    }));
              }
              return chain.thenApply(v -> result());
            });
  }

  private List<VideoRecord> result() {
    if (!failures.isEmpty()) {
      Throwable first = failures.get(0);
      Throwable cause =
          first.getCause() != null && !(first instanceof OpenAvatharException)
              ? first.getCause()
              : first;
      throw new OpenAvatharException(
          "Imported "
              + imported.size()
              + " videos from pod "
              + pod.id()
              + ", but "
              + failures.size()
              + " could not be downloaded (first: "
              + cause.getMessage()
              + "). Import again to retry them.",
          cause);
    }
    return List.copyOf(imported);
  }

  private CompletableFuture<VideoRecord> importOne(HistoryVideo video) {
    HistoryEntry entry = video.entry();
    OutputFile file = video.file();
    String id = UUID.randomUUID().toString();
    Path target =
        outputDirectory.resolve(localName(entry.promptId(), file.filename())).toAbsolutePath();
    return client
        .download(file, target, TransferListener.NONE)
        .thenApply(
            bytes -> {
              double gpuSeconds = entry.executionSeconds().orElse(0);
              Instant createdAt = entry.endedAt().orElseGet(clock::instant);
              // The file knows best; what the history's texts say is the fallback.
              VideoFacts facts =
                  VideoFacts.read(target)
                      .orElseGet(
                          () ->
                              new VideoFacts(
                                  video.width(),
                                  video.height(),
                                  video.frames(),
                                  Duration.ofMillis(video.durationMillis())));
              VideoRecord record =
                  new VideoRecord(
                      id,
                      "",
                      pod.id(),
                      pod.gpuType().orElse(""),
                      entry.promptId(),
                      file.type(),
                      file.subfolder(),
                      file.filename(),
                      target.toString(),
                      bytes,
                      facts.width(),
                      facts.height(),
                      facts.frames(),
                      facts.duration().toMillis(),
                      video.seed(),
                      gpuSeconds,
                      createdAt);
              store.insertVideo(record);
              return record;
            });
  }

  /**
   * {@code imported-<prompt id start>-<server name>} (without the id when the name has it already),
   * reduced to safe characters: the name comes from the server.
   */
  static String localName(String promptId, String filename) {
    String shortId = promptId.length() > 8 ? promptId.substring(0, 8) : promptId;
    String unique = filename.contains(shortId) ? filename : shortId + "-" + filename;
    String name = ("imported-" + unique).replaceAll("[^A-Za-z0-9._-]", "_");
    return name.replaceAll("\\.{2,}", "_");
  }

  private Set<String> knownPrompts() {
    Set<String> known = new HashSet<>();
    for (int offset = 0; ; offset += STORE_PAGE) {
      List<VideoRecord> page = store.videos(offset, STORE_PAGE);
      for (VideoRecord v : page) {
        if (v.podId().equals(pod.id())) {
          known.add(v.promptId());
        }
      }
      if (page.size() < STORE_PAGE) {
        return known;
      }
    }
  }

  private void createDirectory() {
    try {
      Files.createDirectories(outputDirectory);
    } catch (IOException e) {
      throw new InvalidInputException(
          "Could not create the output directory "
              + outputDirectory
              + ": "
              + e.getMessage()
              + ". Choose a writable directory.",
          e);
    }
  }
}
