-- Schema 7: studios sharing one store. A pending quota track is claimed by the studio that sends it (owner, until
-- when), so that of several studios only one sends each; unclaimed queued jobs are found oldest first.

ALTER TABLE pending_tracks ADD COLUMN owner TEXT;
ALTER TABLE pending_tracks ADD COLUMN owner_until TEXT COLLATE "C";
CREATE INDEX jobs_oldest_first ON jobs (created_at, id);
