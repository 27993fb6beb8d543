-- Schema 4: pods the SDK is about to create (their unique name, recorded before the create request), so that a
-- studio starting after a crash during a create finds the pod by name and adopts it, or clears the intent.

CREATE TABLE pod_intents (
  name TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  provider TEXT NOT NULL,
  at TEXT COLLATE "C" NOT NULL
);
