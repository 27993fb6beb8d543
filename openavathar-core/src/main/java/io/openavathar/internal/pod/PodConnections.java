package io.openavathar.internal.pod;

import io.openavathar.InvalidInputException;
import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodSpec;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The studio's connections to its pods: one {@link ComfyUiClient} per pod, made on first use (pods
 * that serve the same URL share it), and closed once the pod has left service and its last job has
 * ended. Whether a job still holds the pod is the slots' to say ({@link PodSlots}); this class only
 * keeps the clients. Thread-safe.
 */
final class PodConnections implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PodConnections.class);

  private final Function<URI, ComfyUiClient> factory;
  private final Map<URI, ComfyUiClient> clients = new ConcurrentHashMap<>();

  /**
   * The ComfyUI URL each pod's client was made for, so that it can be closed when the pod leaves.
   */
  private final Map<String, URI> urls = new ConcurrentHashMap<>();

  /** Pods that left service whose client closes once their last job ends. */
  private final Set<String> leaving = ConcurrentHashMap.newKeySet();

  /** {@code factory} makes the client of a ComfyUI URL; its clients are closed here. */
  PodConnections(Function<URI, ComfyUiClient> factory) {
    this.factory = Objects.requireNonNull(factory, "clients");
  }

  /** The ComfyUI client of a pod (one per pod URL, shared), made now if there is none. */
  ComfyUiClient client(Pod pod) {
    URI url =
        pod.comfyUiUrl()
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "Pod "
                            + pod.id()
                            + " exposes no ComfyUI URL (is port "
                            + PodSpec.COMFYUI_PORT
                            + "/http declared?)."));
    urls.put(pod.id(), url);
    return clients.computeIfAbsent(url, factory);
  }

  /** The pods that have a client. */
  Set<String> podIds() {
    return Set.copyOf(urls.keySet());
  }

  /** The pod serves again (started or deployed here): its client stays open. */
  void serving(String podId) {
    leaving.remove(podId);
  }

  /**
   * The pod left service: its client is to close once no job holds the pod ({@link #closeIfLeft}).
   * Returns whether the pod has a client at all.
   */
  boolean leaving(String podId) {
    if (!urls.containsKey(podId)) {
      return false;
    }
    leaving.add(podId);
    return true;
  }

  /**
   * Closes the pod's client (and with it the event streams opened on it, which would otherwise keep
   * reconnecting) if the pod left service and no other pod uses the same URL. The caller knows that
   * no job holds the pod. A later job on the pod, once it is started again, makes a new client.
   */
  void closeIfLeft(String podId) {
    if (!leaving.remove(podId)) {
      return;
    }
    URI url = urls.remove(podId);
    if (url == null || urls.containsValue(url)) {
      return; // another pod still uses this URL
    }
    ComfyUiClient client = clients.remove(url);
    if (client != null) {
      log.debug("Pod {} left service; closing its ComfyUI client {}", podId, client.displayUrl());
      closeQuietly(client);
    }
  }

  /** Closes every client; pods keep running. */
  @Override
  public void close() {
    clients.values().forEach(PodConnections::closeQuietly);
    clients.clear();
    urls.clear();
  }

  private static void closeQuietly(ComfyUiClient c) {
    try {
      c.close();
    } catch (RuntimeException e) {
      log.debug("Closing {} failed", c, e);
    }
  }
}
