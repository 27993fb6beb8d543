-- The same tables and column types as SQLite's schema version 1 (SqliteLicenseStore), so that one set of statements
-- (LicenseSql) serves both and licenses.db moves over row by row: instants and days as ISO-8601 text, flags as 0/1.
CREATE TABLE licenses (
  license_key TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  sale_id TEXT UNIQUE,
  purchase_date TEXT NOT NULL,
  max_activations INTEGER NOT NULL,
  product TEXT,
  price BIGINT NOT NULL,
  currency TEXT,
  test INTEGER NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE activations (
  license_key TEXT NOT NULL REFERENCES licenses (license_key),
  fingerprint TEXT NOT NULL UNIQUE,
  activated_at TEXT NOT NULL
);
CREATE INDEX activations_by_key ON activations (license_key);
CREATE TABLE daily_counts (
  fingerprint TEXT NOT NULL,
  utc_day TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (fingerprint, utc_day)
);
