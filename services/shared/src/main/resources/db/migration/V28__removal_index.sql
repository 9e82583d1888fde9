-- The removal step after a complete run (WorkerSql.MARK_REMOVED) looks for the source's active listings the run did
-- not write. With an index on the source alone it read every active listing of the source from the heap to compare
-- its last run: 3.4 s for a source of 200,000 listings in a table of 2,000,000 (bench/scale.sh), in the steady state
-- where it removes nothing. With the last run in the index, it reads only the listings last written by another run
-- (or none); the index also serves what the source index served (counts of a source's active listings).
DROP INDEX listings_source_active_idx;
CREATE INDEX listings_source_run_idx ON listings (source_id, last_run_id) WHERE active;
