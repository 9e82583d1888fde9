package dev.gputracker.api.listings;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Cursors written by hand are the ones the JSON codec wrote before, so cursors already handed out
 * stay valid.
 */
class CursorTest {

  @Test
  @DisplayName("a cursor is base64url of the JSON array [sort, key, id], whatever the key holds")
  void sameBytesAsTheJsonCodec() {
    Object[][] cases = {
      {ListingSort.LAST_SEEN_DESC, "2026-12-01T20:35:44.90082Z", 124257L},
      {ListingSort.PRICE, "1480.1800", 1L},
      {ListingSort.VALUE, "0.0001", Long.MAX_VALUE},
      {ListingSort.FIRST_SEEN, "2026-12-01T20:35:44+02:00", 7L},
      {ListingSort.PRICE_DESC, "odd \"key\" \\ é", 3L},
    };
    for (Object[] c : cases) {
      ListingSort sort = (ListingSort) c[0];
      String key = (String) c[1];
      long id = (Long) c[2];
      String expected =
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(
                  new JsonArray()
                      .add(sort.param)
                      .add(key)
                      .add(id)
                      .encode()
                      .getBytes(StandardCharsets.UTF_8));
      assertThat(ListingQuery.Cursor.encode(sort, key, id)).as(key).isEqualTo(expected);
    }
    ListingQuery.Cursor back =
        ListingQuery.Cursor.decode(
            ListingQuery.Cursor.encode(ListingSort.PRICE, "1480.1800", 42L), ListingSort.PRICE);
    assertThat(back).isEqualTo(new ListingQuery.Cursor("1480.1800", 42L));
  }
}
