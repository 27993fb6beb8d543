package io.openavathar.examples.cli;

import io.openavathar.AvatarStudio;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodManager;
import io.openavathar.pod.PodStatus;
import io.openavathar.store.JobQuery;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * What {@code generate}, {@code jobs run} and {@code jobs work} do on RunPod once their jobs are
 * done. The studio's idle stop cannot outlive the command, so a pod the SDK started would run (and
 * bill) until stopped: with {@code --stop-pod}, stop the SDK's pods the jobs ran on that no other
 * unfinished job uses; then name every pod the SDK started that is still running, with the command
 * that stops it.
 */
final class BillingPods {
  private BillingPods() {}

  static void afterJobs(
      AvatarStudio studio, Collection<String> podsUsed, boolean stop, PrintWriter err) {
    PodManager pods = studio.pods();
    try {
      pods.adoption()
          .join(); // pods an earlier, crashed run was creating count as started by the SDK
    } catch (CompletionException e) {
      // Already logged by the manager; the pods it could not look up are named by `openavathar pods
      // list`.
    }
    Set<String> ours = pods.podsStartedHere();
    if (stop) {
      for (String podId : new LinkedHashSet<>(podsUsed)) {
        if (!ours.contains(podId)) {
          continue;
        }
        Optional<String> user = otherJobOn(studio, podId);
        if (user.isPresent()) {
          err.println("Not stopping pod " + podId + ": " + user.get() + " still uses it.");
        } else {
          pods.stop(podId).join();
          err.println("Stopped pod " + podId + ".");
        }
      }
    }
    if (!ours.isEmpty()) {
      Set<String> started = pods.podsStartedHere();
      List<Pod> running =
          pods.listPods().join().stream()
              .filter(p -> started.contains(p.id()) && p.status() != PodStatus.EXITED)
              .toList();
      for (Pod p : running) {
        err.println(
            "Pod "
                + p.id()
                + " is still running and billing. Stop it with: openavathar pods stop "
                + p.id()
                + (stop ? "" : " (or pass --stop-pod next time)"));
      }
    }
    err.flush();
  }

  /**
   * An unfinished job (of any studio on this data directory) or a lease of this studio on the pod.
   */
  private static Optional<String> otherJobOn(AvatarStudio studio, String podId) {
    Optional<String> stored =
        studio.jobs().list(JobQuery.unfinished()).stream()
            .filter(j -> j.podId().filter(podId::equals).isPresent())
            .map(j -> "job " + j.id())
            .findFirst();
    if (stored.isPresent() || studio.pods().load(podId) == 0) {
      return stored;
    }
    return Optional.of("a job of this command");
  }
}
