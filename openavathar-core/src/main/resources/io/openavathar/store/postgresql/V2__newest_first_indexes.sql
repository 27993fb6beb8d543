-- Schema 2: the gallery and job list are read newest first, and unfinished jobs by state.

CREATE INDEX jobs_newest_first ON jobs (created_at DESC, id DESC);

CREATE INDEX jobs_by_state ON jobs (state, created_at DESC, id DESC);

CREATE INDEX videos_newest_first ON videos (created_at DESC, id DESC);
