-- Source health: what each source yielded in each run, the verdict of that yield against the source's recent
-- complete runs, and the source's current health. A run whose yield collapsed (a redesign, a robot check, a cut
-- pagination) is 'suspect' and removes nothing; a rates source that could not refresh, while older rates stand in,
-- is 'stale'; a run in which every source was skipped is 'skipped'.
ALTER TABLE scrape_runs DROP CONSTRAINT scrape_runs_status_check;
ALTER TABLE scrape_runs ADD CONSTRAINT scrape_runs_status_check
    CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'interrupted', 'suspect', 'skipped'));

ALTER TABLE scrape_run_sources DROP CONSTRAINT scrape_run_sources_status_check;
ALTER TABLE scrape_run_sources ADD CONSTRAINT scrape_run_sources_status_check
    CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted', 'skipped', 'suspect', 'stale'));

-- The yield figures, kept as each page is written (a killed run shows what it wrote):
--   listings_read        every listing the adapter read, accepted or rejected
--   listings_priced      of those, how many carried a price
--   listings_normalised  of those, how many were matched to a model of the catalog
--   pagination_depth     the deepest page reached in any of the source's pagination chains
--   rejected_by_reason   {"not_a_gpu": 3, ...}
--   health_reason        why the run is suspect; null otherwise
ALTER TABLE scrape_run_sources
    ADD COLUMN listings_read       integer NOT NULL DEFAULT 0,
    ADD COLUMN listings_priced     integer NOT NULL DEFAULT 0,
    ADD COLUMN listings_normalised integer NOT NULL DEFAULT 0,
    ADD COLUMN pagination_depth    integer NOT NULL DEFAULT 0,
    ADD COLUMN rejected_by_reason  jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN health_reason       text;

-- A source's health as last judged ('never_run' until its first run ends), so a change can be announced once, and
-- the run from which its baseline counts: runs before it are not compared with (an operator accepted a shrink).
ALTER TABLE sources
    ADD COLUMN health            text NOT NULL DEFAULT 'never_run'
                                 CHECK (health IN ('ok', 'suspect', 'failing', 'never_run')),
    ADD COLUMN health_reason     text,
    ADD COLUMN health_changed_at timestamptz,
    ADD COLUMN baseline_from_run bigint;
