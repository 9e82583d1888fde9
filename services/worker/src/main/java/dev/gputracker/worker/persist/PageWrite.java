package dev.gputracker.worker.persist;

/**
 * What writing one page did.
 *
 * @param seen distinct listings on the page
 * @param inserted first sightings
 * @param updated known listings whose visible content changed (or that came back after removal)
 * @param history price-history rows written (first sightings plus real price changes)
 * @param rejected listings kept aside with a reason
 */
public record PageWrite(int seen, int inserted, int updated, int history, int rejected) {
  public static final PageWrite EMPTY = new PageWrite(0, 0, 0, 0, 0);

  public int unchanged() {
    return seen - inserted - updated;
  }
}
