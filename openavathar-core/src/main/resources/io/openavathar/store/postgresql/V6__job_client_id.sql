-- Schema 6: the ComfyUI client id a job's prompt was submitted under. ComfyUI sends a prompt's progress (sampler steps)
-- only to the WebSocket of that client id, so a studio that resumes the job after a restart listens under it again.

ALTER TABLE jobs ADD COLUMN client_id TEXT;
