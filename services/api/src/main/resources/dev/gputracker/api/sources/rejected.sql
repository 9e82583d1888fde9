-- Rejected listings, newest first, keyset-paginated on id, optionally of one source and one reason.
-- $1 bigint: the cursor, rows with a smaller id (Long.MAX_VALUE for the first page).
-- $2 text: a source's name, or null for every source.
-- $3 text: a rejection reason, or null for every reason.
-- $4 int: the rows to read (one more than the page, to tell there is a next one).

SELECT r.id, s.name AS source, r.external_id, r.title, r.reason, r.detail, r.gpu_slug,
       money_text(r.price, r.currency, true) AS price, r.currency, money_text(r.price_usd, 'USD', true) AS price_usd,
       r.url, r.first_seen_at, r.last_seen_at
FROM rejected_listings r JOIN sources s ON s.id = r.source_id
WHERE r.id < $1 AND ($2::text IS NULL OR s.name = $2) AND ($3::text IS NULL OR r.reason = $3)
ORDER BY r.id DESC
LIMIT $4
