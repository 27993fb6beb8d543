-- Schema 1: everything the StudioStore SPI needs.
-- Times are UTC ISO-8601 text with nine fraction digits (2024-05-01T10:00:00.000000000Z): exact, readable, and
-- ordered as text. Statements end with a semicolon at the end of a line; no semicolons inside statements.

CREATE TABLE jobs (
  id TEXT NOT NULL PRIMARY KEY,
  state TEXT NOT NULL,
  request_json TEXT NOT NULL,
  seed INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  pod_id TEXT,
  prompt_id TEXT,
  output_file TEXT,
  error_type TEXT,
  error_message TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  -- the process that resumes the job (claimJob), and until when; both null when unclaimed
  owner TEXT,
  owner_until TEXT
);

CREATE TABLE job_log (
  job_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  line TEXT NOT NULL,
  PRIMARY KEY (job_id, seq)
);

CREATE TABLE videos (
  id TEXT NOT NULL PRIMARY KEY,
  job_id TEXT NOT NULL,
  pod_id TEXT NOT NULL,
  gpu_type TEXT NOT NULL,
  prompt_id TEXT NOT NULL,
  remote_type TEXT NOT NULL,
  remote_subfolder TEXT NOT NULL,
  remote_filename TEXT NOT NULL,
  local_file TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  frames INTEGER NOT NULL,
  duration_millis INTEGER NOT NULL,
  seed INTEGER NOT NULL,
  gpu_seconds REAL NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE started_pods (
  pod_id TEXT NOT NULL PRIMARY KEY,
  provider TEXT NOT NULL,
  started_at TEXT NOT NULL,
  last_activity TEXT NOT NULL
);

CREATE TABLE pending_tracks (
  job_id TEXT NOT NULL PRIMARY KEY,
  at TEXT NOT NULL
);

CREATE TABLE settings (
  key TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
);
