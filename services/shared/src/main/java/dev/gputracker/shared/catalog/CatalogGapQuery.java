package dev.gputracker.shared.catalog;

/**
 * The catalog's gaps as the rejected listings show them: {@code unknown_model} rejects grouped by
 * the words the normaliser could not place, most frequent first. The worker writes those words into
 * the rejection's detail as {@value #DETAIL_PREFIX}{@code "cmp 170 hx"}; this is the one definition
 * of that form, read by the API's {@code GET /api/rejected/gaps} and the worker's {@code gaps}
 * command.
 */
public final class CatalogGapQuery {
  /**
   * How an {@code unknown_model} detail starts when it carries unplaced words; they follow in
   * double quotes.
   */
  public static final String DETAIL_PREFIX = "no catalog model for ";

  /**
   * {@code $1}: a source name, or null for all sources; {@code $2}: the most groups to return.
   * Columns: {@code words} (null for titles without a model number), {@code listings}, {@code
   * sources} (how many sources listed them), {@code last_seen_at} and {@code example} (the latest
   * title).
   */
  public static final String SQL =
      """
      SELECT substring(r.detail FROM '^%1$s"(.*)"$') AS words,
             count(*)::int AS listings,
             count(DISTINCT r.source_id)::int AS sources,
             max(r.last_seen_at) AS last_seen_at,
             (array_agg(r.title ORDER BY r.last_seen_at DESC, r.id DESC))[1] AS example
        FROM rejected_listings r
        JOIN sources s ON s.id = r.source_id
       WHERE r.reason = 'unknown_model'
         AND starts_with(r.detail, '%1$s')
         AND ($1::text IS NULL OR s.name = $1::text)
       GROUP BY 1
       ORDER BY listings DESC, words NULLS LAST
       LIMIT $2
      """
          .formatted(DETAIL_PREFIX);

  private CatalogGapQuery() {}
}
