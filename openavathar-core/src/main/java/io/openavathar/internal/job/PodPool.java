package io.openavathar.internal.job;

import io.openavathar.RemoteUnavailableException;
import io.openavathar.comfy.ComfyEventListener;
import io.openavathar.comfy.ComfyEventStream;
import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.internal.pod.DefaultPodManager;
import io.openavathar.internal.pod.Lease;
import io.openavathar.pod.Pod;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The engine's view of pods: a leased, ready pod from the {@link DefaultPodManager}'s placement
 * plus the ComfyUI event stream the studio keeps open to it (one per pod, shared by its jobs, under
 * the studio's client id; a job resumed from an earlier run listens under the client id its prompt
 * was submitted with, since ComfyUI sends a prompt's progress only to that client). When a pod
 * leaves service the manager closes its ComfyUI client, which closes the stream; the next job on
 * the pod, once it is started again, opens a new one on the new client.
 */
final class PodPool implements AutoCloseable {
  private final DefaultPodManager pods;
  private final String clientId;
  private final Map<String, Events> streams = new ConcurrentHashMap<>();

  /** A pod's event stream and the client it was opened on. */
  private record Events(ComfyUiClient client, ComfyEventStream stream) {}

  PodPool(DefaultPodManager pods, String clientId) {
    this.pods = pods;
    this.clientId = clientId;
  }

  /**
   * Whether the studio rents its pods (it can stop them), so that a message may say to stop one.
   */
  boolean rentsPods() {
    return pods.provider().canManagePods();
  }

  /** The studio's client of a pod's ComfyUI (shared per URL). */
  ComfyUiClient client(Pod pod) {
    return pods.comfyUi(pod);
  }

  /** One job's pod. */
  static final class Connection {
    final Pod pod;
    final ComfyUiClient client;
    final ComfyEventStream events;
    private final Lease lease;

    private Connection(Lease lease, ComfyUiClient client, ComfyEventStream events) {
      this.pod = lease.pod();
      this.client = client;
      this.events = events;
      this.lease = lease;
    }
  }

  /** A ready pod for one job; {@link #release} it when the job ends. */
  CompletableFuture<Connection> acquire(Optional<String> targetPod, Consumer<String> progress) {
    return acquire(targetPod, clientId, progress);
  }

  /**
   * A ready pod whose events are those of {@code listenAs}, the client id a prompt was sent with.
   */
  private CompletableFuture<Connection> acquire(
      Optional<String> targetPod, String listenAs, Consumer<String> progress) {
    return pods.placement()
        .acquire(targetPod, progress)
        .thenApply(
            lease -> {
              ComfyUiClient client = pods.comfyUi(lease.pod());
              ComfyEventStream events =
                  streams
                      .compute(
                          lease.pod().id() + " " + listenAs,
                          (id, old) -> {
                            if (old != null && old.client() == client) {
                              return old;
                            }
                            if (old != null) {
                              old.stream().close(); // closed with its client already; idempotent
                            }
                            return new Events(
                                client, client.openEvents(listenAs, ComfyEventListener.NONE));
                          })
                      .stream();
              return new Connection(lease, client, events);
            });
  }

  /**
   * The pod a job was submitted to, for resuming it: the pod that serves {@code comfyUrl} (the URL
   * recorded at submission), whatever its id now (your own servers' ids follow the order of their
   * URLs); else, when no URL was recorded (an older SDK) or the pod's URL is not known yet (a
   * stopped pod), the pod with id {@code podId}. A server no longer among the pods fails with
   * {@link RemoteUnavailableException}, so the job moves to another pod. The events are those of
   * {@code submittedAs}, the client id the prompt was sent with (this studio's when not recorded).
   */
  CompletableFuture<Connection> reacquire(
      String podId,
      Optional<String> comfyUrl,
      Optional<String> submittedAs,
      Consumer<String> progress) {
    String listenAs = submittedAs.orElse(clientId);
    if (comfyUrl.isEmpty()) {
      return acquire(Optional.of(podId), listenAs, progress);
    }
    String url = comfyUrl.get();
    return pods.listPods()
        .thenCompose(
            all -> {
              Optional<Pod> serving =
                  all.stream()
                      .filter(p -> p.comfyUiUrl().map(u -> u.toString().equals(url)).orElse(false))
                      .findFirst();
              Optional<Pod> same =
                  all.stream()
                      .filter(p -> p.id().equals(podId) && p.comfyUiUrl().isEmpty())
                      .findFirst();
              Optional<String> target = serving.or(() -> same).map(Pod::id);
              if (target.isEmpty()) {
                return CompletableFuture.failedFuture(
                    new RemoteUnavailableException(
                        "The ComfyUI server "
                            + url
                            + " that the job was submitted to is no longer among the pods ("
                            + all.stream().map(Pod::name).toList()
                            + ").",
                        null));
              }
              return acquire(target, listenAs, progress);
            });
  }

  void release(Connection c) {
    c.lease.close();
  }

  @Override
  public void close() {
    streams.values().forEach(e -> e.stream().close());
    streams.clear();
  }
}
