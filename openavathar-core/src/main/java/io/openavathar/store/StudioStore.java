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
 * for tests. {@link #connect(String)} opens a PostgreSQL database that studios in several processes
 * share: they take jobs from one queue with {@link #claimUnfinished} and send each quota track once
 * ({@link #claimPendingTrack}).
 */
public interface StudioStore extends AutoCloseable {

  /**
   * The embedded store in {@code dataDirectory} (created if missing), migrated to the current
   * schema.
   *
   * @param dataDirectory the data directory
   * @return the store; close it when done
   */
  static StudioStore open(Path dataDirectory) {
    return JdbcStudioStore.open(dataDirectory);
  }

  /**
   * A store that lives as long as this object (nothing on disk).
   *
   * @return a new, empty store
   */
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
   * @param jdbcUrl the database's JDBC URL; a password in it is never logged or shown
   * @return the store, migrated to this SDK's schema; the caller closes it
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
   *
   * @param jdbcUrl the database's JDBC URL
   * @param password the PostgreSQL password, or {@code null} to take it from the URL ({@code
   *     password=}), else {@code OPENAVATHAR_STORE_PASSWORD}, else {@code PGPASSWORD}
   * @return the store, migrated to this SDK's schema; the caller closes it
   * @throws io.openavathar.InvalidInputException if the URL names no database the studio can use
   * @throws io.openavathar.OpenAvatharException if the database cannot be reached, refuses the
   *     login, or is at a newer schema than this SDK
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
   * @param from the store to copy from; it is only read
   * @param to the empty store to copy into
   * @return the rows copied per table, in the order copied
   * @throws io.openavathar.OpenAvatharException if {@code to} is not empty (nothing is copied)
   * @throws IllegalArgumentException if either store is not one of this SDK's
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

  /**
   * Adds a job; fails if the id exists.
   *
   * @param job the new job
   */
  void insertJob(JobRecord job);

  /**
   * Replaces a job's record (by id); fails if it does not exist.
   *
   * @param job the job's new record
   */
  void updateJob(JobRecord job);

  /**
   * One job by id.
   *
   * @param id the job's id
   * @return the job, or empty if unknown
   */
  Optional<JobRecord> job(String id);

  /**
   * Jobs matching the query, newest first.
   *
   * @param query the filter and page
   * @return the jobs
   */
  List<JobRecord> jobs(JobQuery query);

  /**
   * Claims a job for {@code owner} until {@code until}, unless another owner holds an unexpired
   * claim. Two processes on one data directory use it so that only one resumes a job. Returns
   * whether this owner now holds it.
   *
   * @param jobId the job's id
   * @param owner the claimer, as it identifies itself
   * @param now the current time
   * @param lease how long the claim lasts unless renewed
   * @return true if {@code owner} holds the claim now
   */
  boolean claimJob(String jobId, String owner, Instant now, Duration lease);

  /**
   * Moves a job's claim from {@code from} to {@code owner} for {@code lease} from {@code now}, if
   * {@code from} still holds it, expired or not. For taking over at once the jobs of an owner known
   * to be gone (a crashed process on this host); of two callers that race, one wins. Returns
   * whether {@code owner} now holds it.
   *
   * @param jobId the job's id
   * @param from the owner that held the claim
   * @param owner the new owner
   * @param now the current time
   * @param lease how long the claim lasts unless renewed
   * @return true if {@code owner} holds the claim now
   */
  boolean takeOverJob(String jobId, String from, String owner, Instant now, Duration lease);

  /**
   * Who holds a job's claim and until when (the lease may have expired); empty if unclaimed or
   * unknown.
   *
   * @param jobId the job's id
   * @return the claim, or empty
   */
  Optional<JobClaim> claim(String jobId);

  /**
   * Releases a claim held by {@code owner} (no-op otherwise).
   *
   * @param jobId the job's id
   * @param owner the owner that holds the claim
   */
  void releaseJob(String jobId, String owner);

  /**
   * Claims for {@code owner}, until {@code now + lease}, up to {@code max} unfinished jobs (any
   * state that is not terminal) that nobody holds or whose claim has expired, oldest first: how
   * studios sharing one store share one queue. Of several owners calling at once, each job goes to
   * exactly one; a job another owner holds unexpired is never returned.
   *
   * @param owner the claimer, as it identifies itself
   * @param max the most jobs to claim, at least 1
   * @param now the current time
   * @param lease how long each claim lasts unless renewed
   * @return the claimed jobs as they are now, oldest first; empty when none is free
   */
  List<JobRecord> claimUnfinished(String owner, int max, Instant now, Duration lease);

  /**
   * Records a job's outcome in one transaction: the {@code video} and the job's {@code COMPLETED}
   * record, both or neither. A video already stored under the same id for the same job (left by an
   * earlier SDK that crashed between the two writes) is kept. Fails, writing nothing, if the job is
   * unknown or the video id belongs to another job.
   *
   * @param completed the job's {@code COMPLETED} record
   * @param video the job's video
   */
  void completeJob(JobRecord completed, VideoRecord video);

  /**
   * Appends a line to a job's log, keeping the newest 200 lines.
   *
   * @param jobId the job's id
   * @param at when it happened
   * @param line the text
   */
  void appendJobLog(String jobId, Instant at, String line);

  /**
   * A job's log lines, oldest first (at most 200).
   *
   * @param jobId the job's id
   * @return the lines; empty for an unknown job
   */
  List<String> jobLog(String jobId);

  // --- videos ---

  /**
   * Adds a video; fails if the id exists.
   *
   * @param video the new video
   */
  void insertVideo(VideoRecord video);

  /**
   * One video by id.
   *
   * @param id the video's id
   * @return the video, or empty if unknown
   */
  Optional<VideoRecord> video(String id);

  /**
   * Videos newest first.
   *
   * @param offset videos to skip, 0 or more
   * @param limit most videos to return
   * @return the videos
   */
  List<VideoRecord> videos(int offset, int limit);

  /**
   * Deletes the record; returns whether it existed.
   *
   * @param id the video's id
   * @return true if it existed
   */
  boolean deleteVideo(String id);

  // --- pods the SDK started ---

  /**
   * Remembers a pod the SDK deployed or started (replacing an earlier record of it).
   *
   * @param pod the pod
   */
  void podStarted(StartedPod pod);

  /**
   * Updates the pod's last activity (no-op if the SDK did not start it).
   *
   * @param podId the pod's id
   * @param at when its last job ended
   */
  void podActive(String podId, Instant at);

  /**
   * Forgets a pod the SDK started (after it was stopped or terminated); no-op if unknown.
   *
   * @param podId the pod's id
   */
  void podForgotten(String podId);

  /**
   * The pods the SDK started and has not forgotten.
   *
   * @return the pods
   */
  List<StartedPod> startedPods();

  // --- pods the SDK is about to create ---

  /**
   * Records that a pod with {@code intent.name()} is about to be created (replacing an intent of
   * that name).
   *
   * @param intent the intent
   */
  void podIntended(PodIntent intent);

  /**
   * Clears the intent of that name (no-op if there is none).
   *
   * @param name the pod's name
   */
  void podIntentCleared(String name);

  /**
   * The recorded intents, oldest first.
   *
   * @return the intents
   */
  List<PodIntent> podIntents();

  // --- measurements, for cost estimates ---

  /**
   * The newest finished runs on {@code gpuType} (exactly as videos record it) whose GPU seconds and
   * frames are known, newest first, at most {@code limit}: the measured speed of this account's
   * GPUs. Videos imported from a pod's history count too (their requested frames are unknown).
   *
   * @param gpuType the GPU type
   * @param limit most runs to return
   * @return the runs
   */
  List<GpuRun> recentRuns(String gpuType, int limit);

  /**
   * Records how long a pod took to boot.
   *
   * @param boot the boot
   */
  void podBooted(PodBoot boot);

  /**
   * The newest boots of pods of {@code gpuType} (both kinds), newest ready first, at most {@code
   * limit}.
   *
   * @param gpuType the GPU type
   * @param limit most boots to return
   * @return the boots
   */
  List<PodBoot> recentBoots(String gpuType, int limit);

  // --- quota tracking not yet confirmed by the license server ---

  /**
   * Records a finished video to count; adding a job already pending keeps its first time.
   *
   * @param jobId the job that made the video
   * @param at when the job finished
   */
  void addPendingTrack(String jobId, Instant at);

  /**
   * Removes a pending track once the license server confirmed it; no-op if there is none.
   *
   * @param jobId the job that made the video
   */
  void removePendingTrack(String jobId);

  /**
   * Claims the pending track of {@code jobId} for {@code owner} until {@code now + lease}, unless
   * another owner holds an unexpired claim on it: studios sharing one store send each track once.
   * The same owner renews its claim. Returns false if the track is not pending or another owner
   * holds it; removing the track ends the claim.
   *
   * @param jobId the job that made the video
   * @param owner the claimer, as it identifies itself
   * @param now the current time
   * @param lease how long the claim lasts unless renewed
   * @return true if {@code owner} holds the claim now
   */
  boolean claimPendingTrack(String jobId, String owner, Instant now, Duration lease);

  /**
   * Gives up {@code owner}'s claim on a pending track (no-op if another owner holds it or the track
   * is not pending): a studio whose send failed lets any studio on the store send it again at once.
   *
   * @param jobId the job that made the video
   * @param owner the claimer that holds it
   */
  void releasePendingTrack(String jobId, String owner);

  /**
   * The pending tracks' job ids, oldest first.
   *
   * @return the job ids
   */
  default List<String> pendingTracks() {
    return pendingTrackEntries().stream().map(PendingTrack::jobId).toList();
  }

  /**
   * The pending tracks with the time each job finished, oldest first.
   *
   * @return the pending tracks
   */
  List<PendingTrack> pendingTrackEntries();

  // --- settings ---

  /**
   * A stored setting: a free-form value kept under a key (the Studio keeps its notes on jobs
   * there); empty if never set.
   *
   * @param key the setting's key
   * @return the value, or empty
   */
  Optional<String> setting(String key);

  /**
   * Stores a setting, replacing an earlier value.
   *
   * @param key the setting's key
   * @param value the value
   */
  void setSetting(String key, String value);

  /**
   * The schema version this store is at.
   *
   * @return the schema version
   */
  int schemaVersion();

  @Override
  void close();
}
