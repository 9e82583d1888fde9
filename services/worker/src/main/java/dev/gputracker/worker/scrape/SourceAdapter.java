package dev.gputracker.worker.scrape;

import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.scrape.fetch.FetchedPage;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import java.net.URI;
import java.util.List;

/**
 * The extension point for a marketplace: turns the pages of one site into {@link ScrapedListing}s.
 * Fetching, politeness, retries, normalisation and storage are the engine's; an adapter only knows
 * where to start and how to read a page.
 *
 * <p>To add a marketplace: implement this interface with a public no-argument constructor, give it
 * a unique {@link #name()}, list the class in {@code
 * META-INF/services/dev.gputracker.worker.scrape.SourceAdapter}, and reference the name as {@code
 * adapter} in the sources file. Prove it with a test on saved real pages.
 *
 * <p>Implementations are stateless and thread-safe: one instance serves every source that names it,
 * and {@link #parse} runs on worker threads, several pages at once.
 */
public interface SourceAdapter {

  /** The name the sources file uses, e.g. {@code amazon}. Lower case, hyphenated. */
  String name();

  /** Whether the source lists cards for sale or GPU time for rent. */
  ListingKind kind();

  /**
   * The kind for one configured source; adapters whose sources can be either (selectors) read it
   * from there.
   */
  default ListingKind kind(SourceConfig source) {
    return kind();
  }

  /**
   * The first pages to fetch. The default is the source's base URL; an adapter with several
   * searches (one per term, say) returns one URL per search, each paginated on its own.
   */
  default List<URI> startUrls(SourceConfig source) {
    return List.of(source.baseUrl());
  }

  /**
   * Reads one page. Must not block on I/O. A page that is partly broken yields what can be read; a
   * page that cannot be read at all throws {@link PageParseException} with a reason.
   */
  PageResult parse(FetchedPage page, SourceConfig source) throws PageParseException;
}
