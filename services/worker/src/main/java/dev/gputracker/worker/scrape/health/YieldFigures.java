package dev.gputracker.worker.scrape.health;

/**
 * What one source yielded in one run, the figures its health is judged by.
 *
 * @param read listings the adapter read, accepted or rejected
 * @param priced of those, listings with a price
 * @param normalised of those, listings matched to a model of the catalog
 * @param depth the deepest page reached in any pagination chain of the source
 * @param lastPageRead listings read on the last page reached (a full last page without a next link
 *     hints at a cut)
 */
public record YieldFigures(int read, int priced, int normalised, int depth, int lastPageRead) {

  public double pricedShare() {
    return read == 0 ? 0 : (double) priced / read;
  }

  public double normalisedShare() {
    return read == 0 ? 0 : (double) normalised / read;
  }
}
