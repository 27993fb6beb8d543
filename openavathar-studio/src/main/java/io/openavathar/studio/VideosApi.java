package io.openavathar.studio;

import io.openavathar.AvatarStudio;
import io.openavathar.GeneratedVideo;
import io.openavathar.GenerationJob;
import io.openavathar.InvalidInputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gallery: list (newest first), play or download, delete, make again, import a pod's videos.
 */
final class VideosApi {
  private final Session session;
  private final JobsApi jobs;
  private final EventHub hub;
  private final Views views;

  VideosApi(Session session, JobsApi jobs, EventHub hub, Views views) {
    this.session = session;
    this.jobs = jobs;
    this.hub = hub;
    this.views = views;
  }

  boolean handle(Exchange x) throws Exception {
    if (x.is("GET", "videos")) {
      if (!session.configured()) {
        x.ok(Map.of("videos", List.of()));
        return true;
      }
      AvatarStudio studio = session.studio();
      List<Map<String, Object>> list =
          studio.videos().list(0, 200).stream().map(v -> views.video(v, session.store())).toList();
      x.ok(Map.of("videos", list));
    } else if (x.is("GET", "videos", "*", "file")) {
      Path file = StateApi.await(session.studio().videos().open(x.segment(1)));
      FileReplies.serve(x, file, "1".equals(x.query("download")));
    } else if (x.is("POST", "videos", "*", "delete")) {
      boolean deleted = session.studio().videos().delete(x.segment(1));
      hub.changed("videos");
      x.ok(Map.of("deleted", deleted));
    } else if (x.is("POST", "videos", "*", "again")) {
      AvatarStudio studio = session.studio();
      GeneratedVideo v =
          studio
              .videos()
              .get(x.segment(1))
              .orElseThrow(() -> new InvalidInputException("No such video."));
      Map<String, String> notes = JobNotes.read(session.store(), v.jobId());
      if (!notes.containsKey("image") || !notes.containsKey("audio")) {
        throw new InvalidInputException(
            "This video was not made in the studio: its inputs are unknown.");
      }
      GenerationJob job = jobs.generate(notes.get("image"), notes.get("audio"), Optional.empty());
      x.ok(views.job(job, session.store()));
    } else if (x.is("POST", "pods", "*", "import")) {
      List<GeneratedVideo> imported =
          StateApi.await(session.studio().videos().importFromPod(x.segment(1)));
      hub.changed("videos");
      x.ok(Map.of("imported", imported.size()));
    } else {
      return false;
    }
    return true;
  }
}
