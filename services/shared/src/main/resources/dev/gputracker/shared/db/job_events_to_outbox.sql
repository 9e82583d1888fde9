-- job_events_to_outbox.sql: the trigger function that turns each statement's batch of new job_events rows (the
-- transition table new_events of the statement-level trigger job_events_outbox, V9) into job.state_changed outbox
-- rows in the same transaction, whatever statement recorded them. Applied by the repeatable migration
-- JobEventsToOutbox whenever the generated text changes; the payload is generated from the JobStateChanged record.
--
-- Statement-level, and the job read by a correlated subquery (the payload's "(SELECT ... FROM jobs j WHERE j.id =
-- e.job_id)"): a transition table has no statistics, so a join of the batch to jobs was planned as a hash of the whole
-- jobs table for every batch (55 ms per 500 events at 50,000 jobs, growing with the table; V13). The subquery reads
-- each job by its primary key.
CREATE OR REPLACE FUNCTION job_events_to_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    /*outbox:job.state_changed*/
    FROM new_events e
    ORDER BY e.id;
    RETURN NULL;
END
$$;
