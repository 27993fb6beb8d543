package io.openavathar.job;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Another studio's claim on an unfinished job: that studio runs it, so this one leaves it alone
 * until the claim ends. A live studio renews its claim while it runs the job; a crashed one on
 * another host holds it until {@link #until()}. (A crashed studio on this host does not hold
 * anything: its jobs are taken over at once.)
 */
public final class JobHolder {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private final String jobId;
  private final String host;
  private final long pid;
  private final Instant until;

  private JobHolder(String jobId, String host, long pid, Instant until) {
    this.jobId = Objects.requireNonNull(jobId, "jobId");
    this.host = Objects.requireNonNull(host, "host");
    this.pid = pid;
    this.until = Objects.requireNonNull(until, "until");
  }

  /**
   * A holder on {@code host} (empty if unknown) in process {@code pid} (0 or less if unknown),
   * whose claim lasts until {@code until} unless renewed.
   *
   * @param jobId the held job's id
   * @param host the holder's host name, or empty
   * @param pid the holder's process id, or 0 or less
   * @param until when the claim ends unless renewed
   * @return the holder
   */
  public static JobHolder of(String jobId, String host, long pid, Instant until) {
    return new JobHolder(jobId, host, pid, until);
  }

  /**
   * The id of the job that is held.
   *
   * @return the job id, never null
   */
  public String jobId() {
    return jobId;
  }

  /**
   * The holder's host name; empty if unknown (a claim written by an older SDK).
   *
   * @return the host name, or empty
   */
  public String host() {
    return host;
  }

  /**
   * The holder's process id, if known.
   *
   * @return the process id, or empty
   */
  public OptionalLong pid() {
    return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
  }

  /**
   * When the claim ends unless its studio renews it (it does every 20 s while it runs).
   *
   * @return the instant, never null
   */
  public Instant until() {
    return until;
  }

  /**
   * For messages: {@code a studio on host gpu-box (pid 4711) until 2026-12-06 05:42:10 UTC}.
   *
   * @return the description
   */
  public String description() {
    return (host.isEmpty() ? "another studio" : "a studio on host " + host)
        + (pid > 0 ? " (pid " + pid + ")" : "")
        + " until "
        + TIME.format(until);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobHolder h
        && jobId.equals(h.jobId)
        && host.equals(h.host)
        && pid == h.pid
        && until.equals(h.until);
  }

  @Override
  public int hashCode() {
    return Objects.hash(jobId, host, pid, until);
  }

  @Override
  public String toString() {
    return "JobHolder{job=" + jobId + ", " + description() + "}";
  }
}
