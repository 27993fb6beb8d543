package io.openavathar.internal.job;

import io.openavathar.InvalidInputException;
import io.openavathar.OpenAvatharException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.comfy.ComfyEventListener;
import io.openavathar.comfy.ComfyEventStream;
import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodProvider;
import io.openavathar.pod.PodStatus;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the pod a job runs on and keeps one ComfyUI client and one event stream per pod. A pod is ready when the
 * provider says RUNNING, it has a ComfyUI URL, and ComfyUI answers {@code /system_stats}. Among ready pods the
 * least loaded (fewest jobs in flight from this studio) wins; a request's explicit pod is honoured.
 *
 * <p>Starting pods when none is ready belongs to the pod manager of the RunPod issue; with fixed URLs there is
 * nothing to start, so "none ready" fails with a message that lists what was tried.
 */
final class PodPool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PodPool.class);

  private final PodProvider provider;
  private final Function<URI, ComfyUiClient> clients;
  private final String clientId;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();

  PodPool(PodProvider provider, Function<URI, ComfyUiClient> clients, String clientId) {
    this.provider = provider;
    this.clients = clients;
    this.clientId = clientId;
  }

  /** One pod's ComfyUI client, its event stream and the number of this studio's jobs on it. */
  static final class Connection {
    final Pod pod;
    final ComfyUiClient client;
    final ComfyEventStream events;
    final AtomicInteger inFlight = new AtomicInteger();

    Connection(Pod pod, ComfyUiClient client, ComfyEventStream events) {
      this.pod = pod;
      this.client = client;
      this.events = events;
    }
  }

  /** A ready pod for one job; the caller must {@link #release} it when the job ends. */
  CompletableFuture<Connection> acquire(Optional<String> targetPod) {
    return provider.listPods().thenCompose(pods -> {
      List<Pod> candidates = new ArrayList<>();
      if (targetPod.isPresent()) {
        Pod pod = pods.stream().filter(p -> p.id().equals(targetPod.get())).findFirst()
            .orElseThrow(() -> new InvalidInputException(
                "No pod '" + targetPod.get() + "' in the " + provider.name() + " provider; known pods: "
                    + pods.stream().map(Pod::id).toList() + ". Pick one of them or leave targetPod unset."));
        candidates.add(pod);
      } else {
        pods.stream().filter(p -> p.status() == PodStatus.RUNNING && p.comfyUiUrl().isPresent())
            .forEach(candidates::add);
      }
      if (candidates.isEmpty()) {
        throw new RemoteUnavailableException(
            "No running pod with ComfyUI in the " + provider.name() + " provider (pods: " + pods + ").", null);
      }
      List<CompletableFuture<Probe>> probes = candidates.stream().map(this::probe).toList();
      return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)).thenApply(v -> {
        List<Probe> results = probes.stream().map(CompletableFuture::join).toList();
        Connection c = choose(results);
        log.debug("Chose pod {} ({} jobs in flight) [clientId={}]", c.pod.id(), c.inFlight.get(), clientId);
        return c;
      });
    });
  }

  /** The least-loaded ready pod; choosing and counting happen under one lock so two jobs spread out. */
  private synchronized Connection choose(List<Probe> results) {
    Optional<Connection> best = results.stream().filter(p -> p.failure == null).map(p -> p.connection)
        .min(Comparator.comparingInt(c -> c.inFlight.get()));
    if (best.isEmpty()) {
      StringBuilder why = new StringBuilder();
      for (Probe p : results) {
        why.append(why.length() == 0 ? "" : "; ").append(p.pod.name()).append(": ").append(p.failure.getMessage());
      }
      throw new RemoteUnavailableException(
          "No ComfyUI server is ready (" + why + "). Start ComfyUI or check the URL, then try again.",
          results.get(0).failure);
    }
    best.get().inFlight.incrementAndGet();
    return best.get();
  }

  void release(Connection c) {
    c.inFlight.decrementAndGet();
  }

  private record Probe(Pod pod, Connection connection, OpenAvatharException failure) {}

  private CompletableFuture<Probe> probe(Pod pod) {
    Optional<URI> url = pod.comfyUiUrl();
    if (url.isEmpty() || pod.status() != PodStatus.RUNNING) {
      return CompletableFuture.completedFuture(new Probe(pod, null, new OpenAvatharException(
          "pod is " + pod.rawStatus() + (url.isEmpty() ? " and exposes no ComfyUI URL" : ""))));
    }
    Connection c = connections.computeIfAbsent(pod.id(), id -> {
      ComfyUiClient client = clients.apply(url.get());
      return new Connection(pod, client, client.openEvents(clientId, ComfyEventListener.NONE));
    });
    return c.client.systemStats()
        .handle((stats, failure) -> failure == null
            ? new Probe(pod, c, null)
            : new Probe(pod, null, DefaultGenerationJob.unwrap(failure)));
  }

  @Override
  public void close() {
    for (Connection c : connections.values()) {
      try {
        c.events.close();
      } finally {
        c.client.close();
      }
    }
    connections.clear();
  }
}
