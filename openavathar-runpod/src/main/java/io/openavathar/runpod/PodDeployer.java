package io.openavathar.runpod;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openavathar.NoGpuAvailableException;
import io.openavathar.OpenAvatharException;
import io.openavathar.PodProvisioningException;
import io.openavathar.Setting;
import io.openavathar.internal.Retries;
import io.openavathar.pod.CloudType;
import io.openavathar.pod.GpuOffer;
import io.openavathar.pod.GpuSelection;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /pods} over the candidates of a {@link GpuSelection} (in its order), never creating
 * two pods for one deploy. When nothing is left to try it fails with a {@link
 * NoGpuAvailableException} listing every candidate tried and why, or, when nothing qualified at
 * all, which limits of the spec to relax.
 *
 * <p>RunPod places one GPU type per request and offers no idempotency key, and a create whose
 * answer is lost (timeout, broken connection, 5xx after the pod was made) may still have created a
 * billed pod. So after such a failure the next attempt first lists the pods and looks for the
 * deploy's name, which is unique; it creates again only when the pod is absent. A small window
 * remains: a create still being processed by RunPod when the look-up runs is not seen; the retry
 * delay before the look-up makes that unlikely. For a name the caller chose, pods that already had
 * that name before the deploy are ignored by the look-up.
 *
 * <p>RunPod's create description says a 400 may mean that the GPU type and cloud could not be
 * placed (no capacity), with no machine-readable code, and advises trying the next candidate. So
 * any 400 moves on to the next candidate unless its {@code errors} name fields of our request (a
 * validation error, as is every 422): then trying elsewhere cannot help and the deploy stops with
 * RunPod's message. Capacity is never told apart by its English wording.
 */
final class PodDeployer {
  private static final Logger LOG = LoggerFactory.getLogger(PodDeployer.class);
  private static final String CREATE = "creating a pod";
  private static final String LOOK_UP = "looking for a pod created earlier";

  private final RunPodHttp h;
  private final PodJson json;

  PodDeployer(RunPodHttp h, PodJson json) {
    this.h = h;
    this.json = json;
  }

  /** Why a candidate was passed over. */
  private enum SkipKind {
    /** HTTP 400 worded like RunPod's "no free machine". */
    NO_CAPACITY,
    /** Another HTTP 400 without field errors: maybe capacity in other words, maybe the request. */
    REFUSED,
    /** HTTP 403: the account may not use this pool. */
    DENIED
  }

  /** What one candidate gave: a pod, or a reason to move on to the next candidate. */
  private record Outcome(Pod pod, String skipReason, SkipKind kind) {}

  /** A candidate passed over, and why. */
  private record Skip(GpuOffer candidate, String reason, SkipKind kind) {
    @Override
    public String toString() {
      return candidate + " (" + reason + ")";
    }
  }

  CompletableFuture<Pod> deploy(
      PodSpec spec, GpuSelection selection, String name, boolean nameChosenByCaller) {
    List<GpuOffer> candidates = selection.offers();
    if (candidates.isEmpty()) {
      return CompletableFuture.failedFuture(nothingQualifies(spec, selection));
    }
    CompletableFuture<Set<String>> existing =
        nameChosenByCaller
            ? h.retried(LOOK_UP, until -> listNamed(name, until)).thenApply(PodDeployer::idsOf)
            : CompletableFuture.completedFuture(Set.of());
    return existing.thenCompose(
        ignore -> next(spec, selection, name, ignore, 0, new ArrayList<>()));
  }

  private CompletableFuture<Pod> next(
      PodSpec spec,
      GpuSelection selection,
      String name,
      Set<String> ignore,
      int i,
      List<Skip> tried) {
    List<GpuOffer> candidates = selection.offers();
    if (i == candidates.size()) {
      return CompletableFuture.failedFuture(exhausted(spec, selection, tried));
    }
    GpuOffer c = candidates.get(i);
    return create(spec, name, ignore, c)
        .thenCompose(
            outcome -> {
              if (outcome.pod() != null) {
                return CompletableFuture.completedFuture(outcome.pod());
              }
              LOG.debug("Pod {}: {} skipped: {}", name, c, outcome.skipReason());
              tried.add(new Skip(c, outcome.skipReason(), outcome.kind()));
              return next(spec, selection, name, ignore, i + 1, tried);
            });
  }

  /**
   * One candidate, retried on transient failures, looking the pod up by name before any repeated
   * create.
   */
  private CompletableFuture<Outcome> create(
      PodSpec spec, String name, Set<String> ignore, GpuOffer c) {
    ObjectNode body = PodJson.createBody(spec, name, c.gpuId(), c.cloud());
    AtomicBoolean mayExist = new AtomicBoolean();
    CompletableFuture<Outcome> result = new CompletableFuture<>();
    h.retried(CREATE, until -> attempt(body, name, ignore, c, mayExist, until))
        .whenComplete(
            (outcome, failure) -> {
              if (failure == null) {
                result.complete(outcome);
              } else if (mayExist.get() && Retries.isRetryable(failure)) {
                // Out of attempts after a create that may have worked: look once more before giving
                // up.
                lastLook(name, ignore, c, failure, result);
              } else {
                result.completeExceptionally(Retries.unwrap(failure));
              }
            });
    return result;
  }

  private CompletionStage<Outcome> attempt(
      ObjectNode body,
      String name,
      Set<String> ignore,
      GpuOffer c,
      AtomicBoolean mayExist,
      CompletableFuture<?> until) {
    CompletionStage<Optional<Pod>> known =
        mayExist.get()
            ? findNamed(name, ignore, until)
            : CompletableFuture.completedFuture(Optional.empty());
    return known.thenCompose(
        found -> {
          if (found.isPresent()) {
            LOG.debug(
                "Pod {} was created although RunPod's answer was lost; not creating it again",
                name);
            return CompletableFuture.completedFuture(
                new Outcome(filledIn(found.get(), c), null, null));
          }
          LOG.debug("Creating pod {} with {}", name, c);
          return h.exchange(
                  CREATE + " with " + c,
                  h.postJson(h.url("pods"), body),
                  until,
                  r -> answer(r, body, c, mayExist))
              .whenComplete(
                  (v, e) -> {
                    if (e != null && RunPodHttp.connectionMayHaveDelivered(e)) {
                      mayExist.set(true);
                    }
                  });
        });
  }

  private Outcome answer(Response response, ObjectNode body, GpuOffer c, AtomicBoolean mayExist)
      throws IOException {
    int code = response.code();
    if (code == 200 || code == 201) {
      Pod pod = filledIn(json.pod(h.jsonObject(CREATE, response)), c);
      LOG.debug("Created pod {} ({}) with {}", pod.id(), pod.name(), c);
      return new Outcome(pod, null, null);
    }
    Problem problem = h.problem(response);
    if (code >= 500) {
      mayExist.set(true); // RunPod has answered 5xx after creating the pod
    }
    switch (code) {
      case 400:
        if (problem.namesFieldsOf(body)) {
          throw new PodProvisioningException(
              "RunPod refused to create the pod with "
                  + c
                  + " (HTTP 400: "
                  + problem.describeWithErrors()
                  + "). Check the pod spec (template, ports, network volume, disk) against RunPod's rules.",
              false,
              true);
        }
        if (problem.saysNoCapacity()) {
          return new Outcome(null, "no capacity", SkipKind.NO_CAPACITY);
        }
        return new Outcome(null, "HTTP 400: " + problem.describe(), SkipKind.REFUSED);
      case 402:
        throw RunPodHttp.noBalance();
      case 403:
        return new Outcome(null, "access denied: " + problem.describe(), SkipKind.DENIED);
      case 404:
        throw new PodProvisioningException(
            "RunPod found no template or network volume for the pod (HTTP 404: "
                + problem.describe()
                + "). Check the pod spec's template and network volume.",
            false,
            true);
      default:
        throw h.failure(CREATE, response);
    }
  }

  private void lastLook(
      String name,
      Set<String> ignore,
      GpuOffer c,
      Throwable failure,
      CompletableFuture<Outcome> result) {
    h.retried(LOOK_UP, until -> findNamed(name, ignore, until))
        .whenComplete(
            (found, lookFailure) -> {
              if (found != null && found.isPresent()) {
                LOG.debug(
                    "Pod {} was created although RunPod's answers were lost; not creating it again",
                    name);
                result.complete(new Outcome(filledIn(found.get(), c), null, null));
              } else {
                Throwable cause = Retries.unwrap(failure);
                result.completeExceptionally(
                    new PodProvisioningException(
                        "Creating pod "
                            + name
                            + " with "
                            + c
                            + " failed "
                            + h.retries().maxAttempts()
                            + " times: "
                            + cause.getMessage()
                            + (lookFailure == null
                                ? " RunPod does not list the pod."
                                : " Whether RunPod created it is unknown: check for a pod named "
                                    + name
                                    + " in the console.")
                            + " Retry later.",
                        true,
                        false,
                        cause));
              }
            });
  }

  private CompletionStage<List<Pod>> listNamed(String name, CompletableFuture<?> until) {
    return h.exchange(
            LOOK_UP, h.get(h.url("pods")), until, r -> json.pods(h.jsonObject(LOOK_UP, r)))
        .thenApply(pods -> pods.stream().filter(p -> p.name().equals(name)).toList());
  }

  private CompletionStage<Optional<Pod>> findNamed(
      String name, Set<String> ignore, CompletableFuture<?> until) {
    return listNamed(name, until)
        .thenApply(pods -> pods.stream().filter(p -> !ignore.contains(p.id())).findFirst());
  }

  private static Set<String> idsOf(List<Pod> pods) {
    return pods.stream().map(Pod::id).collect(Collectors.toUnmodifiableSet());
  }

  /** The pod with the candidate's GPU type and cloud where RunPod's answer left them out. */
  private static Pod filledIn(Pod pod, GpuOffer c) {
    Pod.Builder b = pod.toBuilder();
    if (pod.gpuType().isEmpty()) {
      b.gpuType(c.gpuId());
    }
    if (pod.cloudType() == CloudType.UNKNOWN) {
      b.cloudType(c.cloud());
    }
    return b.build();
  }

  /**
   * Nothing to try: every GPU type was left out by the spec's limits, the clouds or the catalog's
   * stock.
   */
  private static OpenAvatharException nothingQualifies(PodSpec spec, GpuSelection selection) {
    Set<Setting> limits = EnumSet.noneOf(Setting.class);
    limits.addAll(selection.limitsToRelax());
    if (spec.clouds().size() < 2) {
      limits.add(Setting.CLOUD);
    }
    if (!spec.choosesGpusByNeed()) {
      limits.add(Setting.GPU);
    }
    return new NoGpuAvailableException(
        List.of(),
        selection.excluded(),
        List.copyOf(limits),
        selection.excluded().stream().anyMatch(e -> e.reason() == GpuSelection.Reason.NO_STOCK)
            ? "The catalog's stock changes often: retry later."
            : "");
  }

  private static OpenAvatharException exhausted(
      PodSpec spec, GpuSelection selection, List<Skip> tried) {
    boolean allDenied = tried.stream().allMatch(s -> s.kind() == SkipKind.DENIED);
    List<String> attempts = tried.stream().map(Skip::toString).toList();
    if (allDenied) {
      return new PodProvisioningException(
          "RunPod denied this account every requested GPU pool (HTTP 403), tried: "
              + String.join(", ", attempts)
              + ". Check the API key's permissions (RUNPOD_API_KEY) or allow other GPU types in the pod spec.",
          false,
          true);
    }
    // RunPod: "if every candidate returns 400, suspect the request rather than capacity" - unless
    // it said capacity.
    boolean maybeTheRequest =
        tried.stream().noneMatch(s -> s.kind() == SkipKind.NO_CAPACITY)
            && tried.stream().anyMatch(s -> s.kind() == SkipKind.REFUSED);
    Set<Setting> limits = EnumSet.noneOf(Setting.class);
    if (spec.choosesGpusByNeed()) {
      limits.addAll(selection.limitsToRelax());
    } else {
      limits.add(Setting.GPU);
      selection.excluded().forEach(e -> limits.add(e.reason().setting()));
    }
    if (spec.clouds().size() < 2) {
      limits.add(Setting.CLOUD);
    }
    return new NoGpuAvailableException(
        tried.stream()
            .map(s -> new NoGpuAvailableException.Attempt(s.candidate(), s.reason()))
            .toList(),
        selection.excluded(),
        List.copyOf(limits),
        maybeTheRequest
            ? "RunPod refused every candidate without saying it had no capacity: if the reason"
                + " quoted names the pod spec (template, ports, network volume, disk), fix it."
            : "");
  }
}
