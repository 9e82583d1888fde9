-- Full-text search on listing titles. The 'simple' configuration (no stemming, no stop words) suits titles that mix
-- languages, model numbers and brand names.
ALTER TABLE listings
    ADD COLUMN title_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED;
CREATE INDEX listings_title_tsv_idx ON listings USING gin (title_tsv);
