package io.openavathar.internal.job;

import io.openavathar.JobProgress;
import io.openavathar.JobState;
import io.openavathar.store.JobRecord;

/**
 * A job at one moment, as its engine last wrote it: its state, its progress, and its durable record
 * (as stored, or as the engine tried to store it). Immutable; each change makes a new one.
 *
 * <p>{@code state} and {@code record.state()} differ only when an end could not be written (the
 * handle ended, the store row did not: the next studio finishes it).
 */
record JobSnapshot(JobState state, JobProgress progress, JobRecord record) {

  /** The snapshot of a job whose record was just inserted or read back (after a restart). */
  static JobSnapshot of(JobRecord record) {
    return new JobSnapshot(
        record.state(),
        JobProgress.builder(record.state())
            .message(record.state() == JobState.QUEUED ? "Queued" : "Resumed in " + record.state())
            .build(),
        record);
  }

  JobSnapshot withProgress(JobProgress next) {
    return new JobSnapshot(state, next, record);
  }

  JobSnapshot withRecord(JobRecord next) {
    return new JobSnapshot(state, progress, next);
  }
}
