-- worker.left is emitted once per departure: on a clean stop, or by another worker that notices three missed
-- heartbeats. This records that the event for the current registration went out; registering again clears it.
ALTER TABLE workers ADD COLUMN left_event_at timestamptz;
