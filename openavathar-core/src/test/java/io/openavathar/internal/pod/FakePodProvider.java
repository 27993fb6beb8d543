package io.openavathar.internal.pod;

import io.openavathar.pod.Pod;
import io.openavathar.pod.PodProvider;
import io.openavathar.pod.PodSpec;
import io.openavathar.pod.PodStatus;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory provider whose pods the test moves from state to state. */
final class FakePodProvider implements PodProvider {
  final Map<String, Pod> pods = new ConcurrentHashMap<>();
  final List<String> calls = new CopyOnWriteArrayList<>();
  final AtomicInteger ids = new AtomicInteger();
  volatile URI readyUrl;
  volatile boolean failStart;

  FakePodProvider(URI readyUrl) {
    this.readyUrl = readyUrl;
  }

  /** A pod whose ComfyUI URL answers (the simulator) once it is {@link #serve served}. */
  Pod add(String id, PodStatus status, boolean managed) {
    Pod p =
        Pod.builder(id)
            .status(status)
            .managed(managed)
            .comfyUiUrl(URI.create("http://127.0.0.1:9/" + id))
            .build();
    pods.put(id, p);
    return p;
  }

  /** RUNNING, runtime up with 8188 mapped, ComfyUI reachable. */
  void serve(String id) {
    pods.computeIfPresent(
        id,
        (k, p) ->
            p.toBuilder()
                .status(PodStatus.RUNNING)
                .runtime(true, Set.of(8188))
                .comfyUiUrl(readyUrl)
                .build());
  }

  void set(String id, PodStatus status) {
    pods.computeIfPresent(id, (k, p) -> p.toBuilder().status(status).build());
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public boolean canManagePods() {
    return true;
  }

  @Override
  public CompletableFuture<List<Pod>> listPods() {
    calls.add("list");
    return CompletableFuture.completedFuture(new ArrayList<>(pods.values()));
  }

  @Override
  public CompletableFuture<java.util.Optional<Pod>> getPod(String podId) {
    calls.add("get " + podId);
    return CompletableFuture.completedFuture(java.util.Optional.ofNullable(pods.get(podId)));
  }

  @Override
  public CompletableFuture<Pod> deploy(PodSpec spec) {
    String id = "pod-" + ids.incrementAndGet();
    calls.add("deploy " + id);
    return CompletableFuture.completedFuture(add(id, PodStatus.PROVISIONING, true));
  }

  @Override
  public CompletableFuture<Pod> start(String podId) {
    calls.add("start " + podId);
    if (failStart) {
      return CompletableFuture.failedFuture(
          new io.openavathar.PodProvisioningException("no GPU on host", true, true));
    }
    set(podId, PodStatus.STARTING);
    return CompletableFuture.completedFuture(pods.get(podId));
  }

  @Override
  public CompletableFuture<Pod> stop(String podId) {
    calls.add("stop " + podId);
    set(podId, PodStatus.EXITED);
    return CompletableFuture.completedFuture(pods.get(podId));
  }

  @Override
  public CompletableFuture<Void> terminate(String podId) {
    calls.add("terminate " + podId);
    pods.remove(podId);
    return CompletableFuture.completedFuture(null);
  }
}
