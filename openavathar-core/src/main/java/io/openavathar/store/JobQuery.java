package io.openavathar.store;

import io.openavathar.JobState;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which jobs to list: by state (empty = all), newest first, one page.
 *
 * @param states the states to include; empty for every state
 * @param offset jobs to skip
 * @param limit most jobs to return (1 to 1000)
 */
public record JobQuery(Set<JobState> states, int offset, int limit) {
  /**
   * Checks the page and copies the states.
   *
   * @param states the states to include; empty for every state
   * @param offset jobs to skip, 0 or more
   * @param limit most jobs to return, 1 to 1000
   * @throws IllegalArgumentException if the offset or the limit is out of range
   */
  public JobQuery {
    states =
        states.isEmpty()
            ? Set.of()
            : Set.copyOf(EnumSet.copyOf(Objects.requireNonNull(states, "states")));
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be 0 or more, was " + offset);
    }
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be between 1 and 1000, was " + limit);
    }
  }

  /**
   * The newest {@code limit} jobs in any state.
   *
   * @param limit most jobs to return, 1 to 1000
   * @return the query
   */
  public static JobQuery newest(int limit) {
    return new JobQuery(Set.of(), 0, limit);
  }

  /**
   * Jobs not yet ended (to resume after a restart).
   *
   * @return the query, at most 1000 jobs
   */
  public static JobQuery unfinished() {
    EnumSet<JobState> open = EnumSet.allOf(JobState.class);
    open.removeIf(JobState::isTerminal);
    return new JobQuery(open, 0, 1000);
  }
}
