-- The listing browser's own orders, measured at 200,000 listings:
-- * Newest first (the default page, the most asked): the index ran (last_seen_at DESC, id) while the order is
--   (last_seen_at DESC, id DESC), so every page ended in an incremental sort (10 ms; 22 ms for removed listings).
--   Rebuilt in the order's own direction; not partial, so removed listings (active=false) are served too.
-- * Oldest or newest listed (sort=first_seen / -first_seen) had no index: a parallel scan and sort of every active
--   listing, 555 ms. The partial index serves both directions.
DROP INDEX listings_last_seen_idx;
CREATE INDEX listings_last_seen_idx ON listings (last_seen_at DESC, id DESC);
CREATE INDEX listings_first_seen_idx ON listings (first_seen_at, id) WHERE active;
