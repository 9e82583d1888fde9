-- The transactional outbox: every change the worker makes is also an event row, written in the same transaction as
-- the change (listings and runs by the worker's own statements, job state changes by a trigger on job_events). The
-- relay publishes rows to Kafka in their position order; the API streams them as Server-Sent Events.
--
-- Position = (tx, id). Identity values are handed out at insert time, not at commit, so a reader that followed ids
-- alone could pass a row whose transaction commits later with a smaller id. Readers therefore only take rows of
-- transactions older than every transaction still running (tx < the snapshot's xmin) and order them by (tx, id):
-- a row that commits later always sorts after every position already read.
CREATE TABLE outbox (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tx       xid8 NOT NULL DEFAULT pg_current_xact_id(),
    event_id uuid NOT NULL DEFAULT gen_random_uuid(),
    type     text NOT NULL,
    source   text NOT NULL,
    subject  text NOT NULL,
    -- The Kafka record key: one entity's events share a partition, so they stay in order.
    key      text NOT NULL,
    -- The GPU model the event is about, when there is one: the live stream filters on it.
    gpu      text,
    time     timestamptz NOT NULL DEFAULT clock_timestamp(),
    data     jsonb NOT NULL
);
CREATE INDEX outbox_position_idx ON outbox (tx, id);
CREATE INDEX outbox_time_idx ON outbox (time);

-- How far each consumer of the outbox has published (the Kafka relay is 'kafka').
CREATE TABLE outbox_cursors (
    name       text PRIMARY KEY,
    tx         xid8 NOT NULL,
    id         bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Wakes listeners (the relay, the API's live stream) when a transaction that wrote events commits: NOTIFY is
-- delivered at commit, never for a rolled-back transaction. Once per statement, whatever the number of rows.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Every job state change is recorded in job_events already; this turns each batch of them into events in the same
-- transaction, whatever statement recorded them.
CREATE FUNCTION job_events_to_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outbox (type, source, subject, key, data)
    SELECT 'job.state_changed', '/gpu-tracker/worker', 'job/' || e.job_id, 'job-' || e.job_id,
           jsonb_build_object('job_id', e.job_id, 'kind', j.kind, 'from', e.from_state, 'to', e.to_state,
                              'worker', e.worker, 'detail', e.detail, 'attempts', j.attempts,
                              'at', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
    FROM new_events e JOIN jobs j ON j.id = e.job_id
    ORDER BY e.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER job_events_outbox AFTER INSERT ON job_events REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION job_events_to_outbox();
