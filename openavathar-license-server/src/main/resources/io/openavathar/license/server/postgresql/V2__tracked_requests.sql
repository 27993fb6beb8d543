-- Request ids already counted (track idempotency), kept LicenseStore.TRACKED_ID_RETENTION; tracked_at in epoch millis.
-- SQLite's schema version 2.
CREATE TABLE tracked_requests (
  fingerprint TEXT NOT NULL,
  request_id TEXT NOT NULL,
  tracked_at BIGINT NOT NULL,
  PRIMARY KEY (fingerprint, request_id)
);
CREATE INDEX tracked_requests_by_time ON tracked_requests (tracked_at);
