package dev.gputracker.api.listings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The one list of a listing's columns, and what the writers derive from it. */
class ListingColumnsTest {

  @Test
  @DisplayName("the shown columns come first, in the public field order, then the deal's fields")
  void shownColumnsFirst() {
    List<ListingColumns> shown = List.of(ListingColumns.SHOWN);
    assertThat(shown)
        .hasSize(ListingColumns.SHOWN_COUNT)
        .doesNotContain(ListingColumns.PRICE_USD_KEY);
    assertThat(Stream.of(ListingColumns.values()).skip(ListingColumns.SHOWN_COUNT))
        .allMatch(c -> c.json == null && c.csv == null);
    assertThat(ListingColumns.jsonFields())
        .startsWith("id", "source", "external_id", "kind", "title", "gpu")
        .endsWith("active", "removed_at", "median_usd", "vs_median_pct")
        .doesNotHaveDuplicates()
        .hasSize(ListingColumns.SHOWN_COUNT + 2);
    assertThat(ListingColumns.csvHeader()).isEqualTo(ListingColumns.jsonFields());
  }

  @Test
  @DisplayName("the select list names each result column once, aliasing expressions to it")
  void selectListAliases() {
    String select = ListingColumns.selectList();
    for (ListingColumns c : ListingColumns.values()) {
      String item = c.sql.equals("l." + c.column) ? c.sql : c.sql + " AS " + c.column;
      assertThat(select).contains(item);
    }
    assertThat(select.split(", (?![^(]*\\))")).hasSize(ListingColumns.values().length);
    assertThat(ListingSelects.LISTING).startsWith("SELECT " + select + "\n");
    assertThat(ListingSelects.SELECT_CONVERTED)
        .startsWith("SELECT " + select + ", money_text(")
        .contains(" AS display_price");
  }
}
