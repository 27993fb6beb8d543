package io.openavathar.studio;

import io.openavathar.InvalidInputException;
import io.openavathar.OpenAvatharException;
import io.openavathar.QuotaExceededException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API under {@code /api/}, behind the {@link Guard}. Errors are JSON {@code {"error":
 * "..."}} with the SDK's message (which says what to do next and never carries a secret); a used-up
 * free video is 402 with when it resets and where to upgrade; a job or pod the money guards refused
 * is 409 with the refusal in the app's words ({@link Refusals}); a setting the "GPU and price" form
 * sent wrong is 400 with the {@code field} to mark.
 */
final class Api extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(Api.class);

  private final StateApi state;
  private final JobsApi jobs;
  private final VideosApi videos;
  private final PodsApi pods;
  private final Refusals refusals;

  Api(StateApi state, JobsApi jobs, VideosApi videos, PodsApi pods, Refusals refusals) {
    this.refusals = refusals;
    this.state = state;
    this.jobs = jobs;
    this.videos = videos;
    this.pods = pods;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getPath();
    if (!path.startsWith("/api/")) {
      return false;
    }
    List<String> segments = Arrays.asList(path.substring("/api/".length()).split("/", -1));
    Exchange x = new Exchange(request, response, callback, segments);
    try {
      boolean handled =
          switch (segments.get(0)) {
            case "state", "settings", "license" -> state.handle(x);
            case "uploads", "estimate", "generate", "jobs", "events" -> jobs.handle(x);
            case "videos" -> videos.handle(x);
            case "pods", "gpus" -> pods.handle(x);
            default -> false;
          };
      if (!handled) {
        x.json(404, Map.of("error", "No such API: " + request.getMethod() + " " + path));
      }
    } catch (QuotaExceededException e) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", e.getMessage());
      body.put("resetsInSeconds", e.resetsIn().toSeconds());
      e.upgradeUrl().or(() -> state.upgradeUrl()).ifPresent(u -> body.put("upgradeUrl", u));
      x.json(402, body);
    } catch (GpuSettings.Rejected e) {
      x.json(400, Map.of("error", e.getMessage(), "field", e.key()));
    } catch (InvalidInputException | IllegalArgumentException e) {
      x.json(400, Map.of("error", e.getMessage()));
    } catch (OpenAvatharException e) {
      LOG.debug("API call failed [path={}]", path, e);
      Optional<Map<String, Object>> refusal = refusals.of(e);
      x.json(
          refusal.isPresent() ? 409 : 502,
          refusal.isPresent()
              ? Map.of("error", refusal.get().get("message"), "refusal", refusal.get())
              : Map.of("error", e.getMessage()));
    } catch (Exception e) {
      LOG.debug("API call failed [path={}]", path, e);
      x.json(500, Map.of("error", Views.message(e)));
    }
    return true;
  }
}
