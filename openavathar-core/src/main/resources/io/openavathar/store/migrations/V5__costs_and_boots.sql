-- Schema 5: what each video cost (the pod's price per hour when the job started, and that price times its GPU
-- seconds; NULL when unknown, as for a static ComfyUI URL), the frames the job asked for (NULL when unknown), and how
-- long pods took to boot, per GPU type: the measured history a cost estimate is made from.

ALTER TABLE videos ADD COLUMN price_per_hour REAL;
ALTER TABLE videos ADD COLUMN cost_usd REAL;
ALTER TABLE videos ADD COLUMN requested_frames INTEGER;
CREATE INDEX videos_gpu_newest ON videos (gpu_type, created_at DESC);

CREATE TABLE pod_boots (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  pod_id TEXT NOT NULL,
  gpu_type TEXT NOT NULL,
  kind TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  ready_at TEXT NOT NULL
);
CREATE INDEX pod_boots_gpu_newest ON pod_boots (gpu_type, ready_at DESC);
