package dev.gputracker.worker.persist;

/**
 * Every SQL statement the scraper runs, in one place: {@code $n} parameters only, prepared once per
 * connection.
 */
final class WorkerSql {
  private WorkerSql() {}

  /** Registers the configured sources; returns every source's id. */
  static final String SYNC_SOURCES =
      """
      INSERT INTO sources (name, adapter, base_url, enabled)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[])
      ON CONFLICT (name) DO UPDATE SET adapter = EXCLUDED.adapter, base_url = EXCLUDED.base_url,
        enabled = EXCLUDED.enabled, updated_at = now()
      RETURNING id, name
      """;

  /**
   * One page of listings in one statement (one round trip, one transaction). The upsert itself
   * records, in {@code price_changed_at}, whether this write changed the price (a first sighting
   * counts), so the history insert reads the upsert's own output: no join, and the cost stays
   * linear in the page size. Duplicate ids within the page keep the last occurrence. {@code
   * updated_at} moves only when something a user can see changed. The page's rejected listings go
   * to {@code rejected_listings} in the same statement, and a listing accepted now leaves it.
   */
  static final String WRITE_PAGE =
      """
      WITH input AS (
        SELECT DISTINCT ON (external_id) external_id, title, gpu_slug, price, currency, price_unit, price_usd,
               gpu_count, vram_gb, condition, location, seller, url, sponsored
        FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]::numeric[], $7::text[], $8::text[],
                    $9::text[]::numeric[], $10::int[], $11::text[]::numeric[], $12::text[], $13::text[],
                    $14::text[], $15::text[], $16::boolean[])
             WITH ORDINALITY AS t(external_id, title, gpu_slug, price, currency, price_unit, price_usd, gpu_count,
                                  vram_gb, condition, location, seller, url, sponsored, ord)
        ORDER BY external_id, ord DESC
      ),
      previous AS (
        -- The rows as they were before this statement (a CTE sees the statement's starting snapshot): the old
        -- price for listing.price_changed, and whether a listing comes back from removal. One probe of the unique
        -- index per id of the page: a join or "= ANY" against the source's rows is planned, whenever the cached
        -- plan predates the source's growth (a new source, a young table), as a scan of every listing of the
        -- source, per page, and a page's write then grew with the source (40 ms at 5,000 listings). LIMIT 1 keeps
        -- the planner from flattening the probe back into such a join, and the ORDER BY of the unique index's
        -- columns from preferring another index that starts with source_id when the statistics cannot tell them
        -- apart.
        SELECT l.external_id, l.price, l.currency, l.price_usd, l.active
        FROM input i
        CROSS JOIN LATERAL (SELECT l.external_id, l.price, l.currency, l.price_usd, l.active FROM listings l
                            WHERE l.source_id = $1 AND l.external_id = i.external_id
                            ORDER BY l.source_id, l.external_id LIMIT 1) l
      ),
      up AS (
        -- The listing's copies (V16: source name, vendor, performance index, figures) are computed here for the
        -- whole page at once, with the same SQL functions the triggers use; the insert trigger then skips these rows
        -- (it runs only for rows written without them): a per-row PL/pgSQL trigger, which fires for every proposed
        -- row, also those that find their listing, cost the upsert about 30 %.
        INSERT INTO listings AS l (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit,
          price_usd, gpu_count, vram_gb, condition, location, seller, url, sponsored, first_seen_at, last_seen_at,
          active, removed_at, updated_at, price_changed_at, last_run_id, source_name, vendor, perf_index,
          price_per_gb, price_per_tflop, value)
        SELECT $1, i.external_id, $2, i.title, i.gpu_slug, i.price, i.currency, i.price_unit, i.price_usd,
               i.gpu_count, i.vram_gb, i.condition, i.location, i.seller, i.url, i.sponsored, now(), now(), true,
               NULL, now(), now(), $17, (SELECT name FROM sources WHERE id = $1), g.vendor, g.perf_index,
               listing_price_per_gb(i.price_usd, i.gpu_count, coalesce(i.vram_gb, g.vram_gb)),
               listing_price_per_tflop(i.price_usd, i.gpu_count, coalesce(g.measured_fp32_tflops, g.fp32_tflops)),
               listing_value(g.perf_index, i.gpu_count, $2::text, i.price_usd)
        FROM input i
        LEFT JOIN gpu_models g ON g.slug = i.gpu_slug
        ON CONFLICT (source_id, external_id) DO UPDATE SET
          kind = EXCLUDED.kind, title = EXCLUDED.title, gpu_slug = EXCLUDED.gpu_slug, price = EXCLUDED.price,
          currency = EXCLUDED.currency, price_unit = EXCLUDED.price_unit, price_usd = EXCLUDED.price_usd,
          gpu_count = EXCLUDED.gpu_count, vram_gb = EXCLUDED.vram_gb, condition = EXCLUDED.condition,
          location = EXCLUDED.location, seller = EXCLUDED.seller, url = EXCLUDED.url, sponsored = EXCLUDED.sponsored,
          last_seen_at = EXCLUDED.last_seen_at, active = true, removed_at = NULL, last_run_id = EXCLUDED.last_run_id,
          price_changed_at = CASE
            WHEN (l.price, l.currency) IS DISTINCT FROM (EXCLUDED.price, EXCLUDED.currency)
            THEN EXCLUDED.price_changed_at ELSE l.price_changed_at END,
          updated_at = CASE
            WHEN NOT l.active
              OR (l.title, l.gpu_slug, l.price, l.currency, l.price_unit, l.gpu_count, l.vram_gb, l.condition,
                  l.location, l.seller, l.url, l.sponsored)
                 IS DISTINCT FROM
                 (EXCLUDED.title, EXCLUDED.gpu_slug, EXCLUDED.price, EXCLUDED.currency, EXCLUDED.price_unit,
                  EXCLUDED.gpu_count, EXCLUDED.vram_gb, EXCLUDED.condition, EXCLUDED.location, EXCLUDED.seller,
                  EXCLUDED.url, EXCLUDED.sponsored)
            THEN EXCLUDED.updated_at ELSE l.updated_at END
        -- Skips rows this run already wrote that have not changed since (a listing on two pages of one run, a page
        -- fetched twice): no new row version, no index entries, no WAL. A row first seen in this run is always
        -- written, as that is what records the sighting (last_run_id decides what the run removes).
        WHERE l.last_run_id IS DISTINCT FROM EXCLUDED.last_run_id OR NOT l.active
           OR (l.kind, l.title, l.gpu_slug, l.price, l.currency, l.price_unit, l.price_usd, l.gpu_count, l.vram_gb,
               l.condition, l.location, l.seller, l.url, l.sponsored)
              IS DISTINCT FROM
              (EXCLUDED.kind, EXCLUDED.title, EXCLUDED.gpu_slug, EXCLUDED.price, EXCLUDED.currency,
               EXCLUDED.price_unit, EXCLUDED.price_usd, EXCLUDED.gpu_count, EXCLUDED.vram_gb, EXCLUDED.condition,
               EXCLUDED.location, EXCLUDED.seller, EXCLUDED.url, EXCLUDED.sponsored)
        RETURNING l.id, l.external_id, l.title, l.gpu_slug, l.price, l.currency, l.price_unit, l.price_usd,
                  l.gpu_count, l.url, l.source_name, (xmax = 0) AS inserted, (l.updated_at = now()) AS changed,
                  (l.price_changed_at = now()) AS price_changed
      ),
      events AS (
        -- In the same statement, hence the same transaction, as the change: the transactional outbox.
        INSERT INTO outbox (type, source, subject, key, gpu, data)
        SELECT CASE WHEN u.inserted OR NOT p.active THEN 'listing.created' ELSE 'listing.price_changed' END,
               '/gpu-tracker/worker', 'listing/' || u.id, 'listing-' || u.id, u.gpu_slug,
               jsonb_build_object('listing_id', u.id, 'source', u.source_name,
                 'external_id', u.external_id, 'kind', $2::text, 'title', u.title, 'gpu', u.gpu_slug,
                 'price', u.price::text, 'currency', u.currency, 'price_unit', u.price_unit,
                 'price_usd', u.price_usd::text, 'gpu_count', u.gpu_count, 'url', u.url, 'run_id', $17::bigint)
               || CASE WHEN u.inserted THEN '{}'::jsonb
                       WHEN NOT p.active THEN '{"relisted": true}'::jsonb
                       ELSE jsonb_build_object('previous', jsonb_build_object('price', p.price::text,
                              'currency', p.currency, 'price_usd', p.price_usd::text)) END
        FROM up u LEFT JOIN previous p ON p.external_id = u.external_id
        WHERE u.inserted OR u.price_changed OR NOT p.active
        ORDER BY u.id
        RETURNING 1
      ),
      hist AS (
        INSERT INTO price_history (listing_id, observed_at, price, currency, price_usd, run_id)
        SELECT id, now(), price, currency, price_usd, $17 FROM up WHERE price_changed
        ON CONFLICT DO NOTHING
        RETURNING 1
      ),
      accepted_now AS (
        -- By id, found with one probe of the unique index per id of the page, as in previous (here the index on
        -- (source_id, reason) was chosen without the ORDER BY, and read all the source's rejected rows per id).
        DELETE FROM rejected_listings r
        WHERE r.id IN (SELECT x.id FROM input i CROSS JOIN LATERAL (SELECT x.id FROM rejected_listings x
                         WHERE x.source_id = $1 AND x.external_id = i.external_id
                         ORDER BY x.source_id, x.external_id LIMIT 1) x)
      ),
      rejected_input AS (
        SELECT DISTINCT ON (external_id) external_id, title, reason, detail, gpu_slug, price, currency, price_usd, url
        FROM unnest($18::text[], $19::text[], $20::text[], $21::text[], $22::text[], $23::text[]::numeric[],
                    $24::text[], $25::text[]::numeric[], $26::text[])
             WITH ORDINALITY AS t(external_id, title, reason, detail, gpu_slug, price, currency, price_usd, url, ord)
        WHERE NOT EXISTS (SELECT 1 FROM input i WHERE i.external_id = t.external_id)
        ORDER BY external_id, ord DESC
      ),
      rejected AS (
        INSERT INTO rejected_listings AS r (source_id, external_id, title, reason, detail, gpu_slug, price, currency,
          price_usd, url, first_seen_at, last_seen_at, last_run_id)
        SELECT $1, external_id, title, reason, detail, gpu_slug, price, currency, price_usd, url, now(), now(), $17
        FROM rejected_input
        ON CONFLICT (source_id, external_id) DO UPDATE SET title = EXCLUDED.title, reason = EXCLUDED.reason,
          detail = EXCLUDED.detail, gpu_slug = EXCLUDED.gpu_slug, price = EXCLUDED.price,
          currency = EXCLUDED.currency, price_usd = EXCLUDED.price_usd, url = EXCLUDED.url,
          last_seen_at = EXCLUDED.last_seen_at, last_run_id = EXCLUDED.last_run_id
        -- As for listings: a rejected item this run already recorded, unchanged, is not rewritten.
        WHERE r.last_run_id IS DISTINCT FROM EXCLUDED.last_run_id
           OR (r.title, r.reason, r.detail, r.gpu_slug, r.price, r.currency, r.price_usd, r.url)
              IS DISTINCT FROM
              (EXCLUDED.title, EXCLUDED.reason, EXCLUDED.detail, EXCLUDED.gpu_slug, EXCLUDED.price,
               EXCLUDED.currency, EXCLUDED.price_usd, EXCLUDED.url)
        RETURNING 1
      ),
      run_figures AS (
        -- The source's figures in this run move with each page written, in the page's transaction: a run killed
        -- mid-way shows exactly what it wrote. ($27 listings read, $28 of them priced, $29 matched to a model, $30
        -- the page's depth in its pagination chain.)
        UPDATE scrape_run_sources f SET pages = f.pages + 1,
          listings_seen = f.listings_seen + (SELECT count(*) FROM input),
          listings_new = f.listings_new + (SELECT count(*) FROM up WHERE inserted),
          listings_updated = f.listings_updated + (SELECT count(*) FROM up WHERE changed AND NOT inserted),
          listings_rejected = f.listings_rejected + (SELECT count(*) FROM rejected_input),
          listings_read = f.listings_read + $27, listings_priced = f.listings_priced + $28,
          listings_normalised = f.listings_normalised + $29, pagination_depth = greatest(f.pagination_depth, $30),
          rejected_by_reason = (SELECT coalesce(jsonb_object_agg(k, n), '{}'::jsonb)
                                FROM (SELECT k, sum(n)::int AS n
                                      FROM (SELECT key AS k, value::int AS n FROM jsonb_each_text(f.rejected_by_reason)
                                            UNION ALL
                                            SELECT reason, count(*)::int FROM rejected_input GROUP BY reason) x
                                      GROUP BY k) y)
        WHERE f.run_id = $17 AND f.source_id = $1
        RETURNING 1
      )
      -- Counted from the page's input, not from the rows written: an unchanged row skipped above was still seen.
      SELECT (SELECT count(*) FROM input)::int AS seen,
             (SELECT count(*) FROM up WHERE inserted)::int AS inserted,
             (SELECT count(*) FROM up WHERE changed AND NOT inserted)::int AS updated,
             (SELECT count(*) FROM hist)::int AS history,
             (SELECT count(*) FROM rejected_input)::int AS rejected,
             (SELECT count(*) FROM events)::int AS events
      """;

  /**
   * The current price band of each model and kind: the median USD price per GPU over active
   * listings.
   */
  static final String PRICE_BANDS =
      """
      SELECT gpu_slug, kind, percentile_cont(0.5) WITHIN GROUP (ORDER BY price_usd / gpu_count) AS median
      FROM listings
      WHERE active AND price_usd IS NOT NULL AND gpu_slug IS NOT NULL
      GROUP BY gpu_slug, kind
      HAVING count(*) >= $1
      """;

  /**
   * After a complete run of a source: what it no longer lists becomes inactive (never deleted). The
   * candidates are found by three range scans of (source, last run) over active listings (V28),
   * before and after this run and never written by a run, so the cost follows what is removed
   * rather than the source's size. They are gathered into an array first, so the update reads them
   * by primary key (as a join, the planner may drive it from the source's rows again); the outer
   * condition is the definition, and is what a row changed meanwhile is checked against again.
   */
  static final String MARK_REMOVED =
      """
      WITH removed AS (
        UPDATE listings SET active = false, removed_at = now(), updated_at = now()
        WHERE source_id = $1 AND active AND last_run_id IS DISTINCT FROM $2
          AND id = ANY (ARRAY(SELECT id FROM listings WHERE source_id = $1 AND active AND last_run_id < $2
                              UNION ALL
                              SELECT id FROM listings WHERE source_id = $1 AND active AND last_run_id > $2
                              UNION ALL
                              SELECT id FROM listings WHERE source_id = $1 AND active AND last_run_id IS NULL))
        RETURNING id, external_id, kind, title, gpu_slug, price, currency, price_usd, url, first_seen_at
      ),
      events AS (
        INSERT INTO outbox (type, source, subject, key, gpu, data)
        SELECT 'listing.removed', '/gpu-tracker/worker', 'listing/' || r.id, 'listing-' || r.id, r.gpu_slug,
               jsonb_build_object('listing_id', r.id, 'source', (SELECT name FROM sources WHERE id = $1),
                 'external_id', r.external_id, 'kind', r.kind, 'title', r.title, 'gpu', r.gpu_slug,
                 'price', r.price::text, 'currency', r.currency, 'price_usd', r.price_usd::text, 'url', r.url,
                 'run_id', $2::bigint)
        FROM removed r
        ORDER BY r.id
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM removed)::int AS removed
      """;

  /**
   * The stored market figures of the models written since the last refresh, recomputed (V30; in a
   * REPEATABLE READ transaction); returns how many models.
   */
  static final String MARKET_REFRESH = "SELECT gpu_market_refresh()";

  /** The models written since their daily summary's last refresh (V29), in key order. */
  static final String PRICE_DAYS_MARKED =
      "SELECT DISTINCT gpu_slug FROM gpu_price_days_marks ORDER BY gpu_slug";

  /** One model's daily summary brought up to date (in a REPEATABLE READ transaction). */
  static final String PRICE_DAYS_REFRESH = "SELECT gpu_price_days_refresh($1)";

  static final String START_RUN =
      "INSERT INTO scrape_runs (worker_id, mode) VALUES ($1, $2) RETURNING id";

  static final String FINISH_RUN =
      """
      WITH run AS (
        UPDATE scrape_runs SET status = $2, finished_at = now() WHERE id = $1
        RETURNING id, worker_id, mode, status, started_at, finished_at
      )
      INSERT INTO outbox (type, source, subject, key, data)
      SELECT 'scrape_run.finished', '/gpu-tracker/worker', 'scrape_run/' || run.id, 'scrape_run-' || run.id,
             jsonb_build_object('run_id', run.id, 'worker', run.worker_id, 'mode', run.mode, 'status', run.status,
               'started_at', to_char(run.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               'finished_at', to_char(run.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               'sources', coalesce((SELECT jsonb_agg(jsonb_build_object('source', s.name, 'status', rs.status,
                   'pages', rs.pages, 'listings_seen', rs.listings_seen, 'listings_new', rs.listings_new,
                   'listings_updated', rs.listings_updated, 'listings_removed', rs.listings_removed,
                   'listings_rejected', rs.listings_rejected, 'errors', rs.errors) ORDER BY s.name)
                 FROM scrape_run_sources rs JOIN sources s ON s.id = rs.source_id WHERE rs.run_id = run.id), '[]'))
      FROM run
      """;

  static final String START_SOURCE =
      """
      INSERT INTO scrape_run_sources (run_id, source_id, status) VALUES ($1, $2, 'running')
      ON CONFLICT (run_id, source_id) DO UPDATE SET status = 'running', started_at = now()
      """;

  static final String FINISH_SOURCE =
      """
      INSERT INTO scrape_run_sources (run_id, source_id, status, pages, listings_seen, listings_new,
        listings_updated, listings_removed, errors, error_message, finished_at, duration_ms, listings_rejected,
        health_reason)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now(), $11, $12, $13)
      ON CONFLICT (run_id, source_id) DO UPDATE SET status = EXCLUDED.status, pages = EXCLUDED.pages,
        listings_seen = EXCLUDED.listings_seen, listings_new = EXCLUDED.listings_new,
        listings_updated = EXCLUDED.listings_updated, listings_removed = EXCLUDED.listings_removed,
        errors = EXCLUDED.errors, error_message = EXCLUDED.error_message, finished_at = now(),
        duration_ms = EXCLUDED.duration_ms, listings_rejected = EXCLUDED.listings_rejected,
        health_reason = EXCLUDED.health_reason
      """;

  /**
   * The source's recent trusted runs, newest first, that a new run's yield is compared with: those
   * that succeeded (and the run an operator accepted as the new baseline), from that accepted run
   * on. Runs recorded before the yield figures existed (read 0) are left out.
   */
  static final String BASELINE =
      """
      SELECT rs.listings_read, rs.listings_priced, rs.listings_normalised, rs.pagination_depth
      FROM scrape_run_sources rs JOIN sources s ON s.id = rs.source_id
      WHERE rs.source_id = $1 AND rs.run_id <> $2 AND rs.listings_read > 0
        AND (rs.status = 'succeeded' OR rs.run_id = s.baseline_from_run)
        AND rs.run_id >= coalesce(s.baseline_from_run, 0)
      ORDER BY rs.run_id DESC
      LIMIT $3
      """;

  /**
   * Records a source's health after a run ($2 ok, suspect or failing; $3 the reason; $4 the run). A
   * change of health, and only a change, writes a {@code source.health_changed} event in the same
   * transaction; returns the previous health when it changed.
   */
  static final String SET_HEALTH =
      """
      WITH old AS (
        SELECT id, name, health FROM sources WHERE id = $1
      ),
      updated AS (
        UPDATE sources s SET health = $2, health_reason = $3,
          health_changed_at = CASE WHEN s.health IS DISTINCT FROM $2 THEN now() ELSE s.health_changed_at END
        FROM old WHERE s.id = old.id
        RETURNING s.id, s.name, old.health AS previous
      ),
      events AS (
        INSERT INTO outbox (type, source, subject, key, data)
        SELECT 'source.health_changed', '/gpu-tracker/worker', 'source/' || u.name, 'source-' || u.name,
               jsonb_build_object('source', u.name, 'health', $2::text, 'previous', u.previous, 'reason', $3::text,
                 'run_id', $4::bigint)
        FROM updated u WHERE u.previous IS DISTINCT FROM $2
        RETURNING 1
      )
      SELECT u.previous, (u.previous IS DISTINCT FROM $2) AS changed FROM updated u
      """;

  /**
   * The source's latest finished run (status, its run id, and whether it is the source's newest run
   * at all).
   */
  static final String LATEST_RUN =
      """
      SELECT s.id AS source_id, rs.run_id, rs.status, rs.health_reason
      FROM sources s
      LEFT JOIN LATERAL (SELECT run_id, status, health_reason FROM scrape_run_sources
                         WHERE source_id = s.id AND status NOT IN ('running', 'skipped')
                         ORDER BY run_id DESC LIMIT 1) rs ON true
      WHERE s.name = $1
      """;

  /** An operator accepted a suspect run's yield: runs before it no longer count in the baseline. */
  static final String ACCEPT_BASELINE = "UPDATE sources SET baseline_from_run = $2 WHERE id = $1";

  /**
   * Run while holding the source's lock: a 'running' row of the source belongs to a process that
   * died (whoever ran it would hold the lock), so it is interrupted, and so is its run once no
   * other source of it is running.
   */
  static final String RECOVER_ABANDONED =
      """
      WITH abandoned AS (
        UPDATE scrape_run_sources SET status = 'interrupted', finished_at = now(),
          error_message = coalesce(error_message, 'the worker stopped without finishing (crash or kill)')
        WHERE source_id = $1 AND status = 'running'
        RETURNING run_id
      )
      UPDATE scrape_runs r SET status = 'interrupted', finished_at = now()
      WHERE r.id IN (SELECT run_id FROM abandoned) AND r.status = 'running'
        AND NOT EXISTS (SELECT 1 FROM scrape_run_sources s
                        WHERE s.run_id = r.id AND s.status = 'running' AND s.source_id <> $1)
      """;
}
