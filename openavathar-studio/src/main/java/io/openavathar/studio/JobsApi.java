package io.openavathar.studio;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.AvatarStudio;
import io.openavathar.GenerationJob;
import io.openavathar.GenerationRequest;
import io.openavathar.InvalidInputException;
import io.openavathar.JobState;
import io.openavathar.OpenAvatharException;
import io.openavathar.store.JobQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Uploads, the estimate of what a video from two uploads will cost ({@code POST /api/estimate}),
 * generate, jobs (list, cancel) and the live event stream ({@code GET /api/events}).
 */
final class JobsApi {
  private final Session session;
  private final Uploads uploads;
  private final EventHub hub;
  private final Views views;
  private final Refusals refusals;

  JobsApi(Session session, Uploads uploads, EventHub hub, Views views, Refusals refusals) {
    this.refusals = refusals;
    this.session = session;
    this.uploads = uploads;
    this.hub = hub;
    this.views = views;
  }

  boolean handle(Exchange x) throws Exception {
    if (x.is("POST", "uploads")) {
      String kind = Optional.ofNullable(x.query("kind")).orElse("");
      long length = x.request().getLength();
      if (length > uploads.limit(kind)) {
        throw Uploads.tooLarge(kind, uploads.limit(kind));
      }
      x.ok(uploads.store(kind, Optional.ofNullable(x.query("name")).orElse("upload"), x.body()));
    } else if (x.is("GET", "uploads", "*")) {
      Path f =
          uploads
              .file(x.segment(1))
              .orElseThrow(() -> new InvalidInputException("No such upload."));
      FileReplies.serve(x, f, false);
    } else if (x.is("POST", "generate")) {
      JsonNode body = x.json();
      GenerationJob job = generate(text(body, "image"), text(body, "audio"), pod(body));
      x.ok(views.job(job, session.store()));
    } else if (x.is("POST", "estimate")) {
      JsonNode body = x.json();
      GenerationRequest request = request(text(body, "image"), text(body, "audio"), pod(body));
      x.ok(estimate(request));
    } else if (x.is("GET", "jobs")) {
      x.ok(Map.of("jobs", jobs()));
    } else if (x.is("POST", "jobs", "*", "cancel")) {
      boolean cancelled = session.studio().jobs().cancel(x.segment(1));
      x.ok(Map.of("cancelled", cancelled));
    } else if (x.is("GET", "events")) {
      events(x);
    } else {
      return false;
    }
    return true;
  }

  /** Starts a job from two uploads (also "make again"); remembers the uploads for the gallery. */
  GenerationJob generate(String image, String audio, Optional<String> pod) {
    AvatarStudio studio = session.studio();
    GenerationJob job = studio.generate(request(image, audio, pod));
    Map<String, String> notes = new LinkedHashMap<>();
    notes.put("image", image);
    notes.put("audio", audio);
    JobNotes.write(session.store(), job.id(), notes);
    return job;
  }

  /**
   * The SDK's estimate, or, when RunPod or the pod placement fails (a wrong key, no GPU within the
   * settings), that failure as a state the page shows under Generate: the estimate is a help,
   * Generate still says what is wrong.
   */
  private Map<String, Object> estimate(GenerationRequest request) {
    Map<String, Object> m;
    try {
      m = Costs.estimate(StateApi.await(session.studio().estimate(request)));
    } catch (InvalidInputException e) {
      throw e;
    } catch (OpenAvatharException e) {
      m = new LinkedHashMap<>();
      m.put("error", refusals.of(e).map(r -> r.get("message")).orElse(e.getMessage()));
    }
    m.put("ownServer", !session.onRunPod());
    return m;
  }

  /** The request for two uploads, on the chosen pod if any. */
  private GenerationRequest request(String image, String audio, Optional<String> pod) {
    Path imageFile =
        uploads
            .file(image)
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "The portrait is gone from the studio's uploads: choose it again."));
    Path audioFile =
        uploads
            .file(audio)
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "The speech file is gone from the studio's uploads: choose it again."));
    GenerationRequest.Builder request =
        GenerationRequest.builder().image(imageFile).audio(audioFile);
    pod.ifPresent(request::targetPod);
    return request.build();
  }

  private static Optional<String> pod(JsonNode body) {
    return Optional.ofNullable(body.path("pod").asText(null)).filter(s -> !s.isBlank());
  }

  private static String text(JsonNode body, String field) {
    String v = body.path(field).asText("");
    if (v.isBlank()) {
      throw new InvalidInputException(
          field.equals("image") ? "Choose a portrait first." : "Choose a speech file first.");
    }
    return v;
  }

  /**
   * Unfinished jobs (live ones with their progress, also those resumed after a restart) and the
   * newest ended.
   */
  private List<Map<String, Object>> jobs() {
    if (!session.configured()) {
      return List.of();
    }
    AvatarStudio studio = session.studio();
    List<Map<String, Object>> out = new ArrayList<>();
    Set<JobState> recent = Set.of(JobState.values());
    Map<String, String> videoOfJob = new java.util.HashMap<>();
    studio.videos().list(0, 100).forEach(v -> videoOfJob.put(v.jobId(), v.id()));
    for (io.openavathar.job.JobInfo r : studio.jobs().list(new JobQuery(recent, 0, 20))) {
      Optional<GenerationJob> live = studio.jobs().handle(r.id());
      Map<String, Object> view =
          live.isPresent()
              ? views.job(live.get(), session.store())
              : views.record(r, session.store());
      if (videoOfJob.containsKey(r.id())) {
        view.putIfAbsent("videoId", videoOfJob.get(r.id()));
      }
      out.add(view);
    }
    return out;
  }

  /**
   * Streams job events until the page goes away; the page loads {@code /api/jobs} first, then
   * listens.
   */
  private void events(Exchange x) {
    Sse stream = new Sse();
    hub.add(stream);
    try {
      stream.run(x.response(), x.callback());
    } finally {
      hub.remove(stream);
    }
  }
}
