-- Schema 3: the ComfyUI server (base URL) a job's prompt was submitted to, so that a resumed job goes back to that
-- server whatever the order of the configured URLs (a static pod's id is its position in that list).

ALTER TABLE jobs ADD COLUMN comfy_url TEXT;
