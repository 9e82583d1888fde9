-- Each worker's heartbeat interval, so readers can tell a live worker from a gone one (3 missed heartbeats)
-- whatever interval that worker was configured with.
ALTER TABLE workers ADD COLUMN heartbeat_seconds int NOT NULL DEFAULT 15 CHECK (heartbeat_seconds > 0);
