package io.openavathar.internal.job;

import io.openavathar.CancelOutcome;
import io.openavathar.CancelOutcome.Kind;

/**
 * The wording of {@link CancelOutcome}s: what happened on which server, and how to stop what may
 * still run.
 */
final class CancelOutcomes {
  private CancelOutcomes() {}

  /**
   * Where a job's prompt went: the server's URL (no user info), the pod, and whether the studio
   * rents that pod.
   */
  record Target(String jobId, String promptId, String server, String podId, boolean rentedPod) {
    /**
     * The target a job's record names (a prompt submitted, perhaps by an earlier run); its URL
     * without user info.
     */
    static Target of(io.openavathar.store.JobRecord record) {
      String server =
          record.comfyUrl().map(io.openavathar.internal.Urls::withoutUserInfo).orElse("its server");
      // Whether the pod is rented is not in the record: the advice names what works on every
      // server.
      return new Target(
          record.id(), record.promptId().orElse("?"), server, record.podId().orElse(null), false);
    }
  }

  /** The line a job's log records for the outcome of its cancel. */
  static String logLine(CancelOutcome outcome) {
    return "Cancel " + outcome.kind() + ": " + outcome.message();
  }

  static CancelOutcome notSubmitted(String jobId) {
    return CancelOutcome.builder(jobId, Kind.NOT_SUBMITTED)
        .message("Job " + jobId + " was cancelled before its prompt reached ComfyUI; nothing runs.")
        .build();
  }

  static CancelOutcome ended(String jobId, io.openavathar.JobState state) {
    return CancelOutcome.builder(jobId, Kind.FINISHED_FIRST)
        .message("Job " + jobId + " had already ended (" + state + ") before the cancel.")
        .build();
  }

  static CancelOutcome interrupted(Target t) {
    return of(
        t,
        Kind.INTERRUPTED,
        "ComfyUI at " + t.server() + " interrupted prompt " + t.promptId() + ".");
  }

  static CancelOutcome dequeued(Target t, boolean byUs) {
    return of(
        t,
        Kind.DEQUEUED,
        byUs
            ? "Prompt "
                + t.promptId()
                + " was removed from the queue of ComfyUI at "
                + t.server()
                + " before it ran."
            : "ComfyUI at "
                + t.server()
                + " no longer has prompt "
                + t.promptId()
                + " (removed from its queue, or the"
                + " server restarted); nothing of it runs.");
  }

  static CancelOutcome notReceived(Target t) {
    return of(
        t,
        Kind.NOT_SUBMITTED,
        "ComfyUI at " + t.server() + " never received prompt " + t.promptId() + "; nothing runs.");
  }

  static CancelOutcome finishedFirst(Target t, String how) {
    return of(
        t,
        Kind.FINISHED_FIRST,
        "Prompt "
            + t.promptId()
            + " had already "
            + how
            + " on ComfyUI at "
            + t.server()
            + " before the cancel reached it; nothing was left to stop.");
  }

  /** The prompt may still run: says where, why we do not know, and how to stop it. */
  static CancelOutcome unconfirmed(Target t, String state, String why) {
    return of(
        t,
        Kind.UNCONFIRMED,
        "Prompt "
            + t.promptId()
            + " may still be "
            + state
            + " on ComfyUI at "
            + t.server()
            + (t.podId() == null ? "" : " (pod " + t.podId() + ")")
            + ": "
            + why
            + ". "
            + howToStop(t));
  }

  static String howToStop(Target t) {
    return "Stop it in ComfyUI's queue (open "
        + t.server()
        + "), or with POST "
        + t.server()
        + "/interrupt and the"
        + " body {\"prompt_id\": \""
        + t.promptId()
        + "\"}"
        + (t.rentedPod() && t.podId() != null
            ? ", or stop the pod: openavathar pods stop " + t.podId()
            : "")
        + ".";
  }

  private static CancelOutcome of(Target t, Kind kind, String message) {
    return CancelOutcome.builder(t.jobId(), kind)
        .message(message)
        .promptId(t.promptId())
        .server(t.server())
        .podId(t.podId())
        .build();
  }
}
