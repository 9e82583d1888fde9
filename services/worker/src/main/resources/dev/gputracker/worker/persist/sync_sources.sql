-- sync_sources.sql: registers the configured sources (updating what changed); returns every one's id and name.
--
-- Parameters, one array element per source: $1 text[] names; $2 text[] adapters; $3 text[] base URLs;
-- $4 boolean[] enabled.
INSERT INTO sources (name, adapter, base_url, enabled)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[])
ON CONFLICT (name) DO UPDATE SET adapter = EXCLUDED.adapter, base_url = EXCLUDED.base_url,
  enabled = EXCLUDED.enabled, updated_at = now()
RETURNING id, name
