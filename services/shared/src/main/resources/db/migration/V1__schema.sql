-- GPU Tracker schema, version 1: the catalog, the sources, their listings with price history, and scrape runs.
-- Money is numeric, never floating point. Enumerations are text with CHECK constraints: they bind as plain
-- parameters from every client and a new value is a one-line migration.

CREATE TABLE gpu_models (
    slug                 text PRIMARY KEY CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    vendor               text NOT NULL CHECK (vendor IN ('nvidia', 'amd', 'intel')),
    family               text NOT NULL,
    name                 text NOT NULL,
    segment              text NOT NULL CHECK (segment IN ('consumer', 'workstation', 'datacenter')),
    vram_gb              numeric(6, 1) NOT NULL CHECK (vram_gb > 0),
    memory_type          text,
    memory_bandwidth_gbs numeric(8, 1),
    fp32_tflops          numeric(8, 2),
    fp16_tflops          numeric(8, 2),
    tdp_w                integer,
    release_year         smallint
);

CREATE TABLE sources (
    id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL UNIQUE,
    adapter    text NOT NULL,
    base_url   text NOT NULL,
    enabled    boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE scrape_runs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    worker_id   text NOT NULL,
    mode        text NOT NULL CHECK (mode IN ('daemon', 'oneshot')),
    status      text NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'interrupted')),
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
CREATE INDEX scrape_runs_started_idx ON scrape_runs (started_at DESC);

-- One row per source per run: what the source yielded and how it ended.
CREATE TABLE scrape_run_sources (
    run_id           bigint NOT NULL REFERENCES scrape_runs (id) ON DELETE CASCADE,
    source_id        integer NOT NULL REFERENCES sources (id),
    status           text NOT NULL DEFAULT 'running'
                     CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted', 'skipped')),
    pages            integer NOT NULL DEFAULT 0,
    listings_seen    integer NOT NULL DEFAULT 0,
    listings_new     integer NOT NULL DEFAULT 0,
    listings_updated integer NOT NULL DEFAULT 0,
    listings_removed integer NOT NULL DEFAULT 0,
    errors           integer NOT NULL DEFAULT 0,
    error_message    text,
    started_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    duration_ms      bigint,
    PRIMARY KEY (run_id, source_id)
);
CREATE INDEX scrape_run_sources_source_idx ON scrape_run_sources (source_id, started_at DESC);

CREATE TABLE listings (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id     integer NOT NULL REFERENCES sources (id),
    external_id   text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('sale', 'rental')),
    title         text NOT NULL,
    gpu_slug      text REFERENCES gpu_models (slug),
    -- What the listing asks, in its own currency and unit; null when the page shows no price.
    price         numeric(14, 4) CHECK (price >= 0),
    currency      char(3) CHECK (currency ~ '^[A-Z]{3}$'),
    price_unit    text NOT NULL CHECK (price_unit IN ('total', 'hour')),
    -- The same price in US dollars, for comparing across currencies; null until a rate is known.
    price_usd     numeric(14, 4),
    gpu_count     integer NOT NULL DEFAULT 1 CHECK (gpu_count > 0),
    vram_gb       numeric(6, 1),
    condition     text NOT NULL DEFAULT 'unknown' CHECK (condition IN ('new', 'used', 'refurbished', 'unknown')),
    location      text,
    seller        text,
    url           text,
    sponsored     boolean NOT NULL DEFAULT false,
    first_seen_at timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    active        boolean NOT NULL DEFAULT true,
    removed_at    timestamptz,
    updated_at    timestamptz NOT NULL,
    -- When the price (or its currency) last changed; the first sighting counts as a change.
    price_changed_at timestamptz NOT NULL,
    last_run_id   bigint REFERENCES scrape_runs (id) ON DELETE SET NULL,
    CONSTRAINT listings_source_external_uk UNIQUE (source_id, external_id),
    CONSTRAINT listings_price_has_currency CHECK (price IS NULL OR currency IS NOT NULL)
);
-- The API's main read: active listings of one model, cheapest first, with keyset pagination on (price, id).
CREATE INDEX listings_gpu_price_idx ON listings (gpu_slug, price_usd, id) WHERE active;
CREATE INDEX listings_active_price_idx ON listings (price_usd, id) WHERE active;
CREATE INDEX listings_last_seen_idx ON listings (last_seen_at DESC, id);
CREATE INDEX listings_source_active_idx ON listings (source_id) WHERE active;

-- One row per observed price: the first sighting, then each actual change.
CREATE TABLE price_history (
    listing_id  bigint NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    observed_at timestamptz NOT NULL,
    price       numeric(14, 4),
    currency    char(3),
    price_usd   numeric(14, 4),
    run_id      bigint REFERENCES scrape_runs (id) ON DELETE SET NULL,
    PRIMARY KEY (listing_id, observed_at)
);
CREATE INDEX price_history_observed_idx ON price_history (observed_at);
