package dev.gputracker.worker.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.persist.ListingStore;
import dev.gputracker.worker.persist.RejectedListing;
import dev.gputracker.worker.persist.RunStore;
import dev.gputracker.worker.persist.SourceStore;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import dev.gputracker.worker.testing.Sql;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The reasons the normaliser gives are the reasons the schema accepts (V23 added {@code laptop}).
 */
class RejectReasonStorageTest {
  @Test
  @DisplayName("a listing rejected for each reason, laptops included, is stored with that reason")
  void everyReasonIsStored() {
    DatabaseUrl db = TestDatabases.fresh();
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = Database.pool(vertx, db, "reasons-test", 2);
      SourceConfig source =
          new SourceConfig(
              "shop",
              "demo",
              URI.create("http://shop.test/"),
              true,
              5,
              SourceConfig.FetchSettings.defaults(),
              new JsonObject());
      int sourceId = new SourceStore(pool).sync(List.of(source)).await().get("shop");
      long run = new RunStore(pool).startRun("test", "oneshot").await();
      TitleNormalizer normalizer = new TitleNormalizer(GpuCatalog.load());
      Normalization laptop =
          normalizer.normalize("Lenovo Legion 5 Pro gaming laptop RTX 3070 16GB RAM");
      assertThat(laptop.reason()).isEqualTo(RejectReason.LAPTOP);
      List<RejectedListing> rejected = new ArrayList<>();
      for (RejectReason reason : RejectReason.values()) {
        ScrapedListing l =
            ScrapedListing.builder(reason.dbValue(), "title " + reason)
                .price(new BigDecimal("100"), "USD")
                .url("http://shop.test/" + reason.dbValue())
                .build();
        rejected.add(
            new RejectedListing(
                l,
                reason,
                reason == RejectReason.LAPTOP ? laptop.detail() : "why",
                null,
                new BigDecimal("100")));
      }
      new ListingStore(pool)
          .writePage(sourceId, run, ListingKind.SALE, List.of(), rejected)
          .await();
      assertThat(Sql.count(db, "SELECT count(DISTINCT reason) FROM rejected_listings"))
          .isEqualTo(RejectReason.values().length);
      assertThat(Sql.single(db, "SELECT detail FROM rejected_listings WHERE reason = 'laptop'"))
          .isEqualTo(laptop.detail())
          .isEqualTo("lenovo legion");
    } finally {
      vertx.close().await();
    }
  }
}
