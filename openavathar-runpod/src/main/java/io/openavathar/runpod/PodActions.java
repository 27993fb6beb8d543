package io.openavathar.runpod;

import io.openavathar.OpenAvatharException;
import io.openavathar.PodProvisioningException;
import io.openavathar.internal.Retries;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodStatus;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and lifecycle calls on one pod: {@code GET /pods/{id}}, {@code POST /pods/{id}/action}
 * (start, stop) and {@code DELETE /pods/{id}}. All are retried on transient failures. An action
 * that RunPod refuses with 409 because a previous attempt of the same call already did it (its
 * answer was lost) counts as done.
 */
final class PodActions {
  private static final Logger LOG = LoggerFactory.getLogger(PodActions.class);

  private final RunPodHttp h;
  private final PodJson json;

  PodActions(RunPodHttp h, PodJson json) {
    this.h = h;
    this.json = json;
  }

  CompletableFuture<Optional<Pod>> get(String podId) {
    String op = "looking up pod " + podId;
    return h.retried(
        op,
        until ->
            h.exchange(
                op,
                h.get(h.url("pods", podId)),
                until,
                r -> {
                  if (r.code() == 404) {
                    return Optional.<Pod>empty();
                  }
                  return Optional.of(json.pod(h.jsonObject(op, r)));
                }));
  }

  /** {@code start} or {@code stop}. */
  CompletableFuture<Pod> act(String podId, String action) {
    String op = (action.equals("stop") ? "stopping" : "starting") + " pod " + podId;
    AtomicBoolean mayHaveArrived = new AtomicBoolean();
    CompletableFuture<Pod> acted =
        h.retried(
            op,
            until -> {
              var body = h.postJsonBody("action", action);
              return h.exchange(
                      op,
                      h.postJson(h.url("pods", podId, "action"), body),
                      until,
                      r -> {
                        if (r.code() >= 500) {
                          mayHaveArrived.set(true);
                        }
                        return answer(op, podId, r);
                      })
                  .whenComplete(
                      (v, e) -> {
                        if (e != null && RunPodHttp.connectionMayHaveDelivered(e)) {
                          mayHaveArrived.set(true);
                        }
                      });
            });
    return acted.exceptionallyCompose(
        e -> {
          if (Retries.unwrap(e) instanceof Conflict conflict) {
            return afterConflict(podId, action, conflict.problem, mayHaveArrived.get());
          }
          return CompletableFuture.failedFuture(Retries.unwrap(e));
        });
  }

  CompletableFuture<Void> terminate(String podId) {
    String op = "terminating pod " + podId;
    return h.retried(
        op,
        until ->
            h.exchange(
                op,
                h.delete(h.url("pods", podId)),
                until,
                r -> {
                  switch (r.code()) {
                    case 200, 204 -> LOG.debug("Terminated pod {}", podId);
                    case 404 -> LOG.debug("Pod {} is already gone; nothing to terminate", podId);
                    case 409 ->
                        throw new PodProvisioningException(
                            "RunPod will not terminate pod "
                                + podId
                                + " through the pod API (HTTP 409: "
                                + h.problem(r).describe()
                                + "). It is probably a cluster member: remove it through its cluster.",
                            false,
                            true);
                    default -> throw h.failure(op, r);
                  }
                  return null;
                }));
  }

  private Pod answer(String op, String podId, Response r) throws IOException {
    return switch (r.code()) {
      case 200, 201 -> json.pod(h.jsonObject(op, r));
      case 404 ->
          throw new PodProvisioningException(
              "RunPod has no pod "
                  + podId
                  + " (HTTP 404); it may have been terminated. List the pods to check.",
              false,
              true);
      case 409 -> throw new Conflict(h.problem(r));
      default -> throw h.failure(op, r);
    };
  }

  private CompletableFuture<Pod> afterConflict(
      String podId, String action, Problem problem, boolean retried) {
    return get(podId)
        .handle(
            (found, e) -> {
              Pod pod = found == null ? null : found.orElse(null);
              if (pod != null && retried && alreadyDone(action, pod.status())) {
                LOG.debug(
                    "Pod {} is {} already: an earlier {} whose answer was lost did it",
                    podId,
                    pod.rawStatus(),
                    action);
                return pod;
              }
              String state = pod == null ? "in its current state" : "while " + pod.rawStatus();
              throw new PodProvisioningException(
                  "Pod "
                      + podId
                      + " cannot "
                      + action
                      + " "
                      + state
                      + " (RunPod answered HTTP 409: "
                      + problem.describe()
                      + "). Check the pod's status before asking again.",
                  false,
                  true);
            });
  }

  private static boolean alreadyDone(String action, PodStatus status) {
    return action.equals("stop")
        ? status == PodStatus.EXITED
        : Set.of(PodStatus.RUNNING, PodStatus.STARTING, PodStatus.PROVISIONING).contains(status);
  }

  /**
   * RunPod refused an action in the pod's current state; resolved by {@link #afterConflict}. Never
   * retried.
   */
  private static final class Conflict extends OpenAvatharException {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;

    Conflict(Problem problem) {
      super("HTTP 409: " + problem.describe());
      this.problem = problem;
    }
  }
}
