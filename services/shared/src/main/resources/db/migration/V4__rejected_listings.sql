-- Listings the worker saw but did not accept as a GPU of the catalog, kept with the reason instead of dropped
-- silently, so operators can audit the normaliser and the API can show what each source yields.
CREATE TABLE rejected_listings (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id     integer NOT NULL REFERENCES sources (id),
    external_id   text NOT NULL,
    title         text NOT NULL,
    reason        text NOT NULL
                  CHECK (reason IN ('not_a_gpu', 'unknown_model', 'price_outlier', 'suspicious', 'duplicate')),
    detail        text,
    -- The model it was matched to, for price outliers and duplicates; null otherwise.
    gpu_slug      text REFERENCES gpu_models (slug),
    price         numeric(14, 4),
    currency      char(3),
    price_usd     numeric(14, 4),
    url           text,
    first_seen_at timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    last_run_id   bigint REFERENCES scrape_runs (id) ON DELETE SET NULL,
    CONSTRAINT rejected_source_external_uk UNIQUE (source_id, external_id)
);
CREATE INDEX rejected_reason_idx ON rejected_listings (source_id, reason);
CREATE INDEX rejected_last_seen_idx ON rejected_listings (last_seen_at DESC, id);

ALTER TABLE scrape_run_sources ADD COLUMN listings_rejected integer NOT NULL DEFAULT 0;
