-- history_days.sql: GPU_HISTORY by day ($2 days back), from the daily summary where it is up to date (V29:
-- gpu_price_days, one row per model, day and kind, and the open spans' row for the days after its refresh), and from
-- the price points (gpu_price_days_compute, the computation of GPU_HISTORY) for the days from the model's earliest
-- mark on (a write since the refresh) and for a window the summary does not cover. One statement, so the summary,
-- the marks and the price points are one snapshot: the rows are GPU_HISTORY's (tested against it). What it reads is
-- one index range of the summary per request, whatever the number of listings, when nothing was written since the
-- worker's last refresh.
--
-- $1 text: the model's slug.
-- $2 int: the days back from now the window starts.

WITH w AS (
  SELECT date_trunc('day', now() - make_interval(days => $2)) AS first, date_trunc('day', now()) AS last
),
c AS (
  -- The first day computed from the price points: the window's first unless the summary (computed in this
  -- session's time zone) starts before it, else the model's earliest mark (after the window without one).
  SELECT w.first, w.last, s.refreshed_day,
         CASE WHEN s.since IS NULL OR s.since > w.first THEN w.first
              ELSE greatest(w.first, least(m.day, w.last + interval '1 day')) END AS live_from
  FROM w
  LEFT JOIN (SELECT since, date_trunc('day', refreshed_at) AS refreshed_day FROM gpu_price_days_state
             WHERE gpu_slug = $1 AND zone = current_setting('TimeZone')) s ON true
  LEFT JOIN (SELECT min(day) AS day FROM gpu_price_days_marks WHERE gpu_slug = $1) m ON true
)
SELECT d.day AS bucket, d.kind, d.samples, d.min::text AS min, d.median::text AS median
FROM c JOIN gpu_price_days d ON d.gpu_slug = $1 AND d.day >= c.first AND d.day < c.live_from
                            AND d.day <= c.refreshed_day
UNION ALL
-- Days after the refresh's, before any mark: the spans open at the refresh, unchanged since.
SELECT g.day, d.kind, d.samples, d.min::text, d.median::text
FROM c CROSS JOIN LATERAL generate_series(greatest(c.refreshed_day + interval '1 day', c.first),
                                          c.live_from - interval '1 day', interval '1 day') AS g(day)
JOIN gpu_price_days d ON d.gpu_slug = $1 AND d.day = 'infinity'
UNION ALL
SELECT x.day, x.kind, x.samples, x.min::text, x.median::text
FROM c CROSS JOIN LATERAL gpu_price_days_compute($1, c.live_from, c.last) x
WHERE c.live_from <= c.last
ORDER BY 1, 2
