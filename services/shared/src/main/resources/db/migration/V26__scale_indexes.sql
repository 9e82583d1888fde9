-- Read at 2,000,000 listings (bench/scale.sh), the price and figure orders and a model's price history.
--
-- * The price and figure orders always rank one kind (a search without one ranks sales), but their indexes began
--   with the price: sale orders walked past every active rental (hourly prices, all cheaper than any card) before
--   the first sale, 20,000 index entries and heap rows at 200,000 listings, 100 ms a page, and ten times that at
--   2,000,000. With the kind first, a page reads its 51 entries. (The value order's index already had it.)
-- * A model's price history reads every listing of the model, removed ones too, and the only indexes on gpu_slug
--   were partial (active listings): the history scanned the whole table.
DROP INDEX listings_active_price_idx;
CREATE INDEX listings_kind_price_idx ON listings (kind, price_usd, id) WHERE active;
DROP INDEX listings_price_per_gb_idx;
CREATE INDEX listings_kind_price_per_gb_idx ON listings (kind, price_per_gb, id)
    WHERE active AND price_per_gb IS NOT NULL;
DROP INDEX listings_price_per_tflop_idx;
CREATE INDEX listings_kind_price_per_tflop_idx ON listings (kind, price_per_tflop, id)
    WHERE active AND price_per_tflop IS NOT NULL;
CREATE INDEX listings_gpu_idx ON listings (gpu_slug);
