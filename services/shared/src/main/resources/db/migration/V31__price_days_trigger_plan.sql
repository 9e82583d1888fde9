-- V29's listings update trigger joins its transition tables (old_rows, new_rows) by id, three times. PL/pgSQL keeps
-- its statements' plans, and a plan made while the tables held a few rows is a nested loop: a page write that re-saw
-- 5,000 unchanged listings then compared 5,000 × 5,000 rows three times (bench/ingest.sh: the unchanged pass fell from
-- 22,808 to 1,787 rows per second). Without nested loops the joins hash, whatever the tables' size.
ALTER FUNCTION gpu_price_days_follow_listings() SET enable_nestloop = off;
