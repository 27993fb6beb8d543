package io.openavathar.store;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The SPI for a studio's durable state. Implementations are thread-safe and durable when a method
 * returns (the job engine writes every transition before it announces it). Calls are short and
 * blocking: they run on SDK threads, never on a caller's UI thread.
 *
 * <p>The default, {@link #open(Path)}, is one SQLite file in the data directory ({@code
 * ~/.openavathar/studio.db}), safe when two SDK processes use it at once; {@link #inMemory()} is
 * for tests. A shared SQL database (several app instances) implements the same interface, claiming
 * jobs with {@link #claimJob}.
 */
public interface StudioStore extends AutoCloseable {

  /**
   * The embedded store in {@code dataDirectory} (created if missing), migrated to the current
   * schema.
   */
  static StudioStore open(Path dataDirectory) {
    return JdbcStudioStore.open(dataDirectory);
  }

  /** A store that lives as long as this object (nothing on disk). */
  static StudioStore inMemory() {
    return JdbcStudioStore.inMemory();
  }

  /**
   * The store a JDBC URL names, migrated to the current schema:
   *
   * <ul>
   *   <li>{@code jdbc:postgresql://host:5432/database?user=name}: a PostgreSQL database that
   *       several studios, in several processes, share (one job queue, one set of pods). The
   *       password comes from the URL's {@code password} parameter, else the environment variable
   *       {@code OPENAVATHAR_STORE_PASSWORD}, else {@code PGPASSWORD}; it never appears in logs,
   *       messages or {@code toString()}. Needs {@code org.postgresql:postgresql}, {@code
   *       com.zaxxer:HikariCP}, {@code org.flywaydb:flyway-core} and {@code
   *       org.flywaydb:flyway-database-postgresql} in the application.
   *   <li>{@code jdbc:sqlite:/path/to/studio.db}: a SQLite file, as {@link #open(Path)} keeps one
   *       (its directory must exist).
   *   <li>{@code jdbc:sqlite::memory:}: as {@link #inMemory()}.
   * </ul>
   *
   * @throws io.openavathar.InvalidInputException if the URL names no database the studio can use
   * @throws io.openavathar.OpenAvatharException if the database cannot be reached, refuses the
   *     login, or is at a newer schema than this SDK
   */
  static StudioStore connect(String jdbcUrl) {
    return connect(jdbcUrl, null);
  }

  /**
   * As {@link #connect(String)}, with the PostgreSQL password given ({@code null}: from the URL or
   * the environment).
   */
  static StudioStore connect(String jdbcUrl, String password) {
    return JdbcStudioStore.connect(StoreUrl.parse(jdbcUrl), password, System.getenv());
  }

  /**
   * Copies everything {@code from} holds (jobs and their logs, videos, pods started and about to
   * be, boot times, pending quota tracks, settings) into {@code to}, which must be empty, in one
   * transaction on {@code to}: how a studio moves from its data directory's {@code studio.db} to
   * PostgreSQL, or back. Claims on jobs and tracks are not copied. Both must be stores of this SDK
   * ({@link #open}, {@link #connect}); close the studios using {@code from} first.
   *
   * @return the rows copied per table, in the order copied
   * @throws io.openavathar.OpenAvatharException if {@code to} is not empty (nothing is copied)
   */
  static java.util.Map<String, Integer> copy(StudioStore from, StudioStore to) {
    if (!(from instanceof JdbcStudioStore source) || !(to instanceof JdbcStudioStore target)) {
      throw new IllegalArgumentException(
          "copy works between stores of this SDK (StudioStore.open or connect), not "
              + from.getClass().getName()
              + " and "
              + to.getClass().getName());
    }
    return StoreCopy.copy(source, target);
  }

  // --- jobs ---

  /** Adds a job; fails if the id exists. */
  void insertJob(JobRecord job);

  /** Replaces a job's record (by id); fails if it does not exist. */
  void updateJob(JobRecord job);

  Optional<JobRecord> job(String id);

  /** Jobs matching the query, newest first. */
  List<JobRecord> jobs(JobQuery query);

  /**
   * Claims a job for {@code owner} until {@code until}, unless another owner holds an unexpired
   * claim. Two processes on one data directory use it so that only one resumes a job. Returns
   * whether this owner now holds it.
   */
  boolean claimJob(String jobId, String owner, Instant now, Duration lease);

  /**
   * Moves a job's claim from {@code from} to {@code owner} for {@code lease} from {@code now}, if
   * {@code from} still holds it, expired or not. For taking over at once the jobs of an owner known
   * to be gone (a crashed process on this host); of two callers that race, one wins. Returns
   * whether {@code owner} now holds it.
   */
  boolean takeOverJob(String jobId, String from, String owner, Instant now, Duration lease);

  /**
   * Who holds a job's claim and until when (the lease may have expired); empty if unclaimed or
   * unknown.
   */
  Optional<JobClaim> claim(String jobId);

  /** Releases a claim held by {@code owner} (no-op otherwise). */
  void releaseJob(String jobId, String owner);

  /**
   * Claims for {@code owner}, until {@code now + lease}, up to {@code max} unfinished jobs (any
   * state that is not terminal) that nobody holds or whose claim has expired, oldest first: how
   * studios sharing one store share one queue. Of several owners calling at once, each job goes to
   * exactly one; a job another owner holds unexpired is never returned.
   *
   * @param max the most jobs to claim, at least 1
   * @return the claimed jobs as they are now, oldest first; empty when none is free
   */
  List<JobRecord> claimUnfinished(String owner, int max, Instant now, Duration lease);

  /**
   * Records a job's outcome in one transaction: the {@code video} and the job's {@code COMPLETED}
   * record, both or neither. A video already stored under the same id for the same job (left by an
   * earlier SDK that crashed between the two writes) is kept. Fails, writing nothing, if the job is
   * unknown or the video id belongs to another job.
   */
  void completeJob(JobRecord completed, VideoRecord video);

  /** Appends a line to a job's log, keeping the newest 200 lines. */
  void appendJobLog(String jobId, Instant at, String line);

  /** A job's log lines, oldest first (at most 200). */
  List<String> jobLog(String jobId);

  // --- videos ---

  void insertVideo(VideoRecord video);

  Optional<VideoRecord> video(String id);

  /** Videos newest first. */
  List<VideoRecord> videos(int offset, int limit);

  /** Deletes the record; returns whether it existed. */
  boolean deleteVideo(String id);

  // --- pods the SDK started ---

  void podStarted(StartedPod pod);

  /** Updates the pod's last activity (no-op if the SDK did not start it). */
  void podActive(String podId, Instant at);

  void podForgotten(String podId);

  List<StartedPod> startedPods();

  // --- pods the SDK is about to create ---

  /**
   * Records that a pod with {@code intent.name()} is about to be created (replacing an intent of
   * that name).
   */
  void podIntended(PodIntent intent);

  /** Clears the intent of that name (no-op if there is none). */
  void podIntentCleared(String name);

  /** The recorded intents, oldest first. */
  List<PodIntent> podIntents();

  // --- measurements, for cost estimates ---

  /**
   * The newest finished runs on {@code gpuType} (exactly as videos record it) whose GPU seconds and
   * frames are known, newest first, at most {@code limit}: the measured speed of this account's
   * GPUs. Videos imported from a pod's history count too (their requested frames are unknown).
   */
  List<GpuRun> recentRuns(String gpuType, int limit);

  /** Records how long a pod took to boot. */
  void podBooted(PodBoot boot);

  /**
   * The newest boots of pods of {@code gpuType} (both kinds), newest ready first, at most {@code
   * limit}.
   */
  List<PodBoot> recentBoots(String gpuType, int limit);

  // --- quota tracking not yet confirmed by the license server ---

  /** Records a finished video to count; adding a job already pending keeps its first time. */
  void addPendingTrack(String jobId, Instant at);

  void removePendingTrack(String jobId);

  /**
   * Claims the pending track of {@code jobId} for {@code owner} until {@code now + lease}, unless
   * another owner holds an unexpired claim on it: studios sharing one store send each track once.
   * The same owner renews its claim. Returns false if the track is not pending or another owner
   * holds it; removing the track ends the claim.
   */
  boolean claimPendingTrack(String jobId, String owner, Instant now, Duration lease);

  /** The pending tracks' job ids, oldest first. */
  default List<String> pendingTracks() {
    return pendingTrackEntries().stream().map(PendingTrack::jobId).toList();
  }

  /** The pending tracks with the time each job finished, oldest first. */
  List<PendingTrack> pendingTrackEntries();

  // --- settings ---

  Optional<String> setting(String key);

  void setSetting(String key, String value);

  /** The schema version this store is at. */
  int schemaVersion();

  @Override
  void close();
}
