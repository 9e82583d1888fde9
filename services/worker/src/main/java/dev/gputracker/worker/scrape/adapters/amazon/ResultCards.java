package dev.gputracker.worker.scrape.adapters.amazon;

import java.util.ArrayList;
import java.util.List;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.select.NodeTraversor;

/**
 * What {@link AmazonAdapter} reads from a results page, found in one walk of the document and one
 * walk of each result instead of a selector query per field (each query walks its whole scope
 * again; together they were a quarter of the adapter's time). Each field matches what the selector
 * it replaces would have found first: {@code div[data-component-type=s-search-result][data-asin]}
 * and {@code a.s-pagination-next[href]} on the page; {@code h2}, {@code [class*=sponsored-label]}
 * and {@code span.a-price} in a result, the result itself included.
 */
record ResultCards(List<Element> results, Element next) {

  /**
   * One result's title heading (null when it has none), whether it has a sponsored label, and its
   * prices.
   */
  record Card(Element h2, boolean sponsoredLabel, List<Element> prices) {}

  static ResultCards of(Element doc) {
    List<Element> results = new ArrayList<>();
    Element[] next = new Element[1];
    NodeTraversor.traverse(
        (Node node, int depth) -> {
          if (!(node instanceof Element e)) {
            return;
          }
          if (e.nameIs("div")
              && e.attr("data-component-type").trim().equalsIgnoreCase("s-search-result")
              && e.hasAttr("data-asin")) {
            results.add(e);
          } else if (next[0] == null
              && e.nameIs("a")
              && e.hasClass("s-pagination-next")
              && e.hasAttr("href")) {
            next[0] = e;
          }
        },
        doc);
    return new ResultCards(results, next[0]);
  }

  static Card card(Element result) {
    Element[] h2 = new Element[1];
    boolean[] sponsored = new boolean[1];
    List<Element> prices = new ArrayList<>(2);
    NodeTraversor.traverse(
        (Node node, int depth) -> {
          if (!(node instanceof Element e)) {
            return;
          }
          if (h2[0] == null && e.nameIs("h2")) {
            h2[0] = e;
          }
          if (!sponsored[0] && containsIgnoreCase(e.attr("class"), "sponsored-label")) {
            sponsored[0] = true;
          }
          if (e.nameIs("span") && e.hasClass("a-price")) {
            prices.add(e);
          }
        },
        result);
    return new Card(h2[0], sponsored[0], prices);
  }

  /**
   * {@code [class*=...]} without lower-casing every class attribute of the result into a new
   * string. The first character is compared before the region, since this runs on every element of
   * every result (a case-insensitive region match at every offset was 6 % of the parse).
   */
  static boolean containsIgnoreCase(String value, String lowerCaseNeedle) {
    char lower = lowerCaseNeedle.charAt(0);
    char upper = Character.toUpperCase(lower);
    int last = value.length() - lowerCaseNeedle.length();
    for (int i = 0; i <= last; i++) {
      char c = value.charAt(i);
      if ((c == lower || c == upper)
          && value.regionMatches(true, i, lowerCaseNeedle, 0, lowerCaseNeedle.length())) {
        return true;
      }
    }
    return false;
  }
}
