-- Which of the given listings match a live stream's search conditions (ListingMatcher), whether
-- active or not: a removed listing's event still concerns the search it matched.
-- Template: %1$s the search's conditions on l and g, numbered from $1; $%2$d the number of the ids'
-- parameter, the one after the conditions' last.
-- $1 to $n: the search's filter parameters (ListingQuery.filterParams).
-- $%2$d bigint[]: the listings' ids.

SELECT l.id FROM listings l LEFT JOIN gpu_models g ON g.slug = l.gpu_slug WHERE %1$s AND l.id = ANY($%2$d::bigint[])
