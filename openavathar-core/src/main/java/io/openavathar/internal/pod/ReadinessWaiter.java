package io.openavathar.internal.pod;

import io.openavathar.PodProvisioningException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.comfy.ComfyUiClient;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodPolicy;
import io.openavathar.pod.PodProvider;
import io.openavathar.pod.PodSpec;
import io.openavathar.pod.PodStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for one pod to serve ComfyUI, on the scheduler, holding no thread in between. Two phases:
 * ask the provider (backing off from {@link PodPolicy#apiPollInitial()} to {@link
 * PodPolicy#apiPollMax()}, honouring Retry-After) until it reports the pod RUNNING with ComfyUI's
 * port mapped; then probe {@code /system_stats} through the pod's URL every {@link
 * PodPolicy#probeInterval()} (cheap, and it is not the provider's rate-limited API), asking the
 * provider again now and then in case the pod died. A pod RUNNING long before ComfyUI has loaded is
 * the normal case.
 */
final class ReadinessWaiter {
  private static final Logger log = LoggerFactory.getLogger(ReadinessWaiter.class);

  /** In the probe phase, re-read the pod from the provider every this many probes. */
  private static final int PROBES_PER_API_CHECK = 20;

  private final PodProvider provider;
  private final PodPolicy policy;
  private final Function<Pod, ComfyUiClient> comfy;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final String podId;
  private final Instant deadline;
  private final CompletableFuture<Pod> result = new CompletableFuture<>();
  private Duration apiInterval;
  private int probes;
  private Pod lastSeen;

  ReadinessWaiter(
      PodProvider provider,
      PodPolicy policy,
      Function<Pod, ComfyUiClient> comfy,
      ScheduledExecutorService scheduler,
      Clock clock,
      String podId,
      Duration timeout) {
    this.provider = provider;
    this.policy = policy;
    this.comfy = comfy;
    this.scheduler = scheduler;
    this.clock = clock;
    this.podId = podId;
    this.deadline = clock.instant().plus(timeout);
    this.apiInterval = policy.apiPollInitial();
  }

  CompletableFuture<Pod> start() {
    checkProvider();
    return result;
  }

  private void checkProvider() {
    if (result.isDone() || pastDeadline()) {
      return;
    }
    provider
        .getPod(podId)
        .whenComplete(
            (pod, failure) -> {
              if (failure != null) {
                Duration wait = apiInterval;
                if (failure.getCause() instanceof RemoteUnavailableException r
                    && r.retryAfter().isPresent()) {
                  wait = r.retryAfter().get();
                }
                log.debug(
                    "Pod {} status check failed, retrying in {}: {}",
                    podId,
                    wait,
                    failure.toString());
                later(wait, this::checkProvider);
                apiInterval = next(apiInterval);
                return;
              }
              if (pod.isEmpty()) {
                result.completeExceptionally(
                    new PodProvisioningException(
                        "Pod " + podId + " disappeared while starting (terminated?). Try again.",
                        true,
                        false));
                return;
              }
              lastSeen = pod.get();
              switch (lastSeen.status()) {
                case ERROR, TERMINATED ->
                    result.completeExceptionally(
                        new PodProvisioningException(
                            "Pod "
                                + podId
                                + " went to "
                                + lastSeen.rawStatus()
                                + " while starting. Try again, or choose another "
                                + "GPU type.",
                            true,
                            true));
                default -> {
                  if (providerSaysUp(lastSeen)) {
                    probes = 0;
                    probe();
                  } else {
                    log.debug(
                        "Pod {} is {} (runtime up: {}); next check in {}",
                        podId,
                        lastSeen.rawStatus(),
                        lastSeen.isRuntimeUp(),
                        apiInterval);
                    later(apiInterval, this::checkProvider);
                    apiInterval = next(apiInterval);
                  }
                }
              }
            });
  }

  private boolean providerSaysUp(Pod pod) {
    if (pod.status() != PodStatus.RUNNING || pod.comfyUiUrl().isEmpty()) {
      return false;
    }
    // Providers that know nothing about runtimes (fixed URLs) report RUNNING only.
    return !provider.canManagePods() || pod.isServing(PodSpec.COMFYUI_PORT);
  }

  private void probe() {
    if (result.isDone() || pastDeadline()) {
      return;
    }
    comfy
        .apply(lastSeen)
        .probe()
        .whenComplete(
            (stats, failure) -> {
              if (failure == null) {
                log.debug("Pod {} serves ComfyUI {}", podId, stats.comfyUiVersion());
                result.complete(lastSeen);
              } else if (++probes % PROBES_PER_API_CHECK == 0) {
                later(policy.probeInterval(), this::checkProvider);
              } else {
                later(policy.probeInterval(), this::probe);
              }
            });
  }

  private boolean pastDeadline() {
    if (clock.instant().isBefore(deadline)) {
      return false;
    }
    result.completeExceptionally(
        new PodProvisioningException(
            "Pod "
                + podId
                + " did not become ready within "
                + policy.readyTimeout().toMinutes()
                + " min (last seen "
                + (lastSeen == null
                    ? "never"
                    : lastSeen.rawStatus()
                        + (lastSeen.isRuntimeUp() ? ", container up" : ", container not up"))
                + "). Retrying may work; another GPU type or cloud may start faster.",
            true,
            true));
    return true;
  }

  private void later(Duration delay, Runnable task) {
    try {
      scheduler.schedule(task, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      result.completeExceptionally(
          new io.openavathar.OpenAvatharException(
              "Stopped waiting for pod " + podId + ": the studio is closing.", e));
    }
  }

  private Duration next(Duration d) {
    Duration doubled = d.multipliedBy(2);
    return doubled.compareTo(policy.apiPollMax()) > 0 ? policy.apiPollMax() : doubled;
  }
}
