package io.openavathar.store;

import io.openavathar.JobState;
import io.openavathar.OpenAvatharException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link StudioStore} on SQL, one implementation for both databases: the statements are the
 * same, the {@link StoreDatabase} says how they run and the little that differs.
 *
 * <ul>
 *   <li>SQLite ({@link #open(Path)}, {@link #inMemory()}): one file ({@code studio.db}) in the data
 *       directory, or a private in-memory database. Thread-safe (one connection behind a lock, see
 *       {@link SqliteDatabase}); safe for several processes on one file (WAL journal, a 5 s busy
 *       timeout, {@code BEGIN IMMEDIATE} for read-modify-write, claims as one conditional {@code
 *       UPDATE}). Migrated by {@link SchemaMigrations}.
 *   <li>PostgreSQL ({@link #postgres}): a pool shared by the threads of this process, and safe for
 *       any number of processes on one database: claims are conditional {@code UPDATE}s (PostgreSQL
 *       re-checks their condition on the newest row), {@link #claimUnfinished} selects {@code FOR
 *       UPDATE SKIP LOCKED}, and a job's log appends take turns on a lock of that job. Migrated by
 *       Flyway, to the same schema versions.
 * </ul>
 *
 * <p>Times are stored as fixed-width ISO text ({@link StoreTime}), compared and ordered as text:
 * PostgreSQL's columns use the {@code "C"} collation so that it orders them as SQLite does.
 */
final class JdbcStudioStore implements StudioStore {
  /** Log lines kept per job. */
  static final int LOG_LINES = 200;

  static final String JOB_COLUMNS =
      "id, state, request_json, seed, attempt, pod_id, prompt_id, output_file,"
          + " error_type, error_message, created_at, updated_at, comfy_url, client_id";
  static final String VIDEO_COLUMNS =
      "id, job_id, pod_id, gpu_type, prompt_id, remote_type,"
          + " remote_subfolder, remote_filename, local_file, size_bytes, width, height, frames, duration_millis, seed,"
          + " gpu_seconds, created_at, price_per_hour, cost_usd, requested_frames";

  private final StoreDatabase db;
  private final int schemaVersion;

  /** A store on {@code db}, which is at {@code schemaVersion}; takes ownership of {@code db}. */
  JdbcStudioStore(StoreDatabase db, int schemaVersion) {
    this.db = db;
    this.schemaVersion = schemaVersion;
  }

  /**
   * Migrates {@code db} up to {@code targetSchema} and opens a store on it; closes it on failure.
   */
  private static JdbcStudioStore sqlite(SqliteDatabase db, int targetSchema) {
    try {
      return new JdbcStudioStore(db, SchemaMigrations.migrate(db, targetSchema));
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  static StudioStore open(Path dataDirectory) {
    return open(dataDirectory, SchemaMigrations.LATEST);
  }

  /** Opens a file store migrated only up to {@code targetSchema}: for migration tests. */
  static JdbcStudioStore open(Path dataDirectory, int targetSchema) {
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    return sqlite(SqliteDatabase.openFile(dataDirectory), targetSchema);
  }

  /**
   * The SQLite file {@code file} (its directory must exist), as a {@code jdbc:sqlite:} URL names.
   */
  static StudioStore openFile(Path file, String url) {
    return sqlite(SqliteDatabase.openFile(file, url), SchemaMigrations.LATEST);
  }

  static StudioStore inMemory() {
    return sqlite(SqliteDatabase.openMemory(), SchemaMigrations.LATEST);
  }

  /** The store {@code url} names; a PostgreSQL password from {@code env} if not given. */
  static StudioStore connect(StoreUrl url, String password, Map<String, String> env) {
    return switch (url.kind()) {
      case POSTGRESQL -> postgres(url, url.password(password, env));
      case SQLITE_FILE -> openFile(url.sqliteFile(), url.toString());
      case SQLITE_MEMORY -> inMemory();
    };
  }

  /** The store in the PostgreSQL database {@code url}, migrated to the current schema. */
  static StudioStore postgres(StoreUrl url, String password) {
    requirePostgresLibraries(); // before PostgresStoreDatabase, which needs them to load
    PostgresStoreDatabase db = PostgresStoreDatabase.open(url, password);
    try {
      return new JdbcStudioStore(db, db.migrate());
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** Fails with what to add to the build when the optional PostgreSQL libraries are missing. */
  private static void requirePostgresLibraries() {
    for (String type :
        new String[] {
          "org.postgresql.Driver",
          "com.zaxxer.hikari.HikariDataSource",
          "org.flywaydb.core.Flyway",
          "org.flywaydb.database.postgresql.PostgreSQLDatabaseType"
        }) {
      try {
        Class.forName(type, false, JdbcStudioStore.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        throw new OpenAvatharException(
            "A studio store on PostgreSQL needs org.postgresql:postgresql, com.zaxxer:HikariCP,"
                + " org.flywaydb:flyway-core and org.flywaydb:flyway-database-postgresql in the"
                + " application ("
                + type
                + " is missing); add them to its dependencies",
            e);
      }
    }
  }

  // --- jobs ---

  @Override
  public void insertJob(JobRecord job) {
    Objects.requireNonNull(job, "job");
    int rows =
        db.call(
            "insert job " + job.id(),
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO jobs ("
                          + JOB_COLUMNS
                          + ")"
                          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                StoreRows.bindJob(ps, job);
                return ps.executeUpdate();
              }
            });
    if (rows == 0) {
      throw new IllegalStateException(
          "job " + job.id() + " is already in the store; use updateJob to change it");
    }
  }

  @Override
  public void updateJob(JobRecord job) {
    Objects.requireNonNull(job, "job");
    int rows = db.call("update job " + job.id(), c -> updateJob(c, job));
    if (rows == 0) {
      throw notStored(job);
    }
  }

  /** The claim columns are left alone: updating a job does not take or drop its claim. */
  private static int updateJob(Connection c, JobRecord job) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE jobs SET id = ?, state = ?, request_json = ?, seed = ?,"
                + " attempt = ?, pod_id = ?, prompt_id = ?, output_file = ?, error_type = ?, error_message = ?,"
                + " created_at = ?, updated_at = ?, comfy_url = ?, client_id = ? WHERE id = ?")) {
      StoreRows.bindJob(ps, job);
      ps.setString(15, job.id());
      return ps.executeUpdate();
    }
  }

  private static IllegalStateException notStored(JobRecord job) {
    return new IllegalStateException(
        "job " + job.id() + " is not in the store; insert it with insertJob first");
  }

  @Override
  public Optional<JobRecord> job(String id) {
    Objects.requireNonNull(id, "id");
    return db.call(
        "read job " + id,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT " + JOB_COLUMNS + " FROM jobs WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(StoreRows.readJob(rs)) : Optional.<JobRecord>empty();
            }
          }
        });
  }

  @Override
  public List<JobRecord> jobs(JobQuery query) {
    Objects.requireNonNull(query, "query");
    List<JobState> states = List.copyOf(query.states());
    StringBuilder sql = new StringBuilder("SELECT ").append(JOB_COLUMNS).append(" FROM jobs");
    if (!states.isEmpty()) {
      sql.append(" WHERE state IN (").append("?, ".repeat(states.size() - 1)).append("?)");
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?");
    return db.call(
        "list jobs",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (JobState state : states) {
              ps.setString(i++, state.name());
            }
            ps.setInt(i++, query.limit());
            ps.setInt(i, query.offset());
            List<JobRecord> jobs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                jobs.add(StoreRows.readJob(rs));
              }
            }
            return List.copyOf(jobs);
          }
        });
  }

  /**
   * {@inheritDoc} Returns false for a job that is not in the store. The claim lasts until {@code
   * now + lease}.
   */
  @Override
  public boolean claimJob(String jobId, String owner, Instant now, Duration lease) {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(now, "now");
    String nowText = StoreTime.text(now);
    String until = StoreTime.text(StoreTime.plusCapped(now, checkLease(lease)));
    // One statement, so atomic in SQLite: it wins only if the job is free, expired, or already
    // ours.
    return db.call(
        "claim job " + jobId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE jobs SET owner = ?, owner_until = ? WHERE id = ?"
                      + " AND (owner IS NULL OR owner = ? OR owner_until <= ?)")) {
            ps.setString(1, owner);
            ps.setString(2, until);
            ps.setString(3, jobId);
            ps.setString(4, owner);
            ps.setString(5, nowText);
            return ps.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean takeOverJob(String jobId, String from, String owner, Instant now, Duration lease) {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(owner, "owner");
    String until =
        StoreTime.text(StoreTime.plusCapped(Objects.requireNonNull(now, "now"), checkLease(lease)));
    return update(
            "take over job " + jobId,
            "UPDATE jobs SET owner = ?, owner_until = ? WHERE id = ? AND owner = ?",
            owner,
            until,
            jobId,
            from)
        == 1;
  }

  @Override
  public Optional<JobClaim> claim(String jobId) {
    Objects.requireNonNull(jobId, "jobId");
    return db.call(
        "read the claim on job " + jobId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT owner, owner_until FROM jobs WHERE id = ? AND owner IS NOT NULL")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(new JobClaim(rs.getString(1), StoreTime.instant(rs.getString(2))))
                  : Optional.<JobClaim>empty();
            }
          }
        });
  }

  @Override
  public void releaseJob(String jobId, String owner) {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(owner, "owner");
    db.call(
        "release job " + jobId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE jobs SET owner = NULL, owner_until = NULL WHERE id = ? AND owner = ?")) {
            ps.setString(1, jobId);
            ps.setString(2, owner);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public List<JobRecord> claimUnfinished(String owner, int max, Instant now, Duration lease) {
    Objects.requireNonNull(owner, "owner");
    checkLimit(max);
    String nowText = StoreTime.text(Objects.requireNonNull(now, "now"));
    String until = StoreTime.text(StoreTime.plusCapped(now, checkLease(lease)));
    // SQLite: BEGIN IMMEDIATE holds the write lock from the select to the updates, so no other
    // process claims the same rows in between. PostgreSQL: the rows selected are locked until
    // commit and rows another claimer holds are skipped (FOR UPDATE SKIP LOCKED); a row claimed and
    // committed meanwhile is re-checked against the condition and left out.
    return db.transaction(
        "claim unfinished jobs",
        c -> {
          List<JobRecord> free = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + JOB_COLUMNS
                      + " FROM jobs WHERE state NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')"
                      + " AND (owner IS NULL OR owner_until <= ?) ORDER BY created_at, id LIMIT ?"
                      + db.claimLocking())) {
            ps.setString(1, nowText);
            ps.setInt(2, max);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                free.add(StoreRows.readJob(rs));
              }
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE jobs SET owner = ?, owner_until = ? WHERE id = ?")) {
            for (JobRecord job : free) {
              ps.setString(1, owner);
              ps.setString(2, until);
              ps.setString(3, job.id());
              ps.addBatch();
            }
            if (!free.isEmpty()) {
              ps.executeBatch();
            }
          }
          return List.copyOf(free);
        });
  }

  private static Duration checkLease(Duration lease) {
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("lease must be positive, was " + lease);
    }
    return lease;
  }

  @Override
  public void appendJobLog(String jobId, Instant at, String line) {
    Objects.requireNonNull(jobId, "jobId");
    String atText = StoreTime.text(at);
    Objects.requireNonNull(line, "line");
    db.transaction(
        "append to the log of job " + jobId,
        c -> {
          // Appends to one job's log from several processes take turns (the next seq is read).
          db.lockKey(c, "job_log:" + jobId);
          long seq;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT coalesce(max(seq), 0) + 1 FROM job_log WHERE job_id = ?")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
              seq = rs.next() ? rs.getLong(1) : 1;
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO job_log (job_id, seq, at, line) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, jobId);
            ps.setLong(2, seq);
            ps.setString(3, atText);
            ps.setString(4, line);
            ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM job_log WHERE job_id = ? AND seq <= ?")) {
            ps.setString(1, jobId);
            ps.setLong(2, seq - LOG_LINES);
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public List<String> jobLog(String jobId) {
    Objects.requireNonNull(jobId, "jobId");
    return db.call(
        "read the log of job " + jobId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT line FROM job_log WHERE job_id = ? ORDER BY seq")) {
            ps.setString(1, jobId);
            return StoreRows.strings(ps);
          }
        });
  }

  // --- videos ---

  @Override
  public void insertVideo(VideoRecord v) {
    Objects.requireNonNull(v, "video");
    int rows = db.call("insert video " + v.id(), c -> insertVideo(c, v));
    if (rows == 0) {
      throw new IllegalStateException("video " + v.id() + " is already in the store");
    }
  }

  private static int insertVideo(Connection c, VideoRecord v) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO videos ("
                + VIDEO_COLUMNS
                + ") VALUES"
                + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
      StoreRows.bindVideo(ps, v);
      return ps.executeUpdate();
    }
  }

  @Override
  public void completeJob(JobRecord completed, VideoRecord video) {
    Objects.requireNonNull(completed, "completed");
    Objects.requireNonNull(video, "video");
    if (completed.state() != JobState.COMPLETED) {
      throw new IllegalArgumentException(
          "completeJob records COMPLETED jobs, not " + completed.state());
    }
    if (!video.jobId().equals(completed.id())) {
      throw new IllegalArgumentException(
          "video "
              + video.id()
              + " belongs to job '"
              + video.jobId()
              + "', not to "
              + completed.id());
    }
    db.transaction(
        "record the video of job " + completed.id(),
        c -> {
          if (insertVideo(c, video) == 0) {
            try (PreparedStatement ps =
                c.prepareStatement("SELECT job_id FROM videos WHERE id = ?")) {
              ps.setString(1, video.id());
              String owner = StoreRows.strings(ps).stream().findFirst().orElse("");
              if (!owner.equals(completed.id())) {
                throw new IllegalStateException(
                    "video "
                        + video.id()
                        + " is already in the store for job '"
                        + owner
                        + "'; job "
                        + completed.id()
                        + " cannot record it");
              }
            }
          }
          if (updateJob(c, completed) == 0) {
            throw notStored(completed);
          }
          return null;
        });
  }

  @Override
  public Optional<VideoRecord> video(String id) {
    Objects.requireNonNull(id, "id");
    return db.call(
        "read video " + id,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT " + VIDEO_COLUMNS + " FROM videos WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(StoreRows.readVideo(rs))
                  : Optional.<VideoRecord>empty();
            }
          }
        });
  }

  /** {@inheritDoc} Ties in creation time are ordered by id, descending. */
  @Override
  public List<VideoRecord> videos(int offset, int limit) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be 0 or more, was " + offset);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be 1 or more, was " + limit);
    }
    return db.call(
        "list videos",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + VIDEO_COLUMNS
                      + " FROM videos"
                      + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")) {
            ps.setInt(1, limit);
            ps.setInt(2, offset);
            List<VideoRecord> videos = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                videos.add(StoreRows.readVideo(rs));
              }
            }
            return List.copyOf(videos);
          }
        });
  }

  @Override
  public boolean deleteVideo(String id) {
    Objects.requireNonNull(id, "id");
    return update("delete video " + id, "DELETE FROM videos WHERE id = ?", id) == 1;
  }

  // --- pods the SDK started ---

  @Override
  public void podStarted(StartedPod pod) {
    Objects.requireNonNull(pod, "pod");
    update(
        "remember started pod " + pod.podId(),
        "INSERT INTO started_pods (pod_id, provider, started_at,"
            + " last_activity) VALUES (?, ?, ?, ?) ON CONFLICT (pod_id) DO UPDATE SET provider = excluded.provider,"
            + " started_at = excluded.started_at, last_activity = excluded.last_activity",
        pod.podId(),
        pod.provider(),
        StoreTime.text(pod.startedAt()),
        StoreTime.text(pod.lastActivity()));
  }

  @Override
  public void podActive(String podId, Instant at) {
    Objects.requireNonNull(podId, "podId");
    update(
        "record activity of pod " + podId,
        "UPDATE started_pods SET last_activity = ? WHERE pod_id = ?",
        StoreTime.text(at),
        podId);
  }

  @Override
  public void podForgotten(String podId) {
    Objects.requireNonNull(podId, "podId");
    update("forget pod " + podId, "DELETE FROM started_pods WHERE pod_id = ?", podId);
  }

  /** {@inheritDoc} Oldest start first. */
  @Override
  public List<StartedPod> startedPods() {
    return list(
        "list started pods",
        "SELECT pod_id, provider, started_at, last_activity FROM started_pods ORDER BY started_at, pod_id",
        rs ->
            new StartedPod(
                rs.getString(1),
                rs.getString(2),
                StoreTime.instant(rs.getString(3)),
                StoreTime.instant(rs.getString(4))));
  }

  /** A row of a query's result, read into a value. */
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Every row of a query with these parameters, in the order it gives. */
  private <T> List<T> list(String operation, String sql, RowReader<T> reader, Object... args) {
    return db.call(
        operation,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
              ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
              List<T> rows = new ArrayList<>();
              while (rs.next()) {
                rows.add(reader.read(rs));
              }
              return List.copyOf(rows);
            }
          }
        });
  }

  // --- pods the SDK is about to create ---

  @Override
  public void podIntended(PodIntent intent) {
    Objects.requireNonNull(intent, "intent");
    update(
        "record intent to create pod " + intent.name(),
        "INSERT INTO pod_intents (name, provider, at)"
            + " VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET provider = excluded.provider, at = excluded.at",
        intent.name(),
        intent.provider(),
        StoreTime.text(intent.at()));
  }

  @Override
  public void podIntentCleared(String name) {
    Objects.requireNonNull(name, "name");
    update("clear intent to create pod " + name, "DELETE FROM pod_intents WHERE name = ?", name);
  }

  /** {@inheritDoc} Ties broken by name. */
  @Override
  public List<PodIntent> podIntents() {
    return list(
        "list pod intents",
        "SELECT name, provider, at FROM pod_intents ORDER BY at, name",
        rs -> new PodIntent(rs.getString(1), rs.getString(2), StoreTime.instant(rs.getString(3))));
  }

  // --- measurements ---

  @Override
  public List<GpuRun> recentRuns(String gpuType, int limit) {
    Objects.requireNonNull(gpuType, "gpuType");
    checkLimit(limit);
    return list(
        "list recent runs on " + gpuType,
        "SELECT gpu_type, requested_frames, frames, gpu_seconds,"
            + " created_at FROM videos WHERE gpu_type = ? AND gpu_seconds > 0"
            + " AND (frames > 0 OR requested_frames > 0) ORDER BY created_at DESC, id LIMIT ?",
        rs ->
            new GpuRun(
                rs.getString(1),
                rs.getInt(2),
                rs.getInt(3),
                rs.getDouble(4),
                StoreTime.instant(rs.getString(5))),
        gpuType,
        limit);
  }

  @Override
  public void podBooted(PodBoot boot) {
    Objects.requireNonNull(boot, "boot");
    update(
        "record the boot of pod " + boot.podId(),
        "INSERT INTO pod_boots (pod_id, gpu_type, kind, requested_at,"
            + " ready_at) VALUES (?, ?, ?, ?, ?)",
        boot.podId(),
        boot.gpuType(),
        boot.kind().name(),
        StoreTime.text(boot.requestedAt()),
        StoreTime.text(boot.readyAt()));
  }

  @Override
  public List<PodBoot> recentBoots(String gpuType, int limit) {
    Objects.requireNonNull(gpuType, "gpuType");
    checkLimit(limit);
    return list(
        "list recent boots of " + gpuType,
        "SELECT pod_id, gpu_type, kind, requested_at, ready_at"
            + " FROM pod_boots WHERE gpu_type = ? ORDER BY ready_at DESC, id DESC LIMIT ?",
        rs ->
            new PodBoot(
                rs.getString(1),
                rs.getString(2),
                PodBoot.Kind.valueOf(rs.getString(3)),
                StoreTime.instant(rs.getString(4)),
                StoreTime.instant(rs.getString(5))),
        gpuType,
        limit);
  }

  private static void checkLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
  }

  // --- pending quota tracking ---

  /** {@inheritDoc} Adding a job already pending keeps its first time. */
  @Override
  public void addPendingTrack(String jobId, Instant at) {
    Objects.requireNonNull(jobId, "jobId");
    update(
        "add pending track for job " + jobId,
        "INSERT INTO pending_tracks (job_id, at) VALUES (?, ?) ON CONFLICT (job_id) DO NOTHING",
        jobId,
        StoreTime.text(at));
  }

  @Override
  public void removePendingTrack(String jobId) {
    Objects.requireNonNull(jobId, "jobId");
    update(
        "remove pending track for job " + jobId,
        "DELETE FROM pending_tracks WHERE job_id = ?",
        jobId);
  }

  @Override
  public boolean claimPendingTrack(String jobId, String owner, Instant now, Duration lease) {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(owner, "owner");
    String nowText = StoreTime.text(Objects.requireNonNull(now, "now"));
    String until = StoreTime.text(StoreTime.plusCapped(now, checkLease(lease)));
    return update(
            "claim pending track for job " + jobId,
            "UPDATE pending_tracks SET owner = ?, owner_until = ? WHERE job_id = ?"
                + " AND (owner IS NULL OR owner = ? OR owner_until <= ?)",
            owner,
            until,
            jobId,
            owner,
            nowText)
        == 1;
  }

  @Override
  public void releasePendingTrack(String jobId, String owner) {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(owner, "owner");
    update(
        "release pending track for job " + jobId,
        "UPDATE pending_tracks SET owner = NULL, owner_until = NULL WHERE job_id = ? AND owner = ?",
        jobId,
        owner);
  }

  @Override
  public List<PendingTrack> pendingTrackEntries() {
    return list(
        "list pending tracks",
        "SELECT job_id, at FROM pending_tracks ORDER BY at, job_id",
        rs -> new PendingTrack(rs.getString(1), StoreTime.instant(rs.getString(2))));
  }

  // --- settings ---

  @Override
  public Optional<String> setting(String key) {
    Objects.requireNonNull(key, "key");
    return db.call(
        "read setting " + key,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT value FROM settings WHERE key = ?")) {
            ps.setString(1, key);
            return StoreRows.strings(ps).stream().findFirst();
          }
        });
  }

  @Override
  public void setSetting(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    update(
        "write setting " + key,
        "INSERT INTO settings (key, value) VALUES (?, ?)"
            + " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        key,
        value);
  }

  /** The database this store runs its SQL on. */
  StoreDatabase database() {
    return db;
  }

  @Override
  public int schemaVersion() {
    return schemaVersion;
  }

  /**
   * Closes the connection (or pool); later calls fail with {@link IllegalStateException}.
   * Idempotent.
   */
  @Override
  public void close() {
    db.close();
  }

  /** Names the database (a PostgreSQL URL without its password). */
  @Override
  public String toString() {
    return "StudioStore[" + db.description() + "]";
  }

  private int update(String what, String sql, String... args) {
    return db.call(
        what,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
              ps.setString(i + 1, args[i]);
            }
            return ps.executeUpdate();
          }
        });
  }
}
