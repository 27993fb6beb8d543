-- Schema 1 on PostgreSQL: SQLite's schema 1 (../migrations/V1__init.sql) with the same tables and columns, so that one
-- set of statements (JdbcStudioStore) serves both and a studio.db copies over row by row. Times are the same UTC
-- ISO-8601 text with nine fraction digits, compared and ordered as text: every text column a query compares or orders
-- uses the "C" collation (byte order, as SQLite), whatever the database's default collation. Whole numbers that may
-- exceed 32 bits (seeds, sizes, durations) are BIGINT, fractions DOUBLE PRECISION.

CREATE TABLE jobs (
  id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  state TEXT NOT NULL,
  request_json TEXT NOT NULL,
  seed BIGINT NOT NULL,
  attempt INTEGER NOT NULL,
  pod_id TEXT,
  prompt_id TEXT,
  output_file TEXT,
  error_type TEXT,
  error_message TEXT,
  created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL,
  -- the process that resumes the job (claimJob), and until when; both null when unclaimed
  owner TEXT,
  owner_until TEXT COLLATE "C"
);

CREATE TABLE job_log (
  job_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  at TEXT COLLATE "C" NOT NULL,
  line TEXT NOT NULL,
  PRIMARY KEY (job_id, seq)
);

CREATE TABLE videos (
  id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  job_id TEXT NOT NULL,
  pod_id TEXT NOT NULL,
  gpu_type TEXT NOT NULL,
  prompt_id TEXT NOT NULL,
  remote_type TEXT NOT NULL,
  remote_subfolder TEXT NOT NULL,
  remote_filename TEXT NOT NULL,
  local_file TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  frames INTEGER NOT NULL,
  duration_millis BIGINT NOT NULL,
  seed BIGINT NOT NULL,
  gpu_seconds DOUBLE PRECISION NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE started_pods (
  pod_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  provider TEXT NOT NULL,
  started_at TEXT COLLATE "C" NOT NULL,
  last_activity TEXT COLLATE "C" NOT NULL
);

CREATE TABLE pending_tracks (
  job_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE settings (
  key TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
);
