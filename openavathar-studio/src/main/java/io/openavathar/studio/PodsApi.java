package io.openavathar.studio;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.AvatarStudio;
import io.openavathar.InvalidInputException;
import io.openavathar.pod.CloudType;
import io.openavathar.pod.GpuType;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodLogLine;
import io.openavathar.pod.PodLogListener;
import io.openavathar.pod.PodLogStream;
import io.openavathar.pod.PodSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pods (progressive disclosure: only the Pods page uses this): list, new, start, stop, terminate,
 * live logs, GPUs.
 */
final class PodsApi {
  private final Session session;
  private final VideosApi videos;
  private final EventHub hub;
  private final Views views;

  PodsApi(Session session, VideosApi videos, EventHub hub, Views views) {
    this.session = session;
    this.videos = videos;
    this.hub = hub;
    this.views = views;
  }

  boolean handle(Exchange x) throws Exception {
    if (x.is("GET", "pods")) {
      if (!session.configured()) {
        x.ok(Map.of("pods", List.of(), "managesPods", false));
        return true;
      }
      AvatarStudio studio = session.studio();
      List<Pod> pods;
      try {
        pods = StateApi.await(studio.pods().listPods());
      } catch (io.openavathar.OpenAvatharException e) {
        // A state to show (a rejected key, RunPod unreachable), not a broken page: the page says
        // it.
        x.ok(Map.of("pods", List.of(), "managesPods", session.onRunPod(), "error", e.getMessage()));
        return true;
      }
      x.ok(
          Map.of(
              "pods",
              pods.stream().map(p -> views.pod(p, studio.pods().load(p.id()))).toList(),
              "managesPods",
              session.onRunPod()));
    } else if (x.is("GET", "gpus")) {
      List<GpuType> gpus;
      try {
        gpus = session.onRunPod() ? StateApi.await(session.studio().pods().gpuTypes()) : List.of();
      } catch (io.openavathar.OpenAvatharException e) {
        x.ok(Map.of("gpus", List.of(), "error", e.getMessage()));
        return true;
      }
      x.ok(Map.of("gpus", gpus.stream().map(PodsApi::gpu).toList()));
    } else if (x.is("POST", "pods")) {
      requireRunPod();
      JsonNode body = x.json();
      PodSpec.Builder spec = session.deploySpec().toBuilder();
      String gpu = body.path("gpu").asText("");
      if (!gpu.isBlank()) {
        spec.gpuTypes(gpu);
      }
      String cloud = body.path("cloud").asText("");
      if (!cloud.isBlank()) {
        spec.clouds(CloudType.valueOf(cloud.toUpperCase(Locale.ROOT)));
      }
      Pod pod = StateApi.await(session.studio().pods().deploy(spec.build()));
      hub.changed("pods");
      x.ok(views.pod(pod, 0));
    } else if (x.is("POST", "pods", "*", "start")) {
      requireRunPod();
      x.ok(views.pod(StateApi.await(session.studio().pods().start(x.segment(1))), 0));
      hub.changed("pods");
    } else if (x.is("POST", "pods", "*", "stop")) {
      requireRunPod();
      x.ok(views.pod(StateApi.await(session.studio().pods().stop(x.segment(1))), 0));
      hub.changed("pods");
    } else if (x.is("POST", "pods", "*", "terminate")) {
      requireRunPod();
      StateApi.await(session.studio().pods().terminate(x.segment(1)));
      hub.changed("pods");
      x.ok(Map.of("terminated", x.segment(1)));
    } else if (x.is("GET", "pods", "*", "logs")) {
      logs(x, x.segment(1));
    } else {
      return videos.handle(x);
    }
    return true;
  }

  private void requireRunPod() {
    if (!session.onRunPod()) {
      throw new InvalidInputException(
          "Pods can be created and stopped only on RunPod: enter a RunPod API key in"
              + " Settings.");
    }
  }

  private static Map<String, Object> gpu(GpuType g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", g.id());
    m.put("name", g.displayName());
    m.put("memoryGb", g.memoryGb());
    Costs.hourlyPrice(g).ifPresent(p -> m.put("pricePerHour", p));
    m.put("availability", g.availability().name());
    return m;
  }

  /** The pod's log, live, as SSE events {@code log} until the page closes the panel. */
  private void logs(Exchange x, String podId) {
    Sse stream = new Sse();
    PodLogStream logs =
        session
            .studio()
            .pods()
            .streamLogs(
                podId,
                true,
                new PodLogListener() {
                  @Override
                  public void onLine(PodLogLine line) {
                    stream.send(
                        "log",
                        json(
                            Map.of(
                                "source",
                                line.source(),
                                "line",
                                line.line(),
                                "at",
                                line.timestamp())));
                  }

                  @Override
                  public void onClosed(Throwable failureOrNull) {
                    stream.send(
                        "closed",
                        json(
                            Map.of(
                                "error",
                                failureOrNull == null ? "" : Views.message(failureOrNull))));
                  }
                });
    try {
      stream.run(x.response(), x.callback());
    } finally {
      logs.close();
    }
  }

  private static String json(Object o) {
    try {
      return Http.JSON.writeValueAsString(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
